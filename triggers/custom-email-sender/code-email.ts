/**
 * The email of every message with a code (all sources but the account-takeover notification): Custom
 * message's own template for the matching CustomMessage_ source (lib/custom-sender/message-source.ts),
 * rendered by Custom message's renderer with Cognito's placeholders in the slots, then filled with the
 * code (and, for AdminCreateUser, the user name), HTML-escaped in the HTML part. The same words, the
 * same greeting and the same safety rules as when Cognito sends Custom message's email itself.
 */
import { renderEmail } from "../custom-message/render.ts";
import {
  type CodeMessageInput,
  fillPlaceholders,
  withPlaceholders,
} from "../lib/custom-sender/placeholders.ts";
import { escapeHtml } from "../lib/text/html.ts";
import { htmlToText } from "./plain-text.ts";

export interface RenderedCodeEmail {
  subject: string;
  html: string;
  text: string;
}

export function renderCodeEmail(input: CodeMessageInput): RenderedCodeEmail {
  const email = renderEmail(withPlaceholders(input));
  const plain = { code: input.code, username: input.username };
  const escaped = { code: escapeHtml(input.code), username: input.username && escapeHtml(input.username) };
  return {
    subject: fillPlaceholders(email.subject, plain),
    html: fillPlaceholders(email.html, escaped),
    text: fillPlaceholders(htmlToText(email.html), plain),
  };
}
