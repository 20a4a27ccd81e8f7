/**
 * Names in messages follow the suite's one invisible-character rule (triggers/lib/text/invisible.ts):
 * a user's name (display-name.ts) loses whatever renders as nothing, keeping only a joiner or variation
 * selector that shapes the character before it; the operator's APP_NAME (app-name.ts) is refused,
 * naming the key, when it holds anything that rule would remove. Examples, then fast-check over the
 * whole Default_Ignorable_Code_Point class.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appName } from "../../triggers/lib/app-name.ts";
import { ConfigError } from "../../triggers/lib/errors.ts";
import { displayName } from "../../triggers/lib/text/display-name.ts";
import { ELLIPSIS } from "../../triggers/lib/text/graphemes.ts";
import {
  hasInvisibleCharacters,
  isShapingCharacter,
  withoutInvisibleCharacters,
} from "../../triggers/lib/text/invisible.ts";
import { DEFAULT_IGNORABLE_CODE_POINTS, defaultIgnorableCharacter } from "../support/default-ignorable.ts";

const invisible = defaultIgnorableCharacter;
/** The invisible characters a name never keeps, wherever they stand. */
const neverKept = invisible.filter((c) => !isShapingCharacter(c));
const visible = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 5 })
  .filter((s) => !hasInvisibleCharacters(s) && s.trim() !== "" && !/[{}\p{Cc}\u2028\u2029]/u.test(s));
const piece = fc.oneof(
  visible,
  invisible,
  fc.constantFrom(" ", "\n", "\r\n", "\t", "\u2028", "\u0007", "{", "}", "{####}"),
);
const FAMILY = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}";
const PERSIAN = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";

const appNameError = (raw: string): ConfigError | undefined => {
  try {
    appName()(raw, "APP_NAME");
    return undefined;
  } catch (error) {
    return error as ConfigError;
  }
};

describe("display names", () => {
  it.each([
    ["a zero width space", "Ta\u200Bro", "Taro"],
    ["a Hangul filler", "Taro\u3164", "Taro"],
    ["tag characters", "Taro\u{E0041}\u{E0042}", "Taro"],
    ["a soft hyphen", "Ta\u00ADro", "Taro"],
    ["a combining grapheme joiner", "Ta\u034Fro", "Taro"],
    ["a bidi override", "Taro\u202Eyrev", "Taroyrev"],
    ["a joiner after a space", "Taro \u200DYamada", "Taro Yamada"],
    ["a joiner at the start", "\u200DTaro", "Taro"],
    ["a run of joiners, cut to one", "Ta\u200D\u200D\u200Dro", "Ta\u200Dro"],
    ["a line break and braces", "Taro\n{####}", "Taro ####"],
    ["a joiner that only followed a brace", "Taro {\u200D}", "Taro"],
    ["an emoji family", `${FAMILY} Taro`, `${FAMILY} Taro`],
    ["an emoji with its presentation selector", "\u2764\uFE0F Taro", "\u2764\uFE0F Taro"],
    ["Persian with its non-joiner", PERSIAN, PERSIAN],
  ])("%s: %j becomes %j", (_, nickname, expected) => {
    expect(displayName({ nickname })).toBe(expected);
  });

  it("falls back to given_name when the nickname is only invisible characters", () => {
    expect(displayName({ nickname: "\u3164\u200B\u{E0020}", given_name: "Hanako" })).toBe("Hanako");
    expect(displayName({ nickname: "\u115F\u1160" })).toBeUndefined();
  });

  it("never keep an invisible character but a joiner or selector after a visible one, and keep what is visible (property)", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const raw = parts.join("");
        const name = displayName({ nickname: raw });
        if (name === undefined) return;
        expect(name).not.toMatch(/[{}\p{Cc}\u2028\u2029]|\s\s|^\s|\s$/u);
        const chars = [...name];
        chars.forEach((char, i) => {
          if (!hasInvisibleCharacters(char)) return;
          expect(isShapingCharacter(char)).toBe(true);
          const before = chars[i - 1];
          expect(before !== undefined && !hasInvisibleCharacters(before) && !/\s/u.test(before)).toBe(true);
        });
        expect(withoutInvisibleCharacters(name)).toBe(name);
        // At most 6 pieces of 5 graphemes: never cut, so every visible character is still there.
        const seen = (s: string) =>
          [...s].filter((c) => !hasInvisibleCharacters(c) && !/[\s{}\p{Cc}\u2028\u2029]/u.test(c)).join("");
        expect(name.endsWith(ELLIPSIS) && !raw.includes(ELLIPSIS)).toBe(false);
        expect(seen(name)).toBe(seen(raw));
      }),
      { numRuns: 1_000 },
    );
  });

  it("drop every code point of the property that is not a joiner or selector, wherever it stands", () => {
    for (const cp of DEFAULT_IGNORABLE_CODE_POINTS) {
      const char = String.fromCodePoint(cp);
      if (isShapingCharacter(char)) continue;
      expect(displayName({ nickname: `Ta${char}ro` }), cp.toString(16)).toBe("Taro");
    }
  });
});

describe("APP_NAME", () => {
  it.each(["Acme Notes", `${FAMILY} Notes`, "\u2764\uFE0F Acme", PERSIAN, "アクメ・ノート"])(
    "accepts %j",
    (raw) => {
      expect(appName()(raw, "APP_NAME")).toBe(raw);
    },
  );

  it.each([
    ["a zero width space", "Acme\u200BNotes"],
    ["a Hangul filler", "Acme Notes\u3164"],
    ["a tag character", "Acme\u{E0041}"],
    ["a byte order mark that trimming would hide", "\uFEFFAcme"],
    ["a joiner after a space", "Acme \u200DNotes"],
    ["a run of joiners", "Ac\u200D\u200Dme"],
    ["a bidi override", "Acme\u202ENotes"],
    ["a variation selector at the start", "\uFE0FAcme"],
  ])("refuses %s, naming the key", (_, raw) => {
    const error = appNameError(raw);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ key: "APP_NAME", reason: expect.stringContaining("invisible") });
  });

  it("refuses a line separator, braces and controls as before", () => {
    expect(appNameError("Acme\u2028Notes")?.reason).toContain("line separators");
    expect(appNameError("Acme {####}")?.reason).toContain("braces");
    expect(appNameError("Acme\u0007")?.reason).toContain("control");
  });

  it("refuses any invisible character the name rule would remove, at any position of any accepted name (property)", () => {
    const accepted = fc
      .array(visible, { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join(" "))
      .filter((name) => name.length <= 45 && appNameError(name) === undefined);
    fc.assert(
      fc.property(accepted, neverKept, fc.nat(), (name, char, at) => {
        const chars = [...name];
        const i = at % (chars.length + 1);
        const raw = [...chars.slice(0, i), char, ...chars.slice(i)].join("");
        expect(appNameError(raw)).toMatchObject({ key: "APP_NAME" });
      }),
      { numRuns: 1_000 },
    );
  });

  it("accepts exactly the values the name rule leaves unchanged (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(visible, invisible, fc.constant(" ")), { minLength: 1, maxLength: 6 }),
        (parts) => {
          const raw = parts.join("");
          fc.pre(raw.trim() !== "" && raw.length <= 50);
          expect(appNameError(raw) === undefined).toBe(withoutInvisibleCharacters(raw) === raw);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
