/**
 * Reserved claim names as case-insensitive consumers (.NET's HasClaim, several API gateways) read them:
 * any spelling of a claim Cognito owns that differs from Cognito's own, by case, by spaces around it,
 * or by letters whose upper case is ASCII ("ſ"), is refused, in any token, added with any source or
 * suppressed, with a message naming the key and the claim as written. Cognito's own spelling keeps
 * Cognito's rules (test/pre-token-generation/claims-config.test.ts has the examples).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClaimsConfig } from "../../triggers/pre-token-generation/claims-config.ts";

/** Developer Guide, "Pre token generation Lambda trigger" (contract §7.5): written out, not imported. */
const OWNED = [
  "sub",
  "cognito:username",
  "identities",
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "exp",
  "iat",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "token_use",
  // Access-token claims, refused in the ID token too.
  "client_id",
  "event_id",
  "device_key",
  "version",
  "username",
];
const GROUPS = ["cognito:groups", "cognito:roles", "cognito:preferred_role"];
/** Names with a rule of their own, refused in any other spelling all the same. */
const SPECIAL = ["aud", "scope", "cognito:user_status", "dev:custom:tier"];
const RESERVED = [...OWNED, ...GROUPS, ...SPECIAL];

const SPACES = [" ", "\t", "\n", "\u00A0", "\u3000", "\u2003"];
/**
 * Another spelling of `name`: each letter in either case (or a letter whose upper case it is), maybe
 * padded; of a dev: attribute, only its "dev:" prefix.
 */
const variant = (name: string) =>
  fc
    .tuple(
      fc.array(fc.constantFrom("lower", "upper", "lookalike"), {
        minLength: name.length,
        maxLength: name.length,
      }),
      fc.array(fc.constantFrom(...SPACES), { maxLength: 2 }).map((s) => s.join("")),
      fc.array(fc.constantFrom(...SPACES), { maxLength: 2 }).map((s) => s.join("")),
    )
    .map(([cases, before, after]) => {
      const letters = [...name].map((c, i) => {
        // After "dev:" comes the attribute's own name, whose case is its own.
        if (name.startsWith("dev:") && i >= 4) return c;
        if (cases[i] === "upper") return c.toUpperCase();
        // "ſ" and "ı" upper-case to "S" and "I": .NET's OrdinalIgnoreCase takes them for s and i.
        if (cases[i] === "lookalike") return c === "s" ? "ſ" : c === "i" ? "ı" : c;
        return c;
      });
      return `${before}${letters.join("")}${after}`;
    })
    .filter((spelling) => spelling !== name);

const reservedVariant = fc
  .constantFrom(...RESERVED)
  .chain((name) => variant(name).map((v) => [name, v] as const));
const source = fc.constantFrom<unknown>(
  { value: "x" },
  { value: ["x"] },
  { fromAttribute: "custom:tenant_id" },
  { fromClientId: true },
);
const token = fc.constantFrom("idToken", "accessToken");
const parse = (config: unknown) => () => parseClaimsConfig(JSON.parse(JSON.stringify(config)));

describe("reserved claim names in any spelling (properties)", () => {
  it("refuses any case or whitespace variation of a reserved name added to either token, naming key and claim", () => {
    fc.assert(
      fc.property(reservedVariant, token, source, ([canonical, spelling], where, how) => {
        const config = {
          [where]: {
            add: Object.fromEntries([[spelling, how]]),
            ...(where === "idToken" ? { jsonValues: true } : {}),
          },
        };
        expect(parse(config)).toThrow(`${where}.add.${spelling}: "${spelling}"`);
        // Other spellings are named with the claim they would pass for.
        expect(parse(config)).toThrow(`"${canonical}"`);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses them in suppress too, where Cognito would quietly suppress nothing", () => {
    fc.assert(
      fc.property(reservedVariant, token, ([canonical, spelling], where) => {
        const config = { [where]: { suppress: [spelling] } };
        expect(parse(config)).toThrow(`${where}.suppress: "${spelling}" is Cognito's "${canonical}"`);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses any padded claim name, reserved or not, and any with control or invisible characters", () => {
    const ordinary = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((n) => !RESERVED.includes(n));
    const broken = fc.oneof(
      fc
        .tuple(ordinary, fc.constantFrom(...SPACES), fc.boolean())
        .map(([n, s, front]) => (front ? `${s}${n}` : `${n}${s}`)),
      fc
        .tuple(
          ordinary,
          fc.constantFrom("\u200B", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u0000", "\u007F"),
        )
        .map(([n, c]) => `${n.slice(0, 1)}${c}${n.slice(1)}`),
    );
    fc.assert(
      fc.property(broken, token, (spelling, where) => {
        expect(parse({ [where]: { add: Object.fromEntries([[spelling, { value: "x" }]]) } })).toThrow(
          `${where}.add.${spelling}: "${spelling}"`,
        );
        expect(parse({ [where]: { suppress: [spelling] } })).toThrow(`${where}.suppress: "${spelling}"`);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses two added claims that differ only in case, and a claim added in one case and suppressed in another", () => {
    const name = fc
      .stringMatching(/^[a-z][a-z0-9_]{0,10}$/)
      .filter((n) => /[a-z]/.test(n) && !RESERVED.includes(n));
    fc.assert(
      fc.property(name, token, (n, where) => {
        const upper = n.toUpperCase();
        expect(parse({ [where]: { add: { [n]: { value: "a" }, [upper]: { value: "b" } } } })).toThrow(
          "differ only in case",
        );
        expect(parse({ [where]: { add: { [n]: { value: "a" } }, suppress: [upper] } })).toThrow(
          `"${n}" is added and "${upper}" suppressed`,
        );
        // The name alone, in one spelling, is an ordinary claim.
        expect(parseClaimsConfig({ [where]: { add: { [upper]: { value: "a" } } } })[where].add).toHaveLength(
          1,
        );
      }),
      { numRuns: 200 },
    );
  });
});
