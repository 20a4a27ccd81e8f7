/**
 * Characters that render as nothing: the Unicode property Default_Ignorable_Code_Point (joiners,
 * variation selectors, bidi marks and controls, fillers such as U+3164, tag characters, …), as the
 * Unicode data of the running Node.js (ICU) defines it, so the set is never a hand-kept list.
 *
 * One rule for every place that reads text a person will compare by eye:
 * - an identifier (an email address, a login name) containing any of them is invalid: two addresses
 *   that look the same must be the same address;
 * - a name shown in a message (a nickname, the app name) loses them, except the joiners and variation
 *   selectors that shape the visible character right before them (emoji sequences, Persian and Indic
 *   scripts need them); a run of them is cut to one, and none is kept after a space or at the start.
 */

/** Any default-ignorable code point. */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * The default-ignorable code points that join or select the glyph of the character before them:
 * ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER, and the variation selectors (VS1-16, VS17-256).
 */
const SHAPING = /^(?:\u200C|\u200D|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}])$/u;

/** True for one joiner or variation selector (one code point). */
export function isShapingCharacter(char: string): boolean {
  return SHAPING.test(char);
}

/** True when `text` holds any character that renders as nothing. */
export function hasInvisibleCharacters(text: string): boolean {
  return DEFAULT_IGNORABLE.test(text);
}

/**
 * `text` without the characters that render as nothing, keeping one shaping character (joiner or
 * variation selector) directly after a visible character.
 */
export function withoutInvisibleCharacters(text: string): string {
  if (!DEFAULT_IGNORABLE.test(text)) return text;
  let out = "";
  let previous: "visible" | "shaping" | "other" = "other";
  for (const char of text) {
    if (!DEFAULT_IGNORABLE.test(char)) {
      out += char;
      previous = /\s/u.test(char) ? "other" : "visible";
    } else if (isShapingCharacter(char) && previous === "visible") {
      out += char;
      previous = "shaping";
    }
  }
  return out;
}
