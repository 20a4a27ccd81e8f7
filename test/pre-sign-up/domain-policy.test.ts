import { describe, expect, it } from "vitest";
import { matchesDomain, parseDomainPattern } from "../../triggers/pre-sign-up/domain-pattern.ts";
import { type DomainPolicy, judgeEmail } from "../../triggers/pre-sign-up/domain-policy.ts";

const policy = (allowed: string, blocked = ""): DomainPolicy => ({
  allowed: allowed.split(",").filter(Boolean).map(parseDomainPattern),
  blocked: blocked.split(",").filter(Boolean).map(parseDomainPattern),
});

const PILOT = policy("example.com,*.example.co.jp,münchen.de", "guest.example.co.jp");

describe("judgeEmail: allowed", () => {
  it.each([
    ["the exact domain", "taro@example.com", "example.com"],
    ["an upper-case domain", "Taro@EXAMPLE.COM", "example.com"],
    ["surrounding whitespace", "  taro@example.com \t", "example.com"],
    ["a trailing dot", "taro@example.com.", "example.com"],
    ["a subdomain of *.example.co.jp", "sakura@tokyo.example.co.jp", "tokyo.example.co.jp"],
    ["a deeper subdomain of *.example.co.jp", "a@dev.tokyo.example.co.jp", "dev.tokyo.example.co.jp"],
    ["an IDN written in Unicode", "a@MÜNCHEN.de", "xn--mnchen-3ya.de"],
    ["an IDN written in punycode", "a@xn--mnchen-3ya.de", "xn--mnchen-3ya.de"],
    ["an ideographic full stop (UTS #46 maps it to a dot)", "a@example。com", "example.com"],
  ])("%s: %s", (_, email, domain) => {
    expect(judgeEmail(email, PILOT)).toEqual({ allowed: true, domain });
  });
});

describe("judgeEmail: refused", () => {
  it.each([
    ["a look-alike suffix", "mallory@evilexample.com", "domain-not-allowed"],
    ["the allowed domain as a prefix of another", "mallory@example.com.evil.io", "domain-not-allowed"],
    ["a Cyrillic look-alike (а is U+0430)", "mallory@exаmple.com", "domain-not-allowed"],
    ["a Cyrillic look-alike in upper case", "mallory@EXАMPLE.COM", "domain-not-allowed"],
    ["a subdomain of an exact entry (no *.)", "a@mail.example.com", "domain-not-allowed"],
    ["the parent of a *. entry", "a@example.co.jp", "domain-not-allowed"],
    ["a domain on neither list", "a@example.org", "domain-not-allowed"],
    ["a blocked subdomain that the allow list matches", "visitor@guest.example.co.jp", "domain-blocked"],
    ["a blocked domain with a trailing dot and upper case", "visitor@GUEST.example.co.jp.", "domain-blocked"],
    ["two @", "a@b@example.com", "email-invalid"],
    ["a quoted local part with @", '"a@b"@example.com', "email-invalid"],
    ["no @", "example.com", "email-invalid"],
    ["an empty local part", "@example.com", "email-invalid"],
    ["an empty domain", "a@", "email-invalid"],
    ["whitespace inside", "a b@example.com", "email-invalid"],
    ["a C0 control character in the local part", "a\u0001b@example.com", "email-invalid"],
    ["DEL in the local part", "a\u007fb@example.com", "email-invalid"],
    ["a C1 control character in the local part", "a\u0085b@example.com", "email-invalid"],
    ["a path that URL parsing would cut off", "a@evil.com/x.example.com", "email-invalid"],
    ["a query that URL parsing would cut off", "a@evil.com?.example.com", "email-invalid"],
    ["a backslash", "a@evil.com\\example.com", "email-invalid"],
    ["percent-encoding", "a@ex%61mple.com", "email-invalid"],
    ["two trailing dots", "a@example.com..", "email-invalid"],
    ["an empty label", "a@example..com", "email-invalid"],
    ["a label starting with a hyphen", "a@-example.com", "email-invalid"],
    ["an underscore", "a@ex_ample.com", "email-invalid"],
    ["a single label", "a@localhost", "email-invalid"],
    ["an IPv4 address", "a@192.0.2.1", "email-invalid"],
    ["an address literal", "a@[192.0.2.1]", "email-invalid"],
    ["a port", "a@example.com:25", "email-invalid"],
    ["an over-long address", `${"a".repeat(400)}@example.com`, "email-invalid"],
    // Characters that render as nothing: the address would look like another one (UTS #46 even drops some).
    ["a zero width joiner in the local part", "ta\u200Dro@example.com", "email-invalid"],
    ["a zero width space in the domain", "taro@exam\u200Bple.com", "email-invalid"],
    ["a variation selector in the domain (UTS #46 drops it)", "taro@exa\uFE0Fmple.com", "email-invalid"],
    ["a soft hyphen in the domain (UTS #46 drops it)", "taro@exam\u00ADple.com", "email-invalid"],
    ["a Hangul filler in the local part", "taro\u3164@example.com", "email-invalid"],
    ["a tag character at the end", "taro@example.com\u{E0041}", "email-invalid"],
    [
      "a byte order mark before the address (trim() would drop it)",
      "\uFEFFtaro@example.com",
      "email-invalid",
    ],
    ["a right-to-left override", "\u202Emoc.elpmaxe@orat", "email-invalid"],
    ["an empty string", "", "email-missing"],
    ["only whitespace", "   ", "email-missing"],
    ["no email attribute at all", undefined, "email-missing"],
  ])("%s: %s", (_, email, reason) => {
    const verdict = judgeEmail(email, PILOT);
    expect(verdict.allowed).toBe(false);
    expect(verdict).toMatchObject({ reason });
  });
});

