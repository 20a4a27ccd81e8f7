/**
 * Who may sign in, decided from what the event carries. No Cognito trigger event holds a trusted
 * end-user address: `validationData` is the caller's ClientMetadata, and anyone holding a public
 * client id can write any `sourceIp` into it. So the address is read only from the app clients named
 * in IP_TRUSTED_CLIENT_IDS (confidential clients whose backend writes it from its own connection);
 * every other client gets IP_UNTRUSTED_CLIENT_POLICY, and "allow" there is safe only where AWS WAF
 * enforces the same list in front of the user pool.
 *
 * `request.userNotFound` is deliberately not read: an unknown user goes through exactly the same checks
 * and gets exactly the same answer as a known one, so the answer never tells which users exist.
 */
import { isRecord } from "../events.ts";
import { comparableAddress, parseIpAddress } from "./ip-address.ts";
import type { IpAllowlist } from "./ip-allowlist.ts";

export type UntrustedClientPolicy = "deny" | "allow";

export interface SignInPolicy {
  allowlist: IpAllowlist;
  trustedClientIds: ReadonlySet<string>;
  untrustedClients: UntrustedClientPolicy;
}

/**
 * Why a sign-in is denied, as written to the audit record:
 * - untrusted-client: not a trusted client, and IP_UNTRUSTED_CLIENT_POLICY is deny;
 * - ip-missing: a trusted client sent no sourceIp (absent, null or empty);
 * - ip-malformed: a trusted client sent something that is not one IP address (a port, a list, a zone
 *   id, a typo): a defect or a tampered backend, worth telling apart from a user outside the list;
 * - ip-not-allowed: a valid address outside every range;
 * - config-invalid: the handler's configuration is invalid, so every sign-in is denied.
 */
export type DenialReason =
  | "untrusted-client"
  | "ip-missing"
  | "ip-malformed"
  | "ip-not-allowed"
  | "config-invalid";

export type Decision =
  | { allowed: true; sourceIp?: string }
  | { allowed: false; reason: Exclude<DenialReason, "config-invalid">; sourceIp?: string };

export interface SignInAttempt {
  clientId: string | undefined;
  validationData: unknown;
}

/** `sourceIp` in a decision is set only for an address from a trusted client, in the form it was compared in. */
export function decide(policy: SignInPolicy, attempt: SignInAttempt): Decision {
  if (attempt.clientId === undefined || !policy.trustedClientIds.has(attempt.clientId)) {
    // The client's own sourceIp proves nothing, so it is neither checked nor recorded.
    return policy.untrustedClients === "allow"
      ? { allowed: true }
      : { allowed: false, reason: "untrusted-client" };
  }
  const claimed = isRecord(attempt.validationData) ? attempt.validationData.sourceIp : undefined;
  if (claimed === undefined || claimed === null || claimed === "")
    return { allowed: false, reason: "ip-missing" };
  const parsed = typeof claimed === "string" ? parseIpAddress(claimed) : undefined;
  if (!parsed) return { allowed: false, reason: "ip-malformed" };
  const sourceIp = comparableAddress(parsed).text;
  return policy.allowlist.allows(parsed)
    ? { allowed: true, sourceIp }
    : { allowed: false, reason: "ip-not-allowed", sourceIp };
}
