/**
 * The shape of a locale's templates. Templates are plain strings with {{token}} slots that the
 * renderer fills; it escapes user data for HTML itself, so a template never has to.
 *
 * Tokens:
 *   {{greeting}}  the locale's `greeting.named` with the user's name, or `greeting.neutral`
 *   {{appName}}   APP_NAME
 *   {{code}}      request.codeParameter: the code or temporary password placeholder (required in
 *                 every email body and SMS)
 *   {{username}}  request.usernameParameter (AdminCreateUser only, where it is required as well)
 *   {{content}}   in `layout` only: the message's HTML
 * `greeting.named` takes {{name}}. An unknown token, or a message without its required tokens, is a
 * rendering failure: Cognito's default message is sent instead and the error is logged.
 */
import type { TRIGGERS } from "../../lib/events.ts";

export type CustomMessageSource = (typeof TRIGGERS)["custom-message"]["sources"][number];

export interface MessageTemplate {
  /** At most 140 characters once rendered (longer subjects are cut). */
  subject: string;
  /** The email's HTML, placed into `layout`; at most 20,000 characters with the layout. */
  html: string;
  /** At most 140 characters including the code; the name is shortened or dropped to fit. */
  sms: string;
}

export interface LocaleTemplates {
  greeting: { named: string; neutral: string };
  layout: string;
  messages: Record<CustomMessageSource, MessageTemplate>;
}
