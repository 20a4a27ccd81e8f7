/**
 * The text message of every source: Custom message's own SMS template for the matching CustomMessage_
 * source (lib/custom-sender/message-source.ts), rendered by Custom message's renderer with Cognito's
 * placeholders in the slots (so within its 140 characters with a six-digit code, the name shortened
 * or dropped to fit, no placeholder owed to the name), then filled with the code and, for
 * AdminCreateUser, the user name. A temporary password longer than the placeholder can make the text
 * longer than 140 characters; SNS then sends it in several parts.
 */
import { renderSms } from "../custom-message/render.ts";
import {
  type CodeMessageInput,
  fillPlaceholders,
  withPlaceholders,
} from "../lib/custom-sender/placeholders.ts";

export function renderCodeText(input: CodeMessageInput): string {
  return fillPlaceholders(renderSms(withPlaceholders(input)), { code: input.code, username: input.username });
}
