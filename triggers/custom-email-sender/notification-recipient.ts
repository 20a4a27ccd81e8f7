/**
 * Where the account-takeover notification goes.
 *
 * - The event's `email` attribute, when it has one: checked as for every other email (recipient.ts).
 * - Otherwise the user's address in the pool. The userAttributes AWS documents for the notification
 *   are the sign-in's details (EVENT_ID, USER_NAME, IP_ADDRESS, ACCOUNT_TAKE_OVER_ACTION, the one-click
 *   links, LOGIN_TIME, CITY, COUNTRY, DEVICE_NAME), and `email` is not among them, so the user is looked
 *   up (UserDirectory, Cognito AdminGetUser by default) and the notification goes to their address only
 *   when the pool marks it verified. A security notice to an address nobody proved helps the attacker most: one who
 *   took the account and changed its address would learn that the sign-in was noticed, and get the
 *   links by which the user tells Cognito whether it was them.
 *
 * The user is the event's userName: the name every trigger event carries for the user it is about, and
 * the one AdminGetUser takes (for a pool that signs in with email, the user's internal name, not the
 * address). USER_NAME, one of the notification's details, is used only when userName is absent: what
 * it holds is not documented (it may be the name typed at sign-in), but an event without userName
 * would otherwise reach nobody.
 */
import type { Recipient, RecipientLookup } from "../lib/custom-sender/delivery.ts";
import type { StringMap, TriggerEvent } from "../lib/events.ts";
import type { UserDirectory } from "../lib/services.ts";
import { emailRecipient } from "./recipient.ts";

export function notificationRecipient(
  event: TriggerEvent,
  attributes: StringMap,
  directory: UserDirectory,
): Recipient | RecipientLookup {
  if (nonBlank(attributes.email) !== undefined) return emailRecipient(attributes);
  const username = nonBlank(event.userName) ?? nonBlank(attributes.USER_NAME);
  if (username === undefined) return { missing: "no-recipient" };
  return {
    lookUp: async (signal) => {
      const email = await directory.verifiedEmail(event.userPoolId, username, signal);
      return email === undefined ? { missing: "no-recipient" } : emailRecipient({ email });
    },
  };
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
