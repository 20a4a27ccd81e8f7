/**
 * Renders a custom message from the bundled templates (no file is read at run time). User data is
 * escaped for HTML in the email and left plain in the SMS; Cognito's placeholders are taken from
 * the request and inserted verbatim, and every result is checked to contain them and to be within
 * Cognito's limits. Anything that cannot be guaranteed throws a TemplateError.
 */

import { cutToLength } from "../lib/text/graphemes.ts";
import { escapeHtml } from "../lib/text/html.ts";
import { fill, TemplateError } from "./fill.ts";
import { fitName } from "./fit.ts";
import { EMAIL_MESSAGE_MAX, EMAIL_SUBJECT_MAX, SMS_MESSAGE_MAX } from "./limits.ts";
import { type Locale, TEMPLATES } from "./templates/index.ts";
import type { CustomMessageSource, LocaleTemplates, MessageTemplate } from "./templates/types.ts";

export interface MessageInput {
  source: CustomMessageSource;
  locale: Locale;
  appName: string;
  /** The display name, already cleaned (display-name.ts); undefined for the neutral greeting. */
  name: string | undefined;
  /** request.codeParameter */
  code: string;
  /** request.usernameParameter; required for AdminCreateUser, ignored otherwise. */
  username: string | null | undefined;
}

export interface RenderedEmail {
  subject: string;
  html: string;
}

export function renderSms(input: MessageInput): string {
  const { locale, template } = templatesFor(input);
  const where = `${input.locale}.${input.source}.sms`;
  const sms = fitName(
    (name) => fill(template.sms, textValues(input, locale, name), where),
    input.name,
    SMS_MESSAGE_MAX,
  );
  if (sms === undefined) throw new TemplateError(`${where}: longer than ${SMS_MESSAGE_MAX} characters`);
  requirePlaceholders(sms, input, where);
  return sms;
}

export function renderEmail(input: MessageInput): RenderedEmail {
  const { locale, template } = templatesFor(input);
  const where = `${input.locale}.${input.source}`;
  const subject =
    fitName(
      (name) => fill(template.subject, textValues(input, locale, name), `${where}.subject`),
      input.name,
      EMAIL_SUBJECT_MAX,
    ) ??
    cutToLength(
      fill(template.subject, textValues(input, locale, undefined), `${where}.subject`),
      EMAIL_SUBJECT_MAX,
    );
  const html = fitName(
    (name) => {
      const values = htmlValues(input, locale, name);
      const content = fill(template.html, values, `${where}.html`);
      return fill(locale.layout, { appName: values.appName, content }, `${input.locale}.layout`);
    },
    input.name,
    EMAIL_MESSAGE_MAX,
  );
  if (html === undefined)
    throw new TemplateError(`${where}.html: longer than ${EMAIL_MESSAGE_MAX} characters`);
  requirePlaceholders(html, input, `${where}.html`);
  return { subject, html };
}

function templatesFor(input: MessageInput): { locale: LocaleTemplates; template: MessageTemplate } {
  const locale: LocaleTemplates | undefined = TEMPLATES[input.locale];
  const template: MessageTemplate | undefined = locale?.messages[input.source];
  if (!locale || !template) throw new TemplateError(`no template for ${input.locale}.${input.source}`);
  if (input.code === "") throw new TemplateError("request.codeParameter is missing");
  if (isAdminCreateUser(input) && !input.username) {
    throw new TemplateError("request.usernameParameter is missing for AdminCreateUser");
  }
  return { locale, template };
}

function textValues(input: MessageInput, locale: LocaleTemplates, name: string | undefined) {
  return {
    greeting: greeting(locale, name, input),
    appName: input.appName,
    code: input.code,
    username: isAdminCreateUser(input) ? (input.username ?? undefined) : undefined,
  };
}

function htmlValues(input: MessageInput, locale: LocaleTemplates, name: string | undefined) {
  return {
    ...textValues(input, locale, name === undefined ? undefined : escapeHtml(name)),
    appName: escapeHtml(input.appName),
  };
}

function greeting(locale: LocaleTemplates, name: string | undefined, input: MessageInput): string {
  if (name === undefined) return locale.greeting.neutral;
  return fill(locale.greeting.named, { name }, `${input.locale}.greeting.named`);
}

function requirePlaceholders(text: string, input: MessageInput, where: string): void {
  if (!text.includes(input.code)) throw new TemplateError(`${where}: the code placeholder is missing`);
  if (isAdminCreateUser(input) && input.username && !text.includes(input.username)) {
    throw new TemplateError(`${where}: the username placeholder is missing`);
  }
}

function isAdminCreateUser(input: MessageInput): boolean {
  return input.source === "CustomMessage_AdminCreateUser";
}
