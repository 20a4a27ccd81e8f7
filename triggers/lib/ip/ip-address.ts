/**
 * Reading an IP address written as text: the `sourceIp` a trusted backend passes, or the address part
 * of a CIDR range in IP_ALLOWLIST. Proven parsers decide what an address is: `net.isIPv4` (dotted
 * decimal without leading zeros) and, for IPv6, the WHATWG URL parser Node ships (RFC 4291 text, embedded
 * IPv4 included), which also brings the many spellings of one address ("::FFFF:203.0.113.5",
 * "0:0:0:0:0:ffff:cb00:7105") to one canonical form (RFC 5952, lower-case hex). The URL parser only sees
 * text made of hex digits, colons and dots, so zone ids, brackets, ports, whitespace and lists
 * ("a, b" from X-Forwarded-For) are refused before it. (Not `net.isIP`: its IPv6 pattern is compiled on
 * first use and costs a few milliseconds of every cold start.)
 *
 * node:net is taken with process.getBuiltinModule when an address is first read, not imported: the
 * handlers that share this code (pre authentication, user migration) must not load it at cold start
 * while IP_ALLOWLIST is unset.
 */
import type * as Net from "node:net";

/** node:net on first use (synchronous: configuration parsing needs it; cached by Node). */
export function nodeNet(): typeof Net {
  return process.getBuiltinModule("node:net");
}

export type IpFamily = "ipv4" | "ipv6";

export interface IpAddress {
  family: IpFamily;
  /** Canonical text: dotted decimal for IPv4, RFC 5952 for IPv6. */
  text: string;
  /** The address in network order: 4 bytes for IPv4, 16 for IPv6. */
  bytes: readonly number[];
}

/** The longest textual address: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
const MAX_ADDRESS_LENGTH = 45;

/** The first 12 bytes of every IPv4-mapped IPv6 address (::ffff:0:0/96, RFC 4291 §2.5.5.2). */
const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] as const;

/** The address, or undefined when `text` is not exactly one IPv4 or IPv6 address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length > MAX_ADDRESS_LENGTH) return undefined;
  if (nodeNet().isIPv4(text)) return { family: "ipv4", text, bytes: text.split(".").map(Number) };
  if (!IPV6_TEXT.test(text)) return undefined;
  const canonical = canonicalIpv6(text);
  return canonical === undefined
    ? undefined
    : { family: "ipv6", text: canonical, bytes: ipv6Bytes(canonical) };
}

/** What IPv6 text is made of; anything else never reaches the URL parser. */
const IPV6_TEXT = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

export function isIpv4Mapped(address: IpAddress): boolean {
  return address.family === "ipv6" && IPV4_MAPPED_PREFIX.every((byte, i) => address.bytes[i] === byte);
}

/**
 * The address as the allowlist compares it: an IPv4-mapped IPv6 address (what a dual-stack socket
 * reports for an IPv4 peer) is the IPv4 address it carries; every other address is itself.
 */
export function comparableAddress(address: IpAddress): IpAddress {
  if (!isIpv4Mapped(address)) return address;
  const bytes = address.bytes.slice(IPV4_MAPPED_PREFIX.length);
  return { family: "ipv4", text: bytes.join("."), bytes };
}

function canonicalIpv6(text: string): string | undefined {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** Bytes of a canonical IPv6 text: hex groups only, at most one "::". */
function ipv6Bytes(canonical: string): number[] {
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const [head = "", tail] = canonical.split("::");
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right].flatMap((group) => [Math.floor(group / 256), group % 256]);
}
