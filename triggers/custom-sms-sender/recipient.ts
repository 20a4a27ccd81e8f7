/**
 * Where a custom SMS sender's message goes: the user's `phone_number`, in E.164 as Cognito stores it
 * (lib/text/phone.ts). Anything else is not repaired: a guess at the digits texts the code to someone
 * else.
 */
import type { Recipient } from "../lib/custom-sender/delivery.ts";
import type { StringMap } from "../lib/events.ts";
import { isE164 } from "../lib/text/phone.ts";

export function phoneRecipient(attributes: StringMap): Recipient {
  const raw = attributes.phone_number;
  if (raw === undefined || raw.trim() === "") return { missing: "no-recipient" };
  return isE164(raw) ? { to: raw } : { missing: "recipient-invalid" };
}
