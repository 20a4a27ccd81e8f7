/** The Japanese account-takeover notification. Edit freely: tokens are described in ./types.ts. */
import type { AccountTakeoverTemplates } from "./types.ts";

export const ja: AccountTakeoverTemplates = {
  subject: "【{{appName}}】普段と異なるサインインを検知しました",
  html: `<p>{{greeting}}</p>
<p>{{appName}} のアカウントで、普段と異なるサインインを検知しました。{{action}}</p>
<table style="border-collapse:collapse;margin:16px 0;">
{{details}}
</table>
{{links}}`,
  text: `{{greeting}}

{{appName}} のアカウントで、普段と異なるサインインを検知しました。{{action}}

{{details}}

{{links}}`,
  labels: { time: "日時", ipAddress: "IP アドレス", location: "場所", device: "デバイス" },
  detail: {
    html: `<tr><td style="color:#666;padding:4px 16px 4px 0;">{{label}}</td><td style="padding:4px 0;">{{value}}</td></tr>`,
    text: "{{label}}: {{value}}",
  },
  actions: {
    blocked: "このサインインはブロックしました。",
    challenged: "サインインの前に追加の確認を求めました。",
    allowed: "このサインインは許可されています。",
    detected: "",
  },
  links: {
    html: `<p>ご本人によるサインインですか？</p>
<p><a href="{{validUrl}}" style="font-weight:bold;">はい、本人です</a></p>
<p><a href="{{invalidUrl}}" style="font-weight:bold;">いいえ、心当たりがありません</a></p>
<p style="color:#666;font-size:13px;">心当たりがない場合は、すぐにパスワードを変更してください。</p>`,
    text: `ご本人によるサインインですか？
はい、本人です: {{validUrl}}
いいえ、心当たりがありません: {{invalidUrl}}

心当たりがない場合は、すぐにパスワードを変更してください。`,
  },
  noLinks: "心当たりがない場合は、すぐにパスワードを変更してください。",
};
