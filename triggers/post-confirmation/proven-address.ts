/**
 * The address a welcome email may go to: one its owner proved, never one the pool merely marked
 * verified. Otherwise the pool would mail any address someone types in, from our SES identity.
 *
 * Proven means email_verified is "true" and Cognito did not set it on our word:
 * - with AUTO_CONFIRM=false, a self sign-up's email becomes verified only by the code its owner
 *   received there (or by an administrator who set it);
 * - with AUTO_CONFIRM=true, pre sign-up verifies every allowed self sign-up's email without anybody
 *   proving anything, and post confirmation cannot tell such a user from one who entered a code:
 *   Cognito invokes it for an auto-confirmed SignUp too, with the same PostConfirmation_ConfirmSignUp
 *   and the same request (attributes and the client's own clientMetadata), email_verified "true" in
 *   both. So with AUTO_CONFIRM=true no self-signed-up user's address counts as proven;
 * - a federated user's email_verified comes from the identity provider (pre sign-up never
 *   auto-verifies it), so it counts whatever AUTO_CONFIRM says. Cognito marks such a user with
 *   cognito:user_status EXTERNAL_PROVIDER, which no client can write.
 * AUTO_CONFIRM is the very key pre sign-up reads, so one setting decides both.
 */
import type { StringMap } from "../lib/events.ts";

/** Why no welcome email goes out (the `reason` of the log line). */
export type UnprovenReason = "email-unverified" | "email-auto-verified";

export type WelcomeAddress = { to: string } | { unproven: UnprovenReason };

export function provenAddress(attributes: StringMap, autoConfirm: boolean): WelcomeAddress {
  const to = attributes.email_verified === "true" ? attributes.email?.trim() : undefined;
  if (!to) return { unproven: "email-unverified" };
  const federated = attributes["cognito:user_status"] === "EXTERNAL_PROVIDER";
  if (autoConfirm && !federated) return { unproven: "email-auto-verified" };
  return { to };
}
