/**
 * Where a custom email sender's message goes: the user's `email` attribute, when it is an address SES
 * can send to. Cognito writes the attribute, but the event is checked like any input, and a value that
 * is not plausibly one mailbox is not sent to (one "@", a local part of printable ASCII without
 * whitespace, quotes or angle brackets, a host name with a dot, no character that renders as nothing).
 * An internationalised domain is sent to in its ASCII (punycode) form, which SES requires; a non-ASCII
 * local part SES cannot send to at all.
 *
 * Any address the pool holds is used, verified or not: the codes Cognito sends are how an address gets
 * verified in the first place.
 */
import type { Recipient } from "../lib/custom-sender/delivery.ts";
import type { StringMap } from "../lib/events.ts";
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";
import { toAsciiDomain } from "../pre-sign-up/ascii-domain.ts";

/** RFC 5321's limits: 64 octets of local part, 254 of path. */
const MAX_LOCAL_PART = 64;
const MAX_ADDRESS = 254;
const LOCAL_PART = /^[!#-'*+\-./0-9=?A-Z^-~]+$/;

export function emailRecipient(attributes: StringMap): Recipient {
  const raw = attributes.email;
  if (raw === undefined || raw.trim() === "") return { missing: "no-recipient" };
  if (hasInvisibleCharacters(raw)) return { missing: "recipient-invalid" };
  const parts = raw.trim().split("@");
  if (parts.length !== 2) return { missing: "recipient-invalid" };
  const [local = "", host = ""] = parts;
  if (local.length > MAX_LOCAL_PART || !LOCAL_PART.test(local)) return { missing: "recipient-invalid" };
  const domain = toAsciiDomain(host, 2);
  if (domain === undefined) return { missing: "recipient-invalid" };
  const to = `${local}@${domain}`;
  return to.length > MAX_ADDRESS ? { missing: "recipient-invalid" } : { to };
}
