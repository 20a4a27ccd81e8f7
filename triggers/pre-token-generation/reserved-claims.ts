/**
 * The claims Cognito does not let a pre token generation trigger touch (contract §7.5, the claims table
 * of the Developer Guide). Cognito answers such a response by failing the sign-in, so the configuration
 * is refused when it is parsed instead: a typo must not lock every user out at run time.
 */
export type TokenKind = "idToken" | "accessToken";
export type ClaimChange = "add" | "suppress";

/** Cognito owns these in every token. `aud` has its own rule (see claimProblem). */
const NEVER_MODIFIABLE = new Set([
  "sub",
  "cognito:username",
  "identities",
  "client_id",
  "event_id",
  "device_key",
  "version",
  "username",
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "exp",
  "iat",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "token_use",
]);

/** The only cognito:* claims a trigger may change, and only through groupOverrideDetails or suppression. */
export const GROUP_CLAIMS = new Set(["cognito:groups", "cognito:roles", "cognito:preferred_role"]);

/**
 * Why `claim` cannot be changed this way, or undefined when it can. `aud` is refused here except as an
 * access-token addition: that one is allowed only with the client-id source, which the caller checks.
 */
export function claimProblem(claim: string, token: TokenKind, change: ClaimChange): string | undefined {
  if (claim.trim() === "") return "a claim name cannot be empty";
  if (GROUP_CLAIMS.has(claim)) {
    return change === "add"
      ? `"${claim}" comes from the user's groups: keep or drop groups with "keepGroups", or suppress it`
      : undefined;
  }
  if (NEVER_MODIFIABLE.has(claim) || claim.startsWith("cognito:")) {
    return `Cognito does not let a trigger ${change === "add" ? "add or override" : "suppress"} "${claim}"`;
  }
  if (claim === "aud") {
    if (token === "idToken") return `Cognito does not let a trigger change "aud" in the ID token`;
    if (change === "suppress") return `Cognito does not let a trigger suppress "aud"`;
    return undefined;
  }
  if (claim === "scope") return `scopes are not claims: add them with "groupScopes"`;
  if (claim.startsWith("dev:") && change === "add")
    return `"${claim}": dev: attributes can only be suppressed`;
  return undefined;
}
