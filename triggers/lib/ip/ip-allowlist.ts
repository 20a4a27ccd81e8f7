/**
 * IP_ALLOWLIST: IPv4 and IPv6 CIDR ranges, matched by Node's own `net.BlockList` (no hand-written
 * matching). Every range is validated when the configuration is read, strictly, because a range that
 * is silently read some other way than meant widens who may sign in:
 * - a prefix length is required ("203.0.113.7/32" for one address), 0-32 for IPv4, 0-128 for IPv6;
 * - no bits may be set after the prefix ("203.0.113.77/24" is refused: was /32 meant, or 203.0.113.0/24?);
 * - IPv4-mapped IPv6 ranges (::ffff:a.b.c.d/n) are refused: mapped addresses are compared as IPv4,
 *   so such ranges must be written as IPv4.
 * IPv4 and IPv6 ranges live in separate block lists: BlockList on its own also matches an IPv4 address
 * against IPv6 ranges (0.0.0.0 is inside ::/0 to it), and here IPv6 ranges never admit IPv4 addresses.
 */
import type { BlockList } from "node:net";
import { commaList, type Parser } from "../config.ts";
import { ConfigError } from "../errors.ts";
import {
  comparableAddress,
  type IpAddress,
  type IpFamily,
  isIpv4Mapped,
  nodeNet,
  parseIpAddress,
} from "./ip-address.ts";

export interface CidrRange {
  family: IpFamily;
  /** Canonical network address. */
  network: string;
  prefix: number;
}

const MAX_PREFIX: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/** Parses one "address/prefix"; throws an Error saying what is wrong (the config parser names the key). */
export function parseCidr(text: string): CidrRange {
  const parts = text.split("/");
  if (parts.length === 1) throw new Error('needs a prefix length (e.g. "203.0.113.7/32" for one address)');
  const [addressText = "", prefixText = ""] = parts;
  if (parts.length > 2 || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    throw new Error("is not CIDR notation (address/prefix length)");
  }
  const address = parseIpAddress(addressText);
  if (!address) throw new Error(`${JSON.stringify(addressText)} is not an IPv4 or IPv6 address`);
  const prefix = Number(prefixText);
  const max = MAX_PREFIX[address.family];
  if (prefix > max) throw new Error(`prefix length must be 0 to ${max} for ${familyName(address.family)}`);
  if (isIpv4Mapped(address)) {
    throw new Error(
      "is an IPv4-mapped IPv6 range; write it as an IPv4 range (mapped addresses compare as IPv4)",
    );
  }
  if (hasHostBits(address.bytes, prefix)) {
    throw new Error(
      `has bits set after /${prefix}; write the range's first address, or /${max} for one address`,
    );
  }
  return { family: address.family, network: address.text, prefix };
}

export class IpAllowlist {
  private readonly lists: Record<IpFamily, BlockList>;

  constructor(readonly ranges: readonly CidrRange[]) {
    const { BlockList } = nodeNet();
    this.lists = { ipv4: new BlockList(), ipv6: new BlockList() };
    for (const range of ranges) this.lists[range.family].addSubnet(range.network, range.prefix, range.family);
  }

  /** Whether the address is inside one of the ranges; IPv4-mapped IPv6 addresses are compared as IPv4. */
  allows(address: IpAddress): boolean {
    const comparable = comparableAddress(address);
    return this.lists[comparable.family].check(comparable.text, comparable.family);
  }
}

/**
 * The IP_ALLOWLIST parser: undefined (the check is off) when the key is unset or blank; otherwise every
 * item must be a valid range, and a value that holds no range at all (",") is an error, not "off".
 */
export function ipAllowlistSetting(): Parser<IpAllowlist | undefined> {
  const ranges = commaList({ required: false, item: parseCidr });
  return (raw, key) => {
    const parsed = ranges(raw, key);
    if (parsed.length > 0) return new IpAllowlist(parsed);
    if (raw !== undefined && raw.trim() !== "") {
      throw new ConfigError(key, "holds no CIDR range (leave it unset or empty to turn the check off)");
    }
    return undefined;
  };
}

/** Whether any bit after the first `prefix` bits is set. */
function hasHostBits(bytes: readonly number[], prefix: number): boolean {
  return bytes.some((byte, i) => {
    const networkBitsInByte = Math.min(8, Math.max(0, prefix - 8 * i));
    return byte % 2 ** (8 - networkBitsInByte) !== 0;
  });
}

function familyName(family: IpFamily): string {
  return family === "ipv4" ? "IPv4" : "IPv6";
}
