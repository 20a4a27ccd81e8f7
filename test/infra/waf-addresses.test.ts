/** IP_ALLOWLIST as AWS WAF IP sets: split by family, IPv6 in full form, /0 refused. */
import { describe, expect, it } from "vitest";
import { wafAddresses } from "../../infra/waf-addresses.ts";

describe("wafAddresses", () => {
  it("splits the list by address family and writes IPv6 ranges in full form", () => {
    expect(
      wafAddresses(["203.0.113.0/24", " 2001:db8::/32", "198.51.100.7/32", "2001:DB8:0:0:0:0:2:1/128"]),
    ).toEqual({
      ipv4: ["203.0.113.0/24", "198.51.100.7/32"],
      ipv6: ["2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:0db8:0000:0000:0000:0000:0002:0001/128"],
    });
  });

  it("drops duplicates, however they are spelled", () => {
    expect(wafAddresses(["2001:db8::/32", "2001:0DB8:0:0::/32"]).ipv6).toHaveLength(1);
  });

  it.each([
    ["0.0.0.0/0", /covers every address/],
    ["::/0", /covers every address/],
    ["203.0.113.5", /needs a prefix length/],
    ["10.1.2.3/8", /has bits set after \/8/],
    ["::ffff:198.51.100.0/120", /IPv4-mapped/],
    ["example.com/24", /is not an IPv4 or IPv6 address/],
  ])("refuses %s, as the trigger does (or more strictly)", (entry, message) => {
    expect(() => wafAddresses([entry])).toThrow(message);
  });
});
