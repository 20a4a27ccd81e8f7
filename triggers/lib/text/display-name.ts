/**
 * The name a message greets the user by: nickname, else given_name, else name; undefined when none is
 * usable (the templates then use their neutral greeting). Attribute values are whatever the user
 * typed, so the name is made inert for every channel here: controls and line breaks become spaces (no
 * fake line breaks in an SMS), braces are removed (a name can never bring its own {####} or {username}
 * placeholder), characters that render as nothing are removed by the suite's one rule
 * (invisible.ts: bidi controls, zero-width characters, fillers, tags…; a joiner or variation selector
 * stays only where it shapes the character before it), whitespace is collapsed, and the name capped.
 * HTML escaping happens later, per channel. Shared by every message the suite writes (custom
 * messages, the welcome email).
 */
import type { StringMap } from "../events.ts";
import { ELLIPSIS, graphemes } from "./graphemes.ts";
import { withoutInvisibleCharacters } from "./invisible.ts";

export const NAME_MAX_GRAPHEMES = 40;

const NAME_ATTRIBUTES = ["nickname", "given_name", "name"] as const;
const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
const BRACES = /[{}]/g;

export function displayName(attributes: StringMap): string | undefined {
  for (const key of NAME_ATTRIBUTES) {
    const name = clean(attributes[key] ?? "");
    if (name !== "") return name;
  }
  return undefined;
}

function clean(raw: string): string {
  // Braces go before the invisible characters: a joiner kept after "{" must not end up after a space.
  const text = withoutInvisibleCharacters(raw.replace(LINE_BREAKS_AND_CONTROLS, " ").replace(BRACES, ""))
    .replace(/\s+/gu, " ")
    .trim();
  if (text.length <= NAME_MAX_GRAPHEMES) return text;
  const parts = graphemes(text, NAME_MAX_GRAPHEMES + 1);
  return parts.length <= NAME_MAX_GRAPHEMES ? text : parts.slice(0, NAME_MAX_GRAPHEMES).join("") + ELLIPSIS;
}
