/**
 * What the identity provider said about the user, read by provider type:
 * - OIDC and the social providers (Google, Facebook, SignInWithApple, LoginWithAmazon): the decoded ID
 *   token's claims, then the userInfo answer. The ID token wins where both have an attribute: it is
 *   signed by the provider and checked by Cognito, while userInfo is a plain answer fetched with the
 *   provider's access token.
 *   A userInfo answer about another subject (its `sub` differs from the ID token's) is not used at all,
 *   as OpenID Connect Core 5.3.2 requires.
 * - SAML: the assertion's attributes (`samlResponse`).
 * The other maps an event may carry are ignored: a SAML sign-in's `idToken`, an OIDC sign-in's
 * `samlResponse`. `tokenResponse` (the provider's access, ID and refresh tokens) is never read.
 * An unknown provider type is not guessed at: the sign-in is refused as a malformed event.
 */
import { isRecord, type StringMap, stringMap } from "../lib/events.ts";

export const OIDC_PROVIDER_TYPES = [
  "OIDC",
  "Google",
  "Facebook",
  "SignInWithApple",
  "LoginWithAmazon",
] as const;
export type ProviderType = (typeof OIDC_PROVIDER_TYPES)[number] | "SAML";

export interface ProviderProfile {
  providerType: ProviderType;
  /** The provider's attribute maps, the most trusted first. */
  sources: readonly StringMap[];
  /** Set when a userInfo answer was left out because it is about another subject. */
  userInfoIgnored?: true;
}

/** One provider attribute's value and the map it came from (which also holds its verified flag). */
export interface ProviderValue {
  value: string;
  source: StringMap;
}

export function readProviderProfile(request: Record<string, unknown>): ProviderProfile | { problem: string } {
  const { providerType } = request;
  const attributes = isRecord(request.attributes) ? request.attributes : {};
  if (providerType === "SAML") return { providerType, sources: [stringMap(attributes.samlResponse)] };
  if (!(OIDC_PROVIDER_TYPES as readonly unknown[]).includes(providerType)) {
    const shown = typeof providerType === "string" ? JSON.stringify(providerType.slice(0, 40)) : "missing";
    return { problem: `providerType ${shown} is not one this trigger reads` };
  }
  const idToken = stringMap(attributes.idToken);
  const userInfo = stringMap(attributes.userInfo);
  const otherSubject =
    idToken.sub !== undefined && userInfo.sub !== undefined && idToken.sub !== userInfo.sub;
  return {
    providerType: providerType as ProviderType,
    sources: otherSubject ? [idToken] : [idToken, userInfo],
    ...(otherSubject ? { userInfoIgnored: true as const } : {}),
  };
}

/**
 * The first of `names` the provider sent with a value that is not blank; for each name, the most
 * trusted map that has it. The list order is the operator's (which claim means this attribute), the
 * map order the provider's trust (which copy of that claim to believe).
 */
export function lookUp(profile: ProviderProfile, names: readonly string[]): ProviderValue | undefined {
  for (const name of names) {
    for (const source of profile.sources) {
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      if (typeof value === "string" && value.trim() !== "") return { value, source };
    }
  }
  return undefined;
}
