/**
 * Every Default_Ignorable_Code_Point of the running Node's Unicode data, found one code point at a time
 * (not a hand-kept list), and a fast-check arbitrary over them: what the invisible-character rule of
 * triggers/lib/text/invisible.ts is tested against.
 */
import fc from "fast-check";

export const DEFAULT_IGNORABLE_CODE_POINTS: readonly number[] = (() => {
  const found: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (/^\p{Default_Ignorable_Code_Point}$/u.test(String.fromCodePoint(cp))) found.push(cp);
  }
  return found;
})();

/** One default-ignorable character. */
export const defaultIgnorableCharacter = fc
  .constantFrom(...DEFAULT_IGNORABLE_CODE_POINTS)
  .map((cp) => String.fromCodePoint(cp));
