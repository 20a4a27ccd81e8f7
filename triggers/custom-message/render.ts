/**
 * Renders a custom message from the bundled templates (no file is read at run time). User data is
 * escaped for HTML in the email and left plain in the SMS; Cognito's placeholders are taken from
 * the request and inserted verbatim, and every result is checked to contain each required one exactly
 * once, to owe none of them to the user's name (placeholders.ts), and to be within Cognito's limits.
 * Anything that cannot be guaranteed throws a TemplateError.
 */

import { cutToLength } from "../lib/text/graphemes.ts";
import { escapeHtml } from "../lib/text/html.ts";
import { fill, TemplateError } from "./fill.ts";
import { fitName } from "./fit.ts";
import { EMAIL_MESSAGE_MAX, EMAIL_SUBJECT_MAX, SMS_MESSAGE_MAX } from "./limits.ts";
import { carriesPlaceholder, occurrences, sameOccurrences } from "./placeholders.ts";
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
  /**
   * request.usernameParameter; required for AdminCreateUser and only rendered there, but whenever the
   * request has one, no name may carry its text.
   */
  username: string | null | undefined;
}

export interface RenderedEmail {
  subject: string;
  html: string;
}

export function renderSms(input: MessageInput): string {
  const { locale, template } = templatesFor(input);
  const where = `${input.locale}.${input.source}.sms`;
  const render = (name: string | undefined) => fill(template.sms, textValues(input, locale, name), where);
  const sms = fitSafely(render, input, SMS_MESSAGE_MAX, where);
  if (sms === undefined) throw new TemplateError(`${where}: longer than ${SMS_MESSAGE_MAX} characters`);
  requirePlaceholders(sms, input, where);
  return sms;
}

export function renderEmail(input: MessageInput): RenderedEmail {
  const { locale, template } = templatesFor(input);
  const where = `${input.locale}.${input.source}`;
  const renderSubject = (name: string | undefined) =>
    fill(template.subject, textValues(input, locale, name), `${where}.subject`);
  const subject =
    fitSafely(renderSubject, input, EMAIL_SUBJECT_MAX) ??
    cutToLength(renderSubject(undefined), EMAIL_SUBJECT_MAX);
  const renderHtml = (name: string | undefined) => {
    const values = htmlValues(input, locale, name);
    const content = fill(template.html, values, `${where}.html`);
    return fill(locale.layout, { appName: values.appName, content }, `${input.locale}.layout`);
  };
  const html = fitSafely(renderHtml, input, EMAIL_MESSAGE_MAX, `${where}.html`);
  if (html === undefined)
    throw new TemplateError(`${where}.html: longer than ${EMAIL_MESSAGE_MAX} characters`);
  requirePlaceholders(html, input, `${where}.html`);
  return { subject, html };
}

/**
 * fitName, with the name used only where it brings no placeholder: a name carrying the text of one is
 * dropped for the neutral greeting (cutting the text out could leave a name the user never wrote), and
 * any rendering whose placeholder count the name changed (an escaped "&" meeting an odd
 * codeParameter, text joined across the name's edges) is passed over for a shorter name or none.
 * With `where`, the text must hold each required placeholder exactly once without a name, or it is
 * refused before any name is tried: a codeParameter the template's own words already contain cannot
 * be told apart from the slot Cognito must fill.
 */
function fitSafely(
  render: (name: string | undefined) => string,
  input: MessageInput,
  limit: number,
  where?: string,
): string | undefined {
  const neutral = render(undefined);
  if (where !== undefined) requirePlaceholders(neutral, input, where);
  const placeholders = placeholdersOf(input);
  const name =
    input.name !== undefined && !carriesPlaceholder(input.name, placeholders) ? input.name : undefined;
  return fitName(render, name, limit, sameOccurrences(neutral, placeholders));
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

/** Every placeholder text of the request, which no name may carry. */
function placeholdersOf(input: MessageInput): string[] {
  return input.username ? [input.code, input.username] : [input.code];
}

/** The placeholders this message must hold, each exactly once (where the template puts it). */
function requirePlaceholders(text: string, input: MessageInput, where: string): void {
  const required: [string, string][] = [["code", input.code]];
  if (isAdminCreateUser(input) && input.username) required.push(["username", input.username]);
  for (const [what, placeholder] of required) {
    const count = occurrences(text, placeholder);
    if (count === 0) throw new TemplateError(`${where}: the ${what} placeholder is missing`);
    // The request's text is not quoted: the log gets the count, nothing the event carried.
    if (count > 1) throw new TemplateError(`${where}: the ${what} placeholder occurs ${count} times`);
  }
}

function isAdminCreateUser(input: MessageInput): boolean {
  return input.source === "CustomMessage_AdminCreateUser";
}
