/**
 * IP_ALLOWLIST as AWS WAF IP sets hold it: one list per address family. Each entry is read by the pre
 * authentication trigger's own CIDR parser (prefix required, no host bits, no IPv4-mapped ranges), so the
 * WAF layer and the trigger layer enforce exactly the same ranges. IPv6 ranges are written in full form,
 * the form the WAF documentation uses. WAF cannot hold a /0 range: an allowlist meant to admit everyone
 * is written as an empty list instead.
 */
import { parseIpAddress } from "../triggers/pre-authentication/ip-address.ts";
import { parseCidr } from "../triggers/pre-authentication/ip-allowlist.ts";

export interface WafAddresses {
  readonly ipv4: string[];
  readonly ipv6: string[];
}

export function wafAddresses(allowlist: readonly string[]): WafAddresses {
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  for (const entry of allowlist) {
    const text = entry.trim();
    let range: ReturnType<typeof parseCidr>;
    try {
      range = parseCidr(text);
    } catch (error) {
      throw new Error(`IP_ALLOWLIST entry ${JSON.stringify(text)} ${(error as Error).message}`);
    }
    if (range.prefix === 0) {
      throw new Error(
        `IP_ALLOWLIST entry ${JSON.stringify(text)} covers every address, which an AWS WAF IP set cannot hold; leave the allowlist empty to turn it off`,
      );
    }
    if (range.family === "ipv4") ipv4.add(`${range.network}/${range.prefix}`);
    else ipv6.add(`${fullIpv6(range.network)}/${range.prefix}`);
  }
  return { ipv4: [...ipv4], ipv6: [...ipv6] };
}

function fullIpv6(network: string): string {
  const bytes = parseIpAddress(network)?.bytes ?? [];
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16).padStart(4, "0"));
  }
  return groups.join(":");
}
