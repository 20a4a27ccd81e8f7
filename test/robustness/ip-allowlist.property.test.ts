/**
 * The IP allowlist's decision on hostile input, beyond test/pre-authentication/ip-allowlist.property
 * .test.ts (which checks CIDR matching against a reference on well-formed addresses): every ambiguous
 * spelling of an IPv4 address that some parser reads as another address (leading zeros as octal, hex
 * octets, the short inet_aton forms, signs, a trailing dot) is refused, never matched; and whatever a
 * caller puts in validationData, the decision never throws, admits only a trusted client's address
 * inside the list, and never records an untrusted client's claim.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpAddress } from "../../triggers/pre-authentication/ip-address.ts";
import { IpAllowlist, parseCidr } from "../../triggers/pre-authentication/ip-allowlist.ts";
import { decide, type SignInPolicy } from "../../triggers/pre-authentication/sign-in-policy.ts";

const TRUSTED = "1h2j3k4l5m6n7o8p9q0r1s2t3u";
const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));

/** Spellings of a.b.c.d that other parsers (inet_aton, old BSD, some URL parsers) read differently. */
const AMBIGUOUS: ((o: number[], i: number) => string)[] = [
  (o, i) => o.map((n, j) => (j === i ? `0${n}` : `${n}`)).join("."), // a leading zero: octal to inet_aton
  (o, i) => o.map((n, j) => (j === i ? `0x${n.toString(16)}` : `${n}`)).join("."), // a hex octet
  (o) => `${o[0]}.${o[1]}.${((o[2] ?? 0) << 8) | (o[3] ?? 0)}`, // a.b.c16
  (o) => `${o[0]}.${((o[1] ?? 0) << 16) | ((o[2] ?? 0) << 8) | (o[3] ?? 0)}`, // a.b24
  (o) => `${o.reduce((v, n) => v * 256 + n, 0)}`, // one 32-bit number
  (o) => `${o.join(".")}.`, // a trailing dot
  (o, i) => o.map((n, j) => (j === i ? `+${n}` : `${n}`)).join("."), // a sign
  (o, i) => o.map((n, j) => (j === i ? `${n}`.padStart(4, "0") : `${n}`)).join("."), // zero padding
];

function policy(ranges: string[], untrustedClients: "deny" | "allow" = "deny"): SignInPolicy {
  return {
    allowlist: new IpAllowlist(ranges.map(parseCidr)),
    trustedClientIds: new Set([TRUSTED]),
    untrustedClients,
  };
}

describe("IP allowlist on hostile input (properties)", () => {
  it("refuses every ambiguous spelling of an IPv4 address, as a sourceIp and in a range", () => {
    fc.assert(
      fc.property(octets, fc.nat(3), fc.nat(AMBIGUOUS.length - 1), (o, i, which) => {
        const spelled = (AMBIGUOUS[which] as (typeof AMBIGUOUS)[number])(o, i);
        fc.pre(spelled !== o.join("."));
        expect(parseIpAddress(spelled)).toBeUndefined();
        expect(() => parseCidr(`${spelled}/32`)).toThrow();
        // Even a list that admits every IPv4 address does not admit it.
        expect(
          decide(policy(["0.0.0.0/0"]), { clientId: TRUSTED, validationData: { sourceIp: spelled } }),
        ).toEqual({
          allowed: false,
          reason: "ip-malformed",
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it("decides any validationData without throwing, admitting only a trusted client's address in the list", () => {
    const sourceIp = fc.oneof(
      fc.constantFrom(
        "203.0.113.5",
        "203.0.113.255",
        "198.51.100.7",
        "::ffff:203.0.113.9",
        "2001:db8:1234::1",
        "2001:db8:9999::1",
      ),
      fc.string({ maxLength: 50 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const validationData = fc.oneof(
      fc.record({ sourceIp }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 3 }),
      // JSON text, so "__proto__" is an own key as Lambda's parser leaves it.
      fc.constant(JSON.parse('{"__proto__":{"sourceIp":"203.0.113.5"}}') as unknown),
    );
    const clientId = fc.oneof(fc.constant(TRUSTED), fc.string({ maxLength: 30 }), fc.constant(undefined));
    const list = policy(["203.0.113.0/24", "2001:db8:1234::/48"]);
    fc.assert(
      fc.property(
        clientId,
        validationData,
        fc.constantFrom("deny", "allow") as fc.Arbitrary<"deny" | "allow">,
        (client, data, untrusted) => {
          const decision = decide(
            { ...list, untrustedClients: untrusted },
            { clientId: client, validationData: data },
          );
          if (client !== TRUSTED) {
            expect(decision).toEqual(
              untrusted === "allow" ? { allowed: true } : { allowed: false, reason: "untrusted-client" },
            );
            return;
          }
          const claimed =
            typeof data === "object" &&
            data !== null &&
            !Array.isArray(data) &&
            Object.hasOwn(data, "sourceIp")
              ? (data as { sourceIp: unknown }).sourceIp
              : undefined;
          const parsed = typeof claimed === "string" ? parseIpAddress(claimed) : undefined;
          if (decision.allowed) {
            expect(parsed).toBeDefined();
            expect(list.allowlist.allows(parsed as NonNullable<typeof parsed>)).toBe(true);
          } else if (parsed) {
            expect(decision.reason).toBe("ip-not-allowed");
          } else {
            expect(["ip-missing", "ip-malformed"]).toContain(decision.reason);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
