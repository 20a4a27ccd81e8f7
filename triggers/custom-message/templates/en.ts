/** English messages. Edit freely: the tokens are described in ./types.ts; tests render every one. */
import type { LocaleTemplates } from "./types.ts";

const code = `<p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:16px 0;">{{code}}</p>`;
const ignore = `<p style="color:#666;font-size:13px;">If you did not ask for this, you can ignore this email.</p>`;

export const en: LocaleTemplates = {
  greeting: { named: "Hi {{name}},", neutral: "Hello," },

  layout: `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{appName}}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;">
<p style="font-size:18px;font-weight:bold;margin:0 0 16px;">{{appName}}</p>
{{content}}
</div>
</body>
</html>`,

  messages: {
    CustomMessage_SignUp: {
      subject: "Confirm your {{appName}} account",
      html: `<p>{{greeting}}</p>
<p>Thanks for signing up for {{appName}}. Enter this code to confirm your account:</p>
${code}
${ignore}`,
      sms: "{{greeting}} your {{appName}} confirmation code is {{code}}",
    },
    CustomMessage_ResendCode: {
      subject: "Your new {{appName}} confirmation code",
      html: `<p>{{greeting}}</p>
<p>Here is your new code to confirm your {{appName}} account:</p>
${code}
${ignore}`,
      sms: "{{greeting}} your new {{appName}} confirmation code is {{code}}",
    },
    CustomMessage_AdminCreateUser: {
      subject: "You're invited to {{appName}}",
      html: `<p>{{greeting}}</p>
<p>An account has been created for you on {{appName}}. Sign in with these details; you will choose your own password then.</p>
<p>Username: <strong>{{username}}</strong></p>
<p>Temporary password: <strong>{{code}}</strong></p>`,
      sms: "{{greeting}} you're invited to {{appName}}. Username: {{username}} Temporary password: {{code}}",
    },
    CustomMessage_ForgotPassword: {
      subject: "Reset your {{appName}} password",
      html: `<p>{{greeting}}</p>
<p>We received a request to reset your {{appName}} password. Enter this code to choose a new one:</p>
${code}
<p style="color:#666;font-size:13px;">If you did not ask for this, ignore this email: your password stays the same.</p>`,
      sms: "{{greeting}} your {{appName}} password reset code is {{code}}",
    },
    CustomMessage_UpdateUserAttribute: {
      subject: "Verify your new {{appName}} contact details",
      html: `<p>{{greeting}}</p>
<p>Your {{appName}} contact details were changed. Enter this code to verify them:</p>
${code}
<p style="color:#666;font-size:13px;">If you did not make this change, contact us right away.</p>`,
      sms: "{{greeting}} your {{appName}} verification code is {{code}}",
    },
    CustomMessage_VerifyUserAttribute: {
      subject: "Your {{appName}} verification code",
      html: `<p>{{greeting}}</p>
<p>Enter this code to verify your contact details on {{appName}}:</p>
${code}
${ignore}`,
      sms: "{{greeting}} your {{appName}} verification code is {{code}}",
    },
    CustomMessage_Authentication: {
      subject: "Your {{appName}} sign-in code",
      html: `<p>{{greeting}}</p>
<p>Enter this code to finish signing in to {{appName}}:</p>
${code}
<p style="color:#666;font-size:13px;">If you are not signing in right now, someone may know your password: change it.</p>`,
      sms: "{{greeting}} your {{appName}} sign-in code is {{code}}",
    },
  },
};
