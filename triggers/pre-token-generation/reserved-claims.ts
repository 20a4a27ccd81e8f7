/**
 * The claims Cognito does not let a pre token generation trigger touch (contract §7.5, the claims table
 * of the Developer Guide). Cognito answers such a response by failing the sign-in, so the configuration
 * is refused when it is parsed instead: a typo must not lock every user out at run time.
 *
 * Cognito compares claim names exactly, but many consumers do not: .NET's HasClaim and several API
 * gateways compare them without case. A configured "Sub" or "COGNITO:GROUPS" passes Cognito as a new
 * claim of its own and is then read downstream as the real one, so any spelling of a reserved name
 * other than Cognito's own (another case, spaces around it) is refused too, as are names carrying
 * control or invisible characters (the suite's rule for identifiers, text/invisible.ts).
 */
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";

export type TokenKind = "idToken" | "accessToken";
export type ClaimChange = "add" | "suppress";

/** Cognito owns these in both tokens. `aud` has its own rule (see claimProblem). */
const OWNED_IN_BOTH = [
  "sub",
  "cognito:username",
  "identities",
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
];

/**
 * Cognito owns these in the access token. They are refused in the ID token as well: an API that
 * accepts either token (API Gateway's Cognito authorizer does) must not find a configured `username`
 * or `client_id` in an ID token that it would take for Cognito's.
 */
const OWNED_IN_ACCESS_TOKEN = ["client_id", "event_id", "device_key", "version", "username"];

/** Every claim Cognito owns (the Developer Guide's claims table); the local pool applies the same list. */
export const NEVER_MODIFIABLE: ReadonlySet<string> = new Set([...OWNED_IN_BOTH, ...OWNED_IN_ACCESS_TOKEN]);

/** The only cognito:* claims a trigger may change, and only through groupOverrideDetails or suppression. */
export const GROUP_CLAIMS = new Set(["cognito:groups", "cognito:roles", "cognito:preferred_role"]);

const CONTROL = /\p{Cc}/u;
/** What a reader sees of a name: without control and invisible characters or spaces around it. */
const UNSEEN = /[\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * The name case-insensitive consumers see: upper-cased first, so that letters whose upper case is
 * ASCII ("ſ" is "S", dotless "ı" is "I") fold like .NET's OrdinalIgnoreCase folds them.
 */
export function foldClaimName(claim: string): string {
  return claim.toUpperCase().toLowerCase();
}

/** Whether `name` (already folded) is, or is in a namespace of, a claim Cognito treats specially. */
function isCognitoName(name: string): boolean {
  return (
    NEVER_MODIFIABLE.has(name) ||
    GROUP_CLAIMS.has(name) ||
    name === "aud" ||
    name === "scope" ||
    name.startsWith("cognito:") ||
    name.startsWith("dev:")
  );
}

/**
 * Why `claim` cannot be changed this way, or undefined when it can. `aud` is refused here except as an
 * access-token addition: that one is allowed only with the client-id source, which the caller checks.
 */
export function claimProblem(claim: string, token: TokenKind, change: ClaimChange): string | undefined {
  const quoted = `"${claim}"`;
  const seen = claim.replace(UNSEEN, "").trim();
  const folded = foldClaimName(seen);
  if (folded === "") return "a claim name cannot be empty";
  // Cognito's spelling: all lower case, but a dev: attribute keeps the case of the name after "dev:".
  const cognitos = folded.startsWith("dev:") ? `dev:${seen.slice(4)}` : folded;
  if (claim !== cognitos && isCognitoName(folded)) {
    return `${quoted} is Cognito's "${cognitos}" written differently: consumers that compare claim names without case or spaces would take it for that claim`;
  }
  if (CONTROL.test(claim) || hasInvisibleCharacters(claim)) {
    return `${quoted}: a claim name cannot contain control or invisible characters`;
  }
  if (claim !== claim.trim()) return `${quoted}: a claim name cannot start or end with spaces`;

  if (GROUP_CLAIMS.has(claim)) {
    return change === "add"
      ? `${quoted} comes from the user's groups: keep or drop groups with "keepGroups", or suppress it`
      : undefined;
  }
  if (NEVER_MODIFIABLE.has(claim) || claim.startsWith("cognito:")) {
    return `Cognito does not let a trigger ${change === "add" ? "add or override" : "suppress"} ${quoted}`;
  }
  if (claim === "aud") {
    if (token === "idToken") return `Cognito does not let a trigger change "aud" in the ID token`;
    if (change === "suppress") return `Cognito does not let a trigger suppress "aud"`;
    return undefined;
  }
  if (claim === "scope") return `scopes are not claims: add them with "groupScopes"`;
  if (claim.startsWith("dev:") && change === "add")
    return `${quoted}: dev: attributes can only be suppressed`;
  return undefined;
}
