/**
 * The domain of a submitted email address, for the domain policy. Deliberately strict: an address
 * this cannot read is refused, never waved through. Exactly one "@" (so quoted local parts such as
 * "a@b"@example.com are refused too), a non-empty local part, no whitespace, no character that
 * renders as nothing, and a host name.
 *
 * The invisible-character rule (lib/text/invisible.ts) is applied to the address as submitted, before
 * any trimming or IDN mapping: UTS #46 silently drops some of them (variation selectors, soft hyphens,
 * joiners), so "exa\uFE0Fmple.com" would otherwise be judged as example.com while Cognito stores, and
 * AUTO_CONFIRM verifies, an address that only looks like someone else's.
 */
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";
import { toAsciiDomain } from "./ascii-domain.ts";

/** RFC 5321 caps a path at 256 octets; anything longer is not a deliverable address. */
const MAX_ADDRESS_LENGTH = 320;

export type EmailDomain = { domain: string } | { problem: "email-missing" | "email-invalid" };

export function emailDomain(email: string | undefined): EmailDomain {
  const text = email?.trim().toLowerCase() ?? "";
  if (text === "") return { problem: "email-missing" };
  if (text.length > MAX_ADDRESS_LENGTH || /\s/u.test(text)) return { problem: "email-invalid" };
  // Control characters (C0, DEL, C1) inside the address have no place in it, and would otherwise reach
  // the profile through federation; surrounding whitespace is trimmed above.
  if (/\p{Cc}/u.test(text)) return { problem: "email-invalid" };
  // On the untrimmed value: trim() removes U+FEFF, which is invisible too.
  if (hasInvisibleCharacters(email ?? "")) return { problem: "email-invalid" };
  const parts = text.split("@");
  if (parts.length !== 2) return { problem: "email-invalid" };
  const [local = "", rawDomain = ""] = parts;
  if (local === "") return { problem: "email-invalid" };
  const domain = toAsciiDomain(rawDomain, 2);
  return domain === undefined ? { problem: "email-invalid" } : { domain };
}
