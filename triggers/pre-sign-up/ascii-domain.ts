/**
 * A domain name in the one form the policy compares: lower-case ASCII (IDNs as punycode, via the
 * platform's UTS #46 mapping), without a trailing dot, checked as a DNS host name.
 *
 * domainToASCII parses its input as a URL host, so on its own it would read "evil.com/x.example.com"
 * as "evil.com" and percent-decode "ex%61mple.com". Only letters, digits, marks, hyphens and dots
 * (including the ideographic dots UTS #46 maps to ".") reach it; anything else is not a domain.
 */
import { domainToASCII } from "node:url";

const DOMAIN_CHARACTERS = /^[\p{L}\p{N}\p{M}.\-\u3002\uFF0E\uFF61]+$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_DOMAIN_LENGTH = 253;

/** The ASCII form of `raw`, or undefined when it is not a host name with at least `minLabels` labels. */
export function toAsciiDomain(raw: string, minLabels: number): string | undefined {
  if (!DOMAIN_CHARACTERS.test(raw)) return undefined;
  let ascii = domainToASCII(raw);
  if (ascii.endsWith(".")) ascii = ascii.slice(0, -1);
  if (ascii === "" || ascii.length > MAX_DOMAIN_LENGTH) return undefined;
  const labels = ascii.split(".");
  if (labels.length < minLabels || !labels.every((label) => LABEL.test(label))) return undefined;
  // An all-numeric last label would make "1.2.3.4" a domain; mail to an IP needs brackets anyway.
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return undefined;
  return ascii;
}