describe("judgeEmail: the block list wins", () => {
  it("over an exact allow entry for the same domain", () => {
    expect(judgeEmail("a@example.com", policy("example.com", "example.com"))).toMatchObject({
      allowed: false,
      reason: "domain-blocked",
    });
  });

  it("over *: subdomains blocked, the domain itself still allowed", () => {
    const anyButOrgSubdomains = policy("*", "*.example.org");
    expect(judgeEmail("a@x.example.org", anyButOrgSubdomains)).toMatchObject({ reason: "domain-blocked" });
    expect(judgeEmail("a@example.org", anyButOrgSubdomains)).toEqual({
      allowed: true,
      domain: "example.org",
    });
    expect(judgeEmail("a@anything.example", anyButOrgSubdomains)).toMatchObject({ allowed: true });
  });

  it("also for an IDN blocked in punycode and submitted in Unicode", () => {
    expect(judgeEmail("a@münchen.de", policy("*", "xn--mnchen-3ya.de"))).toMatchObject({
      reason: "domain-blocked",
    });
  });

  it("but * still refuses what is not an address", () => {
    expect(judgeEmail("a@b@example.com", policy("*"))).toMatchObject({ reason: "email-invalid" });
  });
});

describe("parseDomainPattern", () => {
  it.each([
    ["Example.COM", { kind: "exact", domain: "example.com" }],
    ["example.com.", { kind: "exact", domain: "example.com" }],
    [" *.Example.co.jp ", { kind: "subdomains", domain: "example.co.jp" }],
    ["*.com", { kind: "subdomains", domain: "com" }],
    ["*.例え.テスト", { kind: "subdomains", domain: "xn--r8jz45g.xn--zckzah" }],
    ["*", { kind: "any" }],
  ])("reads %j", (item, pattern) => {
    expect(parseDomainPattern(item)).toEqual(pattern);
  });

  it.each([
    "*example.com",
    "ex*ample.com",
    "mail.*.example.com",
    "**.example.com",
    "*.",
    "@example.com",
    "user@example.com",
    "example",
    "https://example.com",
    "example.com/path",
    "exa mple.com",
    "192.0.2.1",
  ])("refuses %j", (item) => {
    expect(() => parseDomainPattern(item)).toThrow();
  });

  it("matches *.x on whole labels only", () => {
    const pattern = parseDomainPattern("*.example.com");
    expect(matchesDomain(pattern, "a.example.com")).toBe(true);
    expect(matchesDomain(pattern, "evilexample.com")).toBe(false);
    expect(matchesDomain(pattern, "example.com")).toBe(false);
  });
});
