/** The Japanese welcome email. Edit freely: tokens are described in ./types.ts; tests render it. */
import type { WelcomeTemplates } from "./types.ts";

export const ja: WelcomeTemplates = {
  greeting: { named: "{{name}} 様", neutral: "お客様" },
  subject: "【{{appName}}】ご登録ありがとうございます",
  html: `<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{appName}}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:'Hiragino Sans','Noto Sans JP',Meiryo,sans-serif;color:#18181b;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;">
<p style="font-size:18px;font-weight:bold;margin:0 0 16px;">{{appName}}</p>
<p>{{greeting}}</p>
<p>{{appName}} へのご登録ありがとうございます。アカウントの確認が完了し、すぐにご利用いただけます。</p>
<p>パスワードをお忘れの場合は、サインイン画面から再設定できます。</p>
<p style="color:#666;font-size:13px;">このメールは、このアドレスでアカウントが作成されたためお送りしています。</p>
</div>
</body>
</html>`,
  text: `{{greeting}}

{{appName}} へのご登録ありがとうございます。アカウントの確認が完了し、すぐにご利用いただけます。

パスワードをお忘れの場合は、サインイン画面から再設定できます。

このメールは、このアドレスでアカウントが作成されたためお送りしています。`,
};
