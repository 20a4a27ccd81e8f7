/**
 * A sender renders Custom message's templates as Cognito would see them, with Cognito's own
 * placeholders in the slots (`{####}` for the code, `{username}` for AdminCreateUser's user name), so
 * that every rule of that renderer holds unchanged: each placeholder exactly once, none brought by the
 * user's name. Then it does what Cognito does with Custom message's answer: puts the values in.
 *
 * One pass over the text, so a value can never be read as the other placeholder (a temporary password
 * may hold braces). Values are escaped by the caller for the channel (HTML in an email).
 */
import type { MessageInput } from "../../custom-message/render.ts";
import type { TriggerEvent } from "../events.ts";

export const CODE_PLACEHOLDER = "{####}";
export const USERNAME_PLACEHOLDER = "{username}";

const EITHER = /\{####\}|\{username\}/g;

/** What a message with a code is rendered from, in either channel. */
export interface CodeMessageInput {
  source: MessageInput["source"];
  locale: MessageInput["locale"];
  appName: string;
  /** Already cleaned (display-name.ts); undefined for the neutral greeting. */
  name: string | undefined;
  /** The decrypted code or temporary password. */
  code: string;
  /** The user name AdminCreateUser's message shows; ignored by every other source. */
  username: string | undefined;
}

/** Custom message's render input for the message, with the placeholders in the code and user name slots. */
export function withPlaceholders(input: CodeMessageInput): MessageInput {
  return {
    source: input.source,
    locale: input.locale,
    appName: input.appName,
    name: input.name,
    code: CODE_PLACEHOLDER,
    // The renderer refuses AdminCreateUser without a user name, as it does for Custom message.
    username:
      input.source === "CustomMessage_AdminCreateUser" && input.username ? USERNAME_PLACEHOLDER : undefined,
  };
}

export function fillPlaceholders(text: string, values: { code: string; username?: string }): string {
  return text.replace(EITHER, (placeholder) =>
    placeholder === CODE_PLACEHOLDER ? values.code : (values.username ?? placeholder),
  );
}

/** The user name that fills `{username}`: the event's, when it has one. */
export function userNameOf(event: TriggerEvent): string | undefined {
  return typeof event.userName === "string" && event.userName !== "" ? event.userName : undefined;
}
