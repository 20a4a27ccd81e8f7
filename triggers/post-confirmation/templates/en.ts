/** The English welcome email. Edit freely: tokens are described in ./types.ts; tests render it. */
import type { WelcomeTemplates } from "./types.ts";

export const en: WelcomeTemplates = {
  greeting: { named: "Hi {{name}},", neutral: "Hello," },
  subject: "Welcome to {{appName}}",
  html: `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{appName}}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;">
<p style="font-size:18px;font-weight:bold;margin:0 0 16px;">{{appName}}</p>
<p>{{greeting}}</p>
<p>Welcome to {{appName}}! Your account is confirmed and ready to use.</p>
<p>If you ever forget your password, you can reset it from the sign-in page.</p>
<p style="color:#666;font-size:13px;">You are receiving this email because an account was created with this address.</p>
</div>
</body>
</html>`,
  text: `{{greeting}}

Welcome to {{appName}}! Your account is confirmed and ready to use.

If you ever forget your password, you can reset it from the sign-in page.

You are receiving this email because an account was created with this address.`,
};
