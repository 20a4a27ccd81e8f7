/** The English account-takeover notification. Edit freely: tokens are described in ./types.ts. */
import type { AccountTakeoverTemplates } from "./types.ts";

export const en: AccountTakeoverTemplates = {
  subject: "Unusual sign-in to your {{appName}} account",
  html: `<p>{{greeting}}</p>
<p>We noticed a sign-in to your {{appName}} account that did not look like you. {{action}}</p>
<table style="border-collapse:collapse;margin:16px 0;">
{{details}}
</table>
{{links}}`,
  text: `{{greeting}}

We noticed a sign-in to your {{appName}} account that did not look like you. {{action}}

{{details}}

{{links}}`,
  labels: { time: "Time", ipAddress: "IP address", location: "Location", device: "Device" },
  detail: {
    html: `<tr><td style="color:#666;padding:4px 16px 4px 0;">{{label}}</td><td style="padding:4px 0;">{{value}}</td></tr>`,
    text: "{{label}}: {{value}}",
  },
  actions: {
    blocked: "We blocked this sign-in.",
    challenged: "We asked for an extra verification before letting it through.",
    allowed: "We let it through.",
    detected: "",
  },
  links: {
    html: `<p>Was this you?</p>
<p><a href="{{validUrl}}" style="font-weight:bold;">Yes, this was me</a></p>
<p><a href="{{invalidUrl}}" style="font-weight:bold;">No, this wasn't me</a></p>
<p style="color:#666;font-size:13px;">If it wasn't you, change your password right away.</p>`,
    text: `Was this you?
Yes, this was me: {{validUrl}}
No, this wasn't me: {{invalidUrl}}

If it wasn't you, change your password right away.`,
  },
  noLinks: "If it wasn't you, change your password right away.",
};
