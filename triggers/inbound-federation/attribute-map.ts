/**
 * FEDERATION_ATTRIBUTE_MAP: which provider attributes become which pool attributes, as a JSON object
 *   { "<pool attribute>": "<provider attribute>" | ["<provider attribute>", ...] }
 * where, in a list, the first provider attribute the provider sent wins. Only the pool attributes named
 * here are ever answered (plus the verified flags the policy sets): whatever else a provider sends,
 * `custom:role` or `cognito:groups` included, is dropped.
 *
 * Checked where it is parsed (pool-attributes.ts says which pool attributes may be named), and:
 * `email` must be mapped, since the domain policy judges every federated sign-in by it; a provider
 * attribute name is a non-empty string without control or invisible characters, of at most
 * MAX_PROVIDER_NAME_LENGTH; a list has 1 to MAX_ALTERNATIVES names; the provider's tokens
 * (`access_token`, `id_token`, `refresh_token`) are never mapped: they are secrets, and this trigger
 * never reads the token response that holds them.
 */
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";
import { CUSTOM_PREFIX, MAX_CUSTOM_ATTRIBUTES, poolAttributeProblem } from "./pool-attributes.ts";

/** Pool attribute -> the provider attributes to read it from, in order of preference. */
export type AttributeMap = Readonly<Record<string, readonly string[]>>;

/** Far above real names (SAML attribute URIs are under 100 characters); a longer one is a mistake. */
export const MAX_PROVIDER_NAME_LENGTH = 256;
export const MAX_ALTERNATIVES = 10;

const TOKEN_NAMES: ReadonlySet<string> = new Set(["access_token", "id_token", "refresh_token"]);
const CONTROL_OR_INVISIBLE = /\p{Cc}/u;

/** The claim names Microsoft Entra ID and AD FS put in SAML assertions by default. */
const SAML_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims";

/**
 * The OpenID Connect standard claims onto the same-named standard pool attributes, with the usual SAML
 * claim names as second choices for email and the name parts. Left out on purpose:
 * - `phone_number`: an SMS destination for sign-in and recovery codes that few providers verify; map
 *   it yourself where the provider does (FEDERATION_EMAIL_VERIFIED then decides phone_number_verified);
 * - `preferred_username`: an alias some pools sign in with and many apps show as the user's handle, so
 *   a provider profile could claim "admin" or another user's name;
 * - `sub`, `updated_at`, the verified flags and anything `cognito:`: Cognito's or the policy's (pool-attributes.ts).
 */
export const DEFAULT_ATTRIBUTE_MAP: AttributeMap = {
  email: ["email", `${SAML_CLAIMS}/emailaddress`],
  name: ["name"],
  given_name: ["given_name", `${SAML_CLAIMS}/givenname`],
  family_name: ["family_name", `${SAML_CLAIMS}/surname`],
  middle_name: ["middle_name"],
  nickname: ["nickname"],
  profile: ["profile"],
  picture: ["picture"],
  website: ["website"],
  gender: ["gender"],
  birthdate: ["birthdate"],
  zoneinfo: ["zoneinfo"],
  locale: ["locale"],
  address: ["address"],
};

/** Parses the JSON value of FEDERATION_ATTRIBUTE_MAP; throws an Error saying what is wrong. */
export function parseAttributeMap(value: unknown): AttributeMap {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("must be a JSON object of pool attribute -> provider attribute(s)");
  }
  const out: Record<string, readonly string[]> = {};
  let custom = 0;
  for (const [pool, provider] of Object.entries(value)) {
    const problem = poolAttributeProblem(pool);
    if (problem) throw new Error(problem);
    if (pool.startsWith(CUSTOM_PREFIX) && ++custom > MAX_CUSTOM_ATTRIBUTES) {
      throw new Error(`maps more than ${MAX_CUSTOM_ATTRIBUTES} custom attributes, a user pool's limit`);
    }
    out[pool] = providerNames(pool, provider);
  }
  if (!Object.hasOwn(out, "email")) {
    throw new Error('must map "email": the email domain policy judges every federated sign-in by it');
  }
  return out;
}

function providerNames(pool: string, provider: unknown): readonly string[] {
  const names = typeof provider === "string" ? [provider] : provider;
  const at = `"${pool}"`;
  if (!Array.isArray(names)) throw new Error(`${at} must map to a provider attribute name or a list of them`);
  if (names.length === 0) throw new Error(`${at} maps to an empty list`);
  if (names.length > MAX_ALTERNATIVES) {
    throw new Error(`${at} lists more than ${MAX_ALTERNATIVES} provider attributes`);
  }
  return names.map((name) => {
    if (typeof name !== "string" || name.trim() === "") {
      throw new Error(`${at}: a provider attribute name must be a non-empty string`);
    }
    const quoted = JSON.stringify(name.slice(0, 60));
    if (name.length > MAX_PROVIDER_NAME_LENGTH) {
      throw new Error(`${at}: ${quoted}… is longer than ${MAX_PROVIDER_NAME_LENGTH} characters`);
    }
    if (name !== name.trim() || CONTROL_OR_INVISIBLE.test(name) || hasInvisibleCharacters(name)) {
      throw new Error(`${at}: ${quoted} has spaces around it, or control or invisible characters`);
    }
    if (TOKEN_NAMES.has(name)) throw new Error(`${at}: ${quoted} is a token; tokens are never mapped`);
    return name;
  });
}
