/**
 * The allowlist against a reference CIDR implementation on random input. The reference is deliberately
 * naive: addresses are BigInts, a range contains an address when both agree on their first `prefix`
 * bits, and an IPv4-mapped IPv6 address (::ffff:0:0/96) is its low 32 bits as IPv4. The code under test
 * only ever sees text, written in the many ways an address can be spelled, so these properties cover
 * parsing, canonicalisation, mapped addresses and BlockList matching together.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparableAddress, parseIpAddress } from "../../triggers/pre-authentication/ip-address.ts";
import { IpAllowlist, parseCidr } from "../../triggers/pre-authentication/ip-allowlist.ts";

type Family = 4 | 6;
interface Address {
  family: Family;
  value: bigint;
}
interface Range extends Address {
  prefix: number;
}

// ---- the reference ----------------------------------------------------------------------------
const BITS: Record<Family, bigint> = { 4: 32n, 6: 128n };
const isMappedValue = (value: bigint) => value >> 32n === 0xffffn;

function refComparable(address: Address): Address {
  return address.family === 6 && isMappedValue(address.value)
    ? { family: 4, value: address.value & 0xffff_ffffn }
    : address;
}

function refContains(range: Range, address: Address): boolean {
  const a = refComparable(address);
  if (a.family !== range.family) return false;
  const shift = BITS[range.family] - BigInt(range.prefix);
  return a.value >> shift === range.value >> shift;
}

function refHasHostBits(range: Range): boolean {
  const shift = BITS[range.family] - BigInt(range.prefix);
  return (range.value & ((1n << shift) - 1n)) !== 0n;
}

function valueOfBytes(bytes: readonly number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

// ---- writing addresses as text, in every spelling ----------------------------------------------
const ipv4Text = (value: bigint) =>
  [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 255n).toString()).join(".");
const hextets = (value: bigint) =>
  Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));

/** Replaces the longest run of "0" groups (at least `minRun`) with "::". */
function compress(groups: string[], minRun: number): string {
  let best = { start: -1, length: 0 };
  for (let start = 0; start < groups.length; start++) {
    let length = 0;
    while (groups[start + length] === "0") length++;
    if (length > best.length) best = { start, length };
  }
  if (best.length < minRun) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}

const IPV6_SPELLINGS = ["full", "padded", "compressed", "compressed-single", "upper", "dotted-tail"] as const;
type Ipv6Spelling = (typeof IPV6_SPELLINGS)[number];

function ipv6Text(value: bigint, spelling: Ipv6Spelling): string {
  const groups = hextets(value);
  switch (spelling) {
    case "full":
      return groups.join(":");
    case "padded":
      return groups.map((g) => g.padStart(4, "0")).join(":");
    case "compressed":
      return compress(groups, 2);
    case "compressed-single":
      return compress(groups, 1);
    case "upper":
      return compress(groups, 2).toUpperCase();
    case "dotted-tail":
      return compress([...groups.slice(0, 6), ipv4Text(value & 0xffff_ffffn)], 1);
  }
}

const addressText = (address: Address, spelling: Ipv6Spelling) =>
  address.family === 4 ? ipv4Text(address.value) : ipv6Text(address.value, spelling);

// ---- generators -------------------------------------------------------------------------------
const ipv4Value = fc.bigInt({ min: 0n, max: 2n ** 32n - 1n });
/** IPv6 values rich in zero groups (so "::" appears) as well as arbitrary ones. */
const ipv6Value = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
  fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
    .map((groups) => groups.reduce((value, g) => (value << 16n) | BigInt(g), 0n)),
  ipv4Value.map((v4) => v4), // IPv4-compatible ::a.b.c.d (not mapped)
  ipv4Value.map((v4) => (0x64ff9bn << 96n) | v4), // NAT64 64:ff9b::/96 (not mapped)
);
const mappedValue = ipv4Value.map((v4) => (0xffffn << 32n) | v4);

const address: fc.Arbitrary<Address> = fc.oneof(
  ipv4Value.map((value) => ({ family: 4 as const, value })),
  ipv6Value.map((value) => ({ family: 6 as const, value })),
  mappedValue.map((value) => ({ family: 6 as const, value })),
);

const maskTo = (family: Family, value: bigint, prefix: number) => {
  const shift = BITS[family] - BigInt(prefix);
  return (value >> shift) << shift;
};

/** Valid ranges: the network has no host bits, and no IPv6 range lies in the mapped block. */
const range: fc.Arbitrary<Range> = fc
  .oneof(
    fc.record({ family: fc.constant(4 as const), value: ipv4Value, prefix: fc.integer({ min: 0, max: 32 }) }),
    fc.record({
      family: fc.constant(6 as const),
      value: ipv6Value,
      prefix: fc.integer({ min: 0, max: 128 }),
    }),
  )
  .map((r) => ({ ...r, value: maskTo(r.family, r.value, r.prefix) }))
  .filter((r) => !(r.family === 6 && isMappedValue(r.value)));

