/**
 * Renders the welcome email from the bundled templates (no file is read at run time): the user's
 * name HTML-escaped in the HTML part and plain in the text part.
 */

import { escapeHtml } from "../lib/text/html.ts";
import { type Locale, WELCOME_TEMPLATES } from "./templates/index.ts";

export interface WelcomeInput {
  locale: Locale;
  appName: string;
  /** Already cleaned (display-name.ts); undefined for the neutral greeting. */
  name: string | undefined;
}

export interface WelcomeEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderWelcome(input: WelcomeInput): WelcomeEmail {
  const templates = WELCOME_TEMPLATES[input.locale];
  const greeting = (name: string | undefined) =>
    name === undefined ? templates.greeting.neutral : fill(templates.greeting.named, { name });
  const plain = { greeting: greeting(input.name), appName: input.appName };
  const html = {
    greeting: greeting(input.name === undefined ? undefined : escapeHtml(input.name)),
    appName: escapeHtml(input.appName),
  };
  return {
    subject: fill(templates.subject, plain),
    html: fill(templates.html, html),
    text: fill(templates.text, plain),
  };
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_, token: string) => {
    if (!Object.hasOwn(values, token)) throw new Error(`welcome template: {{${token}}} is not available`);
    return values[token] as string;
  });
}
