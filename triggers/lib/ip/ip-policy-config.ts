/**
 * The IP allowlist settings, read alike by every handler that applies the trusted-client IP policy
 * (pre authentication, and user migration, which receives the same validationData from the same
 * clients). IP_ALLOWLIST unset or blank turns the check off; the client rule then changes nothing.
 */
import { type ConfigOf, commaList, oneOf } from "../config.ts";
import { ipAllowlistSetting } from "./ip-allowlist.ts";
import type { SignInPolicy } from "./sign-in-policy.ts";

/** Cognito's pattern for an app client id; anything else in the list is a typo (quotes, spaces). */
function appClientId(value: string): string {
  if (!/^[\w+]{1,128}$/.test(value)) throw new Error("is not an app client id");
  return value;
}

export const ipPolicyConfigSpec = {
  IP_ALLOWLIST: ipAllowlistSetting(),
  IP_TRUSTED_CLIENT_IDS: commaList({ required: false, item: appClientId }),
  IP_UNTRUSTED_CLIENT_POLICY: oneOf(["deny", "allow"] as const, "deny"),
};

/** The policy to apply, or undefined while IP_ALLOWLIST is off. */
export function signInPolicyFrom(values: ConfigOf<typeof ipPolicyConfigSpec>): SignInPolicy | undefined {
  if (!values.IP_ALLOWLIST) return undefined;
  return {
    allowlist: values.IP_ALLOWLIST,
    trustedClientIds: new Set(values.IP_TRUSTED_CLIENT_IDS),
    untrustedClients: values.IP_UNTRUSTED_CLIENT_POLICY,
  };
}