/** An address inside `r`: its network bits with random host bits; IPv4 ones sometimes written mapped. */
const addressInside = (r: Range): fc.Arbitrary<Address> =>
  fc
    .tuple(r.family === 4 ? ipv4Value : fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), fc.boolean())
    .map(([random, mapped]) => {
      const shift = BITS[r.family] - BigInt(r.prefix);
      const value = r.value | (random & ((1n << shift) - 1n));
      return r.family === 4 && mapped
        ? { family: 6, value: (0xffffn << 32n) | value }
        : { family: r.family, value };
    });

const spelling = fc.constantFrom(...IPV6_SPELLINGS);
const RUNS = { numRuns: 1_000 };

describe("IP allowlist against the reference CIDR implementation", () => {
  it("reads every spelling of an address as that address, and compares mapped ones as IPv4", () => {
    fc.assert(
      fc.property(address, spelling, (a, s) => {
        const text = addressText(a, s);
        const parsed = parseIpAddress(text);
        expect(parsed, text).toBeDefined();
        if (!parsed) return;
        expect(parsed.family).toBe(a.family === 4 ? "ipv4" : "ipv6");
        expect(valueOfBytes(parsed.bytes)).toBe(a.value);
        const comparable = comparableAddress(parsed);
        const expected = refComparable(a);
        expect(comparable.family).toBe(expected.family === 4 ? "ipv4" : "ipv6");
        expect(valueOfBytes(comparable.bytes)).toBe(expected.value);
        // The canonical text is itself an address that reads back to the same value.
        expect(valueOfBytes(parseIpAddress(comparable.text)?.bytes ?? [])).toBe(expected.value);
      }),
      RUNS,
    );
  });

  it("admits exactly the addresses the reference says a list of ranges contains", () => {
    const listAndAddress = fc
      .array(range, { minLength: 1, maxLength: 4 })
      .chain((ranges) =>
        fc.tuple(
          fc.constant(ranges),
          fc.oneof(address, fc.constantFrom(...ranges).chain(addressInside)),
          spelling,
        ),
      );
    fc.assert(
      fc.property(listAndAddress, ([ranges, a, s]) => {
        const list = new IpAllowlist(ranges.map((r) => parseCidr(`${addressText(r, s)}/${r.prefix}`)));
        const parsed = parseIpAddress(addressText(a, s));
        if (!parsed) throw new Error(`not parsed: ${addressText(a, s)}`);
        expect(list.allows(parsed)).toBe(ranges.some((r) => refContains(r, a)));
      }),
      RUNS,
    );
  });

  it("accepts a range exactly when it has no host bits and is not an IPv4-mapped IPv6 range", () => {
    const anyRange = fc.oneof(
      fc.record({
        family: fc.constant(4 as const),
        value: ipv4Value,
        prefix: fc.integer({ min: 0, max: 32 }),
      }),
      fc.record({
        family: fc.constant(6 as const),
        value: fc.oneof(ipv6Value, mappedValue),
        prefix: fc.integer({ min: 0, max: 128 }),
      }),
      // Mostly aligned ones, or nearly every IPv6 case would be a host-bits refusal.
      range,
    );
    fc.assert(
      fc.property(anyRange, spelling, (r, s) => {
        const text = `${addressText(r, s)}/${r.prefix}`;
        const refuses = refHasHostBits(r) || (r.family === 6 && isMappedValue(r.value));
        if (refuses) {
          expect(() => parseCidr(text), text).toThrow();
          return;
        }
        const parsed = parseCidr(text);
        expect(parsed.prefix).toBe(r.prefix);
        expect(valueOfBytes(parseIpAddress(parsed.network)?.bytes ?? [])).toBe(r.value);
      }),
      RUNS,
    );
  });

  it("refuses any address decorated with a port, brackets, a zone id or whitespace", () => {
    const decorations = [
      (t: string, f: Family) => (f === 4 ? `${t}:443` : `[${t}]:443`),
      (t: string, f: Family) => (f === 4 ? `${t}:0` : `[${t}]`),
      (t: string) => `${t}%eth0`,
      (t: string) => `${t}%1`,
      (t: string) => ` ${t}`,
      (t: string) => `${t}\t`,
      (t: string) => `${t}, 10.0.0.1`,
      (t: string) => `${t}/32`,
    ];
    fc.assert(
      fc.property(address, spelling, fc.constantFrom(...decorations), (a, s, decorate) => {
        expect(parseIpAddress(decorate(addressText(a, s), a.family))).toBeUndefined();
      }),
      RUNS,
    );
  });
});
