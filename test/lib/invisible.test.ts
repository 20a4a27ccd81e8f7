/**
 * The one rule for characters that render as nothing (triggers/lib/text/invisible.ts), checked against
 * the Unicode data of the running Node.js over every code point, and as a class with fast-check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hasInvisibleCharacters,
  isShapingCharacter,
  withoutInvisibleCharacters,
} from "../../triggers/lib/text/invisible.ts";
import { DEFAULT_IGNORABLE_CODE_POINTS, defaultIgnorableCharacter } from "../support/default-ignorable.ts";

const ignorable = defaultIgnorableCharacter;
const visible = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 8 })
  .filter((s) => !hasInvisibleCharacters(s) && s.trim() !== "");

describe("characters that render as nothing", () => {
  it("are the whole Default_Ignorable_Code_Point property as Node ships it", () => {
    // Spot checks from the Unicode data: joiners, variation selectors, bidi controls, fillers, tags.
    for (const cp of [0x00ad, 0x034f, 0x115f, 0x200b, 0x200d, 0x202e, 0x2066, 0x3164, 0xfe0f, 0xffa0]) {
      expect(DEFAULT_IGNORABLE_CODE_POINTS, cp.toString(16)).toContain(cp);
    }
    expect(DEFAULT_IGNORABLE_CODE_POINTS).toContain(0xe0041); // TAG LATIN CAPITAL LETTER A
    expect(DEFAULT_IGNORABLE_CODE_POINTS.length).toBeGreaterThan(4000);
    for (const cp of DEFAULT_IGNORABLE_CODE_POINTS)
      expect(hasInvisibleCharacters(`a${String.fromCodePoint(cp)}b`)).toBe(true);
  });

  it("make any identifier invalid, wherever they sit", () => {
    fc.assert(
      fc.property(visible, ignorable, visible, (before, char, after) => {
        expect(hasInvisibleCharacters(before + char + after)).toBe(true);
      }),
    );
  });

  it("are removed from names, except one joiner or selector right after a visible character", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(visible, ignorable, fc.constant(" ")), { maxLength: 12 }), (parts) => {
        const cleaned = withoutInvisibleCharacters(parts.join(""));
        const chars = [...cleaned];
        chars.forEach((char, i) => {
          if (!hasInvisibleCharacters(char)) return;
          expect(isShapingCharacter(char)).toBe(true);
          const before = chars[i - 1];
          expect(before !== undefined && !hasInvisibleCharacters(before) && !/\s/u.test(before)).toBe(true);
        });
        // Idempotent, and what was visible stays, in order.
        expect(withoutInvisibleCharacters(cleaned)).toBe(cleaned);
        const visibleOnly = (s: string) => [...s].filter((c) => !hasInvisibleCharacters(c)).join("");
        expect(visibleOnly(cleaned)).toBe(visibleOnly(parts.join("")));
      }),
    );
  });

  it("keep emoji sequences and scripts that need joiners", () => {
    const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}";
    expect(withoutInvisibleCharacters(family)).toBe(family);
    expect(withoutInvisibleCharacters("\u2764\uFE0F")).toBe("\u2764\uFE0F");
    expect(withoutInvisibleCharacters("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")).toBe(
      "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
    );
    expect(withoutInvisibleCharacters("\u200DTaro\u200B\u3164")).toBe("Taro");
    expect(withoutInvisibleCharacters("Ta\u200D\u200D\u200Dro")).toBe("Ta\u200Dro");
  });
});
