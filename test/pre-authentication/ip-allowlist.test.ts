/**
 * The address and range rules by example; ip-allowlist.property.test.ts checks the same code against
 * a reference implementation on random input.
 */
import { describe, expect, it } from "vitest";
import { comparableAddress, parseIpAddress } from "../../triggers/pre-authentication/ip-address.ts";
import {
  IpAllowlist,
  ipAllowlistSetting,
  parseCidr,
} from "../../triggers/pre-authentication/ip-allowlist.ts";

const allowlist = (...ranges: string[]) => new IpAllowlist(ranges.map(parseCidr));
const allows = (list: IpAllowlist, text: string) => {
  const address = parseIpAddress(text);
  if (!address) throw new Error(`test input ${text} is not an address`);
  return list.allows(address);
};

describe("parseIpAddress", () => {
  it.each([
    ["203.0.113.5", "ipv4", "203.0.113.5"],
    ["0.0.0.0", "ipv4", "0.0.0.0"],
    ["2001:DB8::1", "ipv6", "2001:db8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "ipv6", "2001:db8::1"],
    ["::ffff:203.0.113.5", "ipv6", "::ffff:cb00:7105"],
    ["::1.2.3.4", "ipv6", "::102:304"],
  ])("reads %s as %s %s", (text, family, canonical) => {
    expect(parseIpAddress(text)).toMatchObject({ family, text: canonical });
  });

  it.each([
    ["", "empty"],
    ["203.0.113.256", "an octet above 255"],
    ["203.0.113", "three octets"],
    ["203.000.113.5", "leading zeros (octal in some parsers)"],
    ["0x7f.0.0.1", "hex octet"],
    ["203.0.113.5:443", "a port"],
    ["[2001:db8::1]", "brackets"],
    ["[2001:db8::1]:443", "brackets and port"],
    ["fe80::1%eth0", "a zone id"],
    ["::ffff:203.0.113.5%1", "a zone id on a mapped address"],
    [" 203.0.113.5", "leading whitespace"],
    ["203.0.113.5\n", "a trailing newline"],
    ["203.0.113.5, 10.0.0.1", "an X-Forwarded-For list"],
    ["2001:db8::1::2", "two ::"],
    ["1:2:3:4:5:6:7:8:9", "nine groups"],
    ["２０３.0.113.5", "full-width digits"],
    ["203.0.113.5/32", "a range"],
  ])("refuses %j (%s)", (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it("compares IPv4-mapped IPv6 addresses, in every spelling, as IPv4", () => {
    for (const text of [
      "::ffff:203.0.113.5",
      "::ffff:cb00:7105",
      "0:0:0:0:0:FFFF:CB00:7105",
      "::FFFF:203.0.113.5",
    ]) {
      const address = parseIpAddress(text);
      expect(address && comparableAddress(address)).toEqual({
        family: "ipv4",
        text: "203.0.113.5",
        bytes: [203, 0, 113, 5],
      });
    }
  });

  it("leaves addresses that only look similar alone: IPv4-compatible and NAT64 addresses stay IPv6", () => {
    for (const text of ["::203.0.113.5", "64:ff9b::203.0.113.5", "::fffe:cb00:7105", "1::ffff:cb00:7105"]) {
      const address = parseIpAddress(text);
      expect(address && comparableAddress(address).family).toBe("ipv6");
    }
  });
});

describe("parseCidr", () => {
  it.each([
    ["203.0.113.0/24", { family: "ipv4", network: "203.0.113.0", prefix: 24 }],
    ["0.0.0.0/0", { family: "ipv4", network: "0.0.0.0", prefix: 0 }],
    ["198.51.100.7/32", { family: "ipv4", network: "198.51.100.7", prefix: 32 }],
    ["2001:DB8:1234::/48", { family: "ipv6", network: "2001:db8:1234::", prefix: 48 }],
    ["::/0", { family: "ipv6", network: "::", prefix: 0 }],
    ["2001:db8::1/128", { family: "ipv6", network: "2001:db8::1", prefix: 128 }],
  ])("reads %s", (text, range) => {
    expect(parseCidr(text)).toEqual(range);
  });

  it.each([
    ["203.0.113.5", /needs a prefix length/],
    ["10.0.0.0/33", /0 to 32 for IPv4/],
    ["2001:db8::/129", /0 to 128 for IPv6/],
    ["10.0.0.0/", /not CIDR notation/],
    ["10.0.0.0/08", /not CIDR notation/],
    ["10.0.0.0/+8", /not CIDR notation/],
    ["10.0.0.0/8/8", /not CIDR notation/],
    ["10.0.0.0/ 8", /not CIDR notation/],
    ["10.0.0/8", /not an IPv4 or IPv6 address/],
    ["10.0.0.0 /8", /not an IPv4 or IPv6 address/],
    ["fe80::%eth0/64", /not an IPv4 or IPv6 address/],
    ["203.0.113.77/24", /bits set after \/24/],
    ["2001:db8::1/64", /bits set after \/64/],
    ["::ffff:203.0.113.0/120", /IPv4-mapped IPv6 range/],
    ["::ffff:0:0/96", /IPv4-mapped IPv6 range/],
  ])("refuses %s", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe("IpAllowlist", () => {
  const list = allowlist("203.0.113.0/24", "2001:db8:1234::/48", "198.51.100.7/32");

  it("admits addresses inside a range and nothing next to it", () => {
    expect(allows(list, "203.0.113.0")).toBe(true);
    expect(allows(list, "203.0.113.255")).toBe(true);
    expect(allows(list, "203.0.112.255")).toBe(false);
    expect(allows(list, "203.0.114.0")).toBe(false);
    expect(allows(list, "198.51.100.7")).toBe(true);
    expect(allows(list, "198.51.100.8")).toBe(false);
    expect(allows(list, "2001:db8:1234:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(allows(list, "2001:db8:1235::")).toBe(false);
  });

  it("admits IPv4-mapped IPv6 addresses by their IPv4 address", () => {
    expect(allows(list, "::ffff:203.0.113.5")).toBe(true);
    expect(allows(list, "::ffff:cb00:7105")).toBe(true);
    expect(allows(list, "::ffff:198.51.100.8")).toBe(false);
  });

  it("never lets an IPv6 range admit an IPv4 address, nor an IPv4 range an IPv6 one", () => {
    const allIpv6 = allowlist("::/0");
    expect(allows(allIpv6, "2001:db8::1")).toBe(true);
    expect(allows(allIpv6, "203.0.113.5")).toBe(false);
    expect(allows(allIpv6, "::ffff:203.0.113.5")).toBe(false);
    const allIpv4 = allowlist("0.0.0.0/0");
    expect(allows(allIpv4, "203.0.113.5")).toBe(true);
    expect(allows(allIpv4, "::ffff:203.0.113.5")).toBe(true);
    expect(allows(allIpv4, "::cb00:7105")).toBe(false);
    expect(allows(allIpv4, "2001:db8::1")).toBe(false);
  });
});

describe("the IP_ALLOWLIST setting", () => {
  const parse = ipAllowlistSetting();

  it("is off when unset or blank", () => {
    expect(parse(undefined, "IP_ALLOWLIST")).toBeUndefined();
    expect(parse("  ", "IP_ALLOWLIST")).toBeUndefined();
  });

  it("reads a comma list, ignoring spaces and empty items", () => {
    const list = parse(" 203.0.113.0/24 ,, 2001:db8::/32 ", "IP_ALLOWLIST");
    expect(list?.ranges.map((r) => `${r.network}/${r.prefix}`)).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
  });

  it("names the key and the bad item, and refuses a value that holds no range", () => {
    expect(() => parse("203.0.113.0/24,10.0.0.0/33", "IP_ALLOWLIST")).toThrow(
      expect.objectContaining({
        name: "ConfigError",
        key: "IP_ALLOWLIST",
        message: expect.stringContaining("10.0.0.0/33"),
      }),
    );
    expect(() => parse(" , ", "IP_ALLOWLIST")).toThrow(expect.objectContaining({ key: "IP_ALLOWLIST" }));
  });
});
