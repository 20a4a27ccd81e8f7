/**
 * One item of ALLOWED_EMAIL_DOMAINS / BLOCKED_EMAIL_DOMAINS:
 *   example.com     that domain only
 *   *.example.com   its subdomains only, at any depth (not example.com itself)
 *   *               any domain
 * Matching is on whole labels, never on string suffixes: "*.example.com" does not match
 * "evilexample.com", and "example.com" does not match "example.com.evil.io".
 */
import { toAsciiDomain } from "./ascii-domain.ts";

export type DomainPattern =
  | { kind: "any" }
  | { kind: "exact"; domain: string }
  | { kind: "subdomains"; domain: string };

/** Parses one list item; throws an Error saying what is wrong (the config parser names the key). */
export function parseDomainPattern(item: string): DomainPattern {
  const text = item.trim().toLowerCase();
  if (text === "*") return { kind: "any" };
  if (text.includes("@")) throw new Error('write the domain without "@"');
  if (text.startsWith("*.")) {
    // "*.com" is allowed: whoever writes it means every .com address.
    const domain = toAsciiDomain(text.slice(2), 1);
    if (domain === undefined) throw new Error('is not a domain name after "*."');
    return { kind: "subdomains", domain };
  }
  if (text.includes("*")) throw new Error('a wildcard is allowed only alone ("*") or as a leading "*."');
  const domain = toAsciiDomain(text, 2);
  if (domain === undefined) throw new Error("is not a domain name");
  return { kind: "exact", domain };
}

/** `domain` must already be in the form toAsciiDomain returns. */
export function matchesDomain(pattern: DomainPattern, domain: string): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "exact":
      return domain === pattern.domain;
    case "subdomains":
      return domain.endsWith(`.${pattern.domain}`);
  }
}
