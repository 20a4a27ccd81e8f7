/**
 * FEDERATED_UNVERIFIED_EMAIL: whether a federated first sign-in (PreSignUp_ExternalProvider) may join
 * with an address its identity provider did not verify. The domain policy judges the address; only the
 * provider can say that the person signing in owns it, through the `email_verified` attribute the pool
 * maps from it ("true"/"false"). Without that, anyone who can get an unverified address of an allowed
 * domain into their provider profile would join as that address.
 *
 * `deny` (the default) refuses such a sign-in; `allow` admits it (never auto-verified, see
 * response-flags.ts). Only the exact value "true" is verified: "false", anything else and a missing
 * attribute (a pool that does not map email_verified, or a provider that has no such claim) are not.
 */
import { oneOf } from "../lib/config.ts";
import type { StringMap } from "../lib/events.ts";

export const FEDERATED_UNVERIFIED_EMAIL_POLICIES = ["deny", "allow"] as const;
export type FederatedUnverifiedEmailPolicy = (typeof FEDERATED_UNVERIFIED_EMAIL_POLICIES)[number];

export const federatedUnverifiedEmail = () => oneOf(FEDERATED_UNVERIFIED_EMAIL_POLICIES, "deny");

/** True when this sign-up must be refused because its provider did not verify the address. */
export function refusesUnverifiedFederatedEmail(
  triggerSource: string,
  attributes: StringMap,
  policy: FederatedUnverifiedEmailPolicy,
): boolean {
  return (
    triggerSource === "PreSignUp_ExternalProvider" &&
    policy === "deny" &&
    attributes.email_verified !== "true"
  );
}
