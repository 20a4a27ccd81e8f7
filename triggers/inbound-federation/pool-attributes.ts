/**
 * The user pool attributes FEDERATION_ATTRIBUTE_MAP may name: a standard attribute every pool has
 * (Developer Guide, "Working with user attributes": the OpenID Connect standard claims), or a custom
 * attribute `custom:<name>`. Everything else is refused when the map is parsed (at cold start, and at
 * synth through the same parser), so that a typo never becomes a failed sign-in for every user.
 *
 * Refused even though they look like attributes:
 * - what Cognito owns: `sub`, `identities` (the linked providers), `username`, `updated_at` (Cognito sets
 *   it whenever the profile changes), anything `cognito:` (`cognito:username`, `cognito:groups`,
 *   `cognito:user_status`, …) and the legacy developer-only `dev:` attributes;
 * - `email_verified` and `phone_number_verified`: FEDERATION_EMAIL_VERIFIED decides them (verified-flags.ts),
 *   never a provider attribute chosen in the map.
 * A reserved name spelled another way ("Sub", " cognito:groups", "email\u200B_verified") is refused as
 * that name: several consumers of the profile and the tokens compare names without case or spaces.
 */
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";

/** The standard attributes the map may set. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  "address",
  "birthdate",
  "email",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "picture",
  "preferred_username",
  "profile",
  "website",
  "zoneinfo",
]);

/** The verified flags of the answer, set by FEDERATION_EMAIL_VERIFIED alongside their attribute. */
export const VERIFIED_FLAGS = { email: "email_verified", phone_number: "phone_number_verified" } as const;

const COGNITO_OWNED: ReadonlySet<string> = new Set(["sub", "identities", "username", "updated_at"]);
const POLICY_DECIDED: ReadonlySet<string> = new Set(Object.values(VERIFIED_FLAGS));

export const CUSTOM_PREFIX = "custom:";
/** Cognito's limits: 50 custom attributes a pool, each name 1 to 20 characters after "custom:". */
export const MAX_CUSTOM_ATTRIBUTES = 50;
export const MAX_CUSTOM_NAME_LENGTH = 20;
/** The characters Cognito's schema allows in an attribute name (SchemaAttributeType Name). */
const ATTRIBUTE_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const UNSEEN = /[\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

/** Whether `name` is, or is in a namespace of, an attribute the map must never set (any spelling). */
export function isReservedAttribute(name: string): boolean {
  const folded = name.replace(UNSEEN, "").trim().toLowerCase();
  return (
    COGNITO_OWNED.has(folded) ||
    POLICY_DECIDED.has(folded) ||
    folded.startsWith("cognito:") ||
    folded.startsWith("dev:")
  );
}

/** Why the map cannot name `name` as a pool attribute, or undefined when it can. */
export function poolAttributeProblem(name: string): string | undefined {
  const quoted = JSON.stringify(name.slice(0, 60));
  if (isReservedAttribute(name)) {
    const folded = name.replace(UNSEEN, "").trim().toLowerCase();
    return POLICY_DECIDED.has(folded)
      ? `${quoted}: FEDERATION_EMAIL_VERIFIED decides the verified flags; they cannot be mapped`
      : `${quoted} is an attribute Cognito owns; it cannot be mapped`;
  }
  if (STANDARD_ATTRIBUTES.has(name)) return undefined;
  if (!name.startsWith(CUSTOM_PREFIX)) {
    return `${quoted} is neither a standard user pool attribute nor "custom:<name>"`;
  }
  const custom = name.slice(CUSTOM_PREFIX.length);
  if (custom.length === 0 || custom.length > MAX_CUSTOM_NAME_LENGTH) {
    return `${quoted}: a custom attribute name has 1 to ${MAX_CUSTOM_NAME_LENGTH} characters after "custom:"`;
  }
  if (!ATTRIBUTE_NAME.test(custom) || hasInvisibleCharacters(custom)) {
    return `${quoted}: a custom attribute name cannot contain spaces, control or invisible characters`;
  }
  return undefined;
}
