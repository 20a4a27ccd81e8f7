/** Japanese messages. Edit freely: the tokens are described in ./types.ts; tests render every one. */
import type { LocaleTemplates } from "./types.ts";

const code = `<p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:16px 0;">{{code}}</p>`;
const ignore = `<p style="color:#666;font-size:13px;">このメールに心当たりがない場合は、破棄してください。</p>`;

export const ja: LocaleTemplates = {
  greeting: { named: "{{name}} 様", neutral: "お客様" },

  layout: `<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{appName}}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:'Hiragino Sans','Noto Sans JP',Meiryo,sans-serif;color:#18181b;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;">
<p style="font-size:18px;font-weight:bold;margin:0 0 16px;">{{appName}}</p>
{{content}}
</div>
</body>
</html>`,

  messages: {
    CustomMessage_SignUp: {
      subject: "【{{appName}}】アカウント登録の確認コード",
      html: `<p>{{greeting}}</p>
<p>{{appName}} にご登録いただきありがとうございます。次の確認コードを入力して、登録を完了してください。</p>
${code}
${ignore}`,
      sms: "【{{appName}}】{{greeting}} 確認コード: {{code}}",
    },
    CustomMessage_ResendCode: {
      subject: "【{{appName}}】確認コードの再送",
      html: `<p>{{greeting}}</p>
<p>{{appName}} のアカウント確認コードを再送します。次のコードを入力してください。</p>
${code}
${ignore}`,
      sms: "【{{appName}}】{{greeting}} 新しい確認コード: {{code}}",
    },
    CustomMessage_AdminCreateUser: {
      subject: "【{{appName}}】アカウントのご案内",
      html: `<p>{{greeting}}</p>
<p>{{appName}} のアカウントが作成されました。次の情報でサインインし、ご自身のパスワードを設定してください。</p>
<p>ユーザー名: <strong>{{username}}</strong></p>
<p>仮パスワード: <strong>{{code}}</strong></p>`,
      sms: "【{{appName}}】{{greeting}} ユーザー名: {{username}} 仮パスワード: {{code}}",
    },
    CustomMessage_ForgotPassword: {
      subject: "【{{appName}}】パスワード再設定コード",
      html: `<p>{{greeting}}</p>
<p>{{appName}} のパスワード再設定のご依頼を受け付けました。次のコードを入力して、新しいパスワードを設定してください。</p>
${code}
<p style="color:#666;font-size:13px;">お心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。</p>`,
      sms: "【{{appName}}】{{greeting}} パスワード再設定コード: {{code}}",
    },
    CustomMessage_UpdateUserAttribute: {
      subject: "【{{appName}}】連絡先変更の確認コード",
      html: `<p>{{greeting}}</p>
<p>{{appName}} の連絡先が変更されました。次のコードを入力して、確認を完了してください。</p>
${code}
<p style="color:#666;font-size:13px;">お心当たりがない場合は、至急お問い合わせください。</p>`,
      sms: "【{{appName}}】{{greeting}} 確認コード: {{code}}",
    },
    CustomMessage_VerifyUserAttribute: {
      subject: "【{{appName}}】確認コード",
      html: `<p>{{greeting}}</p>
<p>{{appName}} の連絡先を確認するため、次のコードを入力してください。</p>
${code}
${ignore}`,
      sms: "【{{appName}}】{{greeting}} 確認コード: {{code}}",
    },
    CustomMessage_Authentication: {
      subject: "【{{appName}}】サインイン確認コード",
      html: `<p>{{greeting}}</p>
<p>{{appName}} へのサインインを完了するため、次のコードを入力してください。</p>
${code}
<p style="color:#666;font-size:13px;">サインインした覚えがない場合は、パスワードが第三者に知られている可能性があります。パスワードを変更してください。</p>`,
      sms: "【{{appName}}】{{greeting}} サインイン確認コード: {{code}}",
    },
  },
};
