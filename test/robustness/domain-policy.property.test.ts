/**
 * The pre sign-up domain policy on random input (test/pre-sign-up/domain-policy.test.ts has the
 * examples): against a naive reference model of the lists, with hostile spellings of an address, on
 * arbitrary strings, and with Unicode domains and their look-alikes.
 */
import { domainToASCII } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDomainPattern } from "../../triggers/pre-sign-up/domain-pattern.ts";
import { type DomainPolicy, judgeEmail } from "../../triggers/pre-sign-up/domain-policy.ts";

// ---- generators: small pools, so that lists and addresses meet often ----------------------------
const label = fc.constantFrom("example", "mail", "corp", "a", "b-2", "xn--mnchen-3ya", "tokyo", "evil", "ex");
const tld = fc.constantFrom("com", "org", "jp", "co.jp", "io");
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
  .map(([labels, top]) => [...labels, top].join("."));
const pattern = fc.oneof(
  { weight: 1, arbitrary: fc.constant("*") },
  { weight: 4, arbitrary: domain },
  { weight: 4, arbitrary: domain.map((d) => `*.${d}`) },
);
const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/);
const address = fc
  .tuple(local, fc.array(label, { maxLength: 2 }), domain)
  .map(([user, sub, d]) => `${user}@${[...sub, d].join(".")}`);

// ---- the reference: whole labels, block list first ----------------------------------------------
function refMatches(item: string, host: string): boolean {
  if (item === "*") return true;
  if (item.startsWith("*.")) return host.endsWith(`.${item.slice(2)}`);
  return host === item;
}

function refVerdict(email: string, allowed: string[], blocked: string[]) {
  const host = email.slice(email.indexOf("@") + 1);
  if (blocked.some((item) => refMatches(item, host)))
    return { allowed: false, reason: "domain-blocked", domain: host };
  if (!allowed.some((item) => refMatches(item, host)))
    return { allowed: false, reason: "domain-not-allowed", domain: host };
  return { allowed: true, domain: host };
}

const policyOf = (allowed: string[], blocked: string[]): DomainPolicy => ({
  allowed: allowed.map(parseDomainPattern),
  blocked: blocked.map(parseDomainPattern),
});

describe("pre sign-up domain policy (properties)", () => {
  it("decides every address exactly as the reference: whole labels, and the block list wins", () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 4 }),
        fc.array(pattern, { maxLength: 3 }),
        address,
        (allowed, blocked, email) => {
          expect(judgeEmail(email, policyOf(allowed, blocked))).toEqual(refVerdict(email, allowed, blocked));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never lets a domain pass by string ending: x.d is not d, xd is not *.d, d.x is not d", () => {
    fc.assert(
      fc.property(local, label, domain, (user, x, d) => {
        const exact = policyOf([d], []);
        const subdomains = policyOf([`*.${d}`], []);
        expect(judgeEmail(`${user}@${d}`, exact).allowed).toBe(true);
        expect(judgeEmail(`${user}@${x}.${d}`, exact).allowed).toBe(false);
        expect(judgeEmail(`${user}@${d}.${x}com`, exact).allowed).toBe(false);
        expect(judgeEmail(`${user}@${x}.${d}`, subdomains).allowed).toBe(true);
        expect(judgeEmail(`${user}@${x}${d}`, subdomains).allowed).toBe(false);
        expect(judgeEmail(`${user}@${d}`, subdomains).allowed).toBe(false);
      }),
    );
  });

  it("gives the same verdict whatever the case, surrounding whitespace or trailing dot", () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 3 }),
        fc.array(pattern, { maxLength: 2 }),
        address,
        fc.constantFrom("", " ", "\t", " \n"),
        fc.boolean(),
        (allowed, blocked, email, pad, dot) => {
          const policy = policyOf(allowed, blocked);
          const spelled = `${pad}${email.toUpperCase()}${dot ? "." : ""}${pad}`;
          expect(judgeEmail(spelled, policy)).toEqual(judgeEmail(email, policy));
        },
      ),
    );
  });

  it("refuses an address with a character URL parsing treats specially anywhere in its domain, even under *", () => {
    fc.assert(
      fc.property(
        address,
        fc.constantFrom("/", "?", "#", "\\", "%", ":", "@", " ", "[", "]", "\u0000"),
        fc.nat(),
        (email, special, at) => {
          const [user, host = ""] = email.split("@");
          // Inside the host: surrounding whitespace is trimmed by design.
          const i = 1 + (at % (host.length - 1));
          const broken = `${user}@${host.slice(0, i)}${special}${host.slice(i)}`;
          const verdict = judgeEmail(broken, policyOf(["*"], []));
          expect(verdict.allowed).toBe(false);
        },
      ),
    );
  });

  it("never throws on any string, and admits only an address with one @ and an ASCII host name", () => {
    const anyText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.string({
        unit: fc.constantFrom("a", "@", ".", "-", "。", "ü", "а", " ", "%", "*", "1"),
        maxLength: 30,
      }),
      fc.string({ minLength: 300, maxLength: 2_000 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const verdict = judgeEmail(text, policyOf(["*"], []));
        if (!verdict.allowed) return;
        const trimmed = text.trim();
        expect(trimmed.split("@")).toHaveLength(2);
        expect(trimmed).not.toMatch(/\s/);
        expect(trimmed.startsWith("@")).toBe(false);
        expect(verdict.domain).toMatch(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]*[a-z][a-z0-9-]*$/);
      }),
      { numRuns: 2_000 },
    );
  });

  it("treats a Unicode domain and its punycode as one, and a Cyrillic look-alike as another domain", () => {
    const unicodeLabel = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopäöüßéñçø日本語テスト"),
      minLength: 1,
      maxLength: 8,
    });
    const LOOKALIKES: Record<string, string> = { a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у" };
    fc.assert(
      fc.property(unicodeLabel, tld, local, fc.boolean(), (name, top, user, listPunycode) => {
        const unicode = `${name}.${top}`;
        const ascii = domainToASCII(unicode);
        fc.pre(ascii !== "" && !/^\d+$/.test(name));
        const policy = policyOf([listPunycode ? ascii : unicode], []);
        expect(judgeEmail(`${user}@${unicode}`, policy)).toEqual({ allowed: true, domain: ascii });
        expect(judgeEmail(`${user}@${ascii}`, policy)).toEqual({ allowed: true, domain: ascii });
        const latin = [...name].findIndex((c) => c in LOOKALIKES);
        fc.pre(latin >= 0);
        const chars = [...name];
        chars[latin] = LOOKALIKES[chars[latin] as string] as string;
        expect(judgeEmail(`${user}@${chars.join("")}.${top}`, policy).allowed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("reads any list item as a pattern that matches its own domain, or refuses it with an Error", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          pattern,
          pattern.map((p) => ` ${p.toUpperCase()}. `),
        ),
        (item) => {
          let parsed: ReturnType<typeof parseDomainPattern>;
          try {
            parsed = parseDomainPattern(item);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            return;
          }
          if (parsed.kind === "any") return;
          const host = parsed.kind === "exact" ? parsed.domain : `sub.${parsed.domain}`;
          expect(judgeEmail(`u@${host}`, { allowed: [parsed], blocked: [] })).toEqual({
            allowed: true,
            domain: host,
          });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
