/**
 * A provider attribute's value as it may enter the profile. Provider values are whatever the user or
 * the provider's administrator typed, and the profile feeds tokens, messages and admin screens, so they
 * get the suite's rule for names shown to people (lib/text/invisible.ts, as display-name.ts applies it):
 * controls and line breaks become spaces, characters that render as nothing are removed (a joiner or
 * variation selector stays only where it shapes the character before it), whitespace runs become one
 * space, and the value is trimmed. A value with nothing left is not mapped.
 *
 * Cognito takes attribute values of at most 2048 characters, so a longer one is cut at a character
 * boundary with an ellipsis, except a URL (profile, picture, website), which is dropped: a shortened URL
 * points somewhere else. Email and phone number have rules of their own (trigger.ts).
 */
import { cutToLength } from "../lib/text/graphemes.ts";
import { withoutInvisibleCharacters } from "../lib/text/invisible.ts";

/** Cognito's limit for any attribute value. */
export const MAX_ATTRIBUTE_LENGTH = 2048;

const URL_ATTRIBUTES: ReadonlySet<string> = new Set(["profile", "picture", "website"]);
const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]/gu;

export type ValueOutcome = { value: string } | { dropped: "empty" | "too-long" };

export function cleanValue(poolAttribute: string, raw: string): ValueOutcome {
  const text = withoutInvisibleCharacters(raw.replace(LINE_BREAKS_AND_CONTROLS, " "))
    .replace(/\s+/gu, " ")
    .trim();
  if (text === "") return { dropped: "empty" };
  if (text.length <= MAX_ATTRIBUTE_LENGTH) return { value: text };
  if (URL_ATTRIBUTES.has(poolAttribute)) return { dropped: "too-long" };
  return { value: cutToLength(text, MAX_ATTRIBUTE_LENGTH) };
}
