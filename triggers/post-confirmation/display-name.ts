/**
 * The name the welcome email greets the user by: nickname, else given_name, else name; undefined for
 * the neutral greeting. User-typed, so made inert here: control and bidi-override characters removed,
 * whitespace collapsed, capped at NAME_MAX_GRAPHEMES without splitting a visible character.
 * HTML escaping happens when the email is rendered.
 * (The custom message trigger applies the same rules; handlers do not import each other.)
 */
import type { StringMap } from "../lib/events.ts";

export const NAME_MAX_GRAPHEMES = 40;

const NAME_ATTRIBUTES = ["nickname", "given_name", "name"] as const;
const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
// Invisible formatting that can disguise text; the zero-width (non-)joiners stay: emoji and scripts need them.
const INVISIBLE_FORMATTING =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

export function displayName(attributes: StringMap): string | undefined {
  for (const key of NAME_ATTRIBUTES) {
    const name = clean(attributes[key] ?? "");
    if (name !== "") return name;
  }
  return undefined;
}

function clean(raw: string): string {
  const text = raw
    .replace(LINE_BREAKS_AND_CONTROLS, " ")
    .replace(INVISIBLE_FORMATTING, "")
    .replace(/\s+/gu, " ")
    .trim();
  if (text.length <= NAME_MAX_GRAPHEMES) return text;
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const parts = Array.from(segmenter.segment(text), (s) => s.segment);
  return parts.length <= NAME_MAX_GRAPHEMES ? text : `${parts.slice(0, NAME_MAX_GRAPHEMES).join("")}…`;
}
