/**
 * FEDERATION_EMAIL_VERIFIED: what the answer says about whether the address (and a mapped phone number)
 * is verified. Only the identity provider can know that the person signing in owns the address.
 * - `honour` (the default) passes the provider's word on, read from the same provider map the value
 *   came from, so that an ID token's `email_verified` never vouches for an address userInfo supplied.
 *   Only the exact string "true" is "true" (decoded token booleans arrive as strings); "TRUE", "1", a
 *   missing flag (SAML assertions and several social providers have none) and anything else is "false".
 * - `never` answers "false" whatever the provider says.
 * A verified address is trusted downstream (Post confirmation's welcome email, apps that link accounts
 * by address), so any doubt answers "false".
 */
import type { FederationEmailVerifiedPolicy } from "./config.ts";

export function verifiedFlag(
  policy: FederationEmailVerifiedPolicy,
  providerFlag: string | undefined,
): string {
  return policy === "honour" && providerFlag === "true" ? "true" : "false";
}
