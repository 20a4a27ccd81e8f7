/**
 * The name a message greets the user by: nickname, else given_name, else name; undefined when none is
 * usable (the templates then use their neutral greeting). Attribute values are whatever the user
 * typed, so the name is made inert for every channel here: control and bidi-override characters
 * removed (no fake line breaks or reversed text in an SMS), braces removed (a name can never bring
 * its own {####} or {username} placeholder), whitespace collapsed, and capped in length.
 * HTML escaping happens later, per channel. Shared by every message the suite writes (custom
 * messages, the welcome email).
 */
import type { StringMap } from "../events.ts";
import { ELLIPSIS, graphemes } from "./graphemes.ts";

export const NAME_MAX_GRAPHEMES = 40;

const NAME_ATTRIBUTES = ["nickname", "given_name", "name"] as const;
const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
// Invisible formatting that can disguise text; the zero-width (non-)joiners stay: emoji and scripts need them.
const INVISIBLE_FORMATTING =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
const BRACES = /[{}]/g;

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
    .replace(BRACES, "")
    .replace(/\s+/gu, " ")
    .trim();
  if (text.length <= NAME_MAX_GRAPHEMES) return text;
  const parts = graphemes(text, NAME_MAX_GRAPHEMES + 1);
  return parts.length <= NAME_MAX_GRAPHEMES ? text : parts.slice(0, NAME_MAX_GRAPHEMES).join("") + ELLIPSIS;
}
