/**
 * The answer's `userAttributesToMap`: for each pool attribute of FEDERATION_ATTRIBUTE_MAP, the first of
 * its provider attributes the provider sent, made safe (attribute-values.ts); and the verified flags
 * FEDERATION_EMAIL_VERIFIED decides (verified-flags.ts). Nothing else, so a provider can never set an
 * attribute the map does not name, `custom:` ones included.
 *
 * - `email` is the address the domain policy admitted, lower-cased, its domain in the ASCII form the
 *   policy compared (so `Taro@München.de` is stored as `taro@xn--mnchen-3ya.de`): what was judged is
 *   what is stored, and Pre sign-up, judging the stored address on a first sign-in, decides the same.
 *   `email_verified` always comes with it.
 * - `phone_number` is kept only in E.164 (lib/text/phone.ts), never repaired: a guessed number would
 *   receive someone else's codes. `phone_number_verified` comes with it, and only with it.
 *
 * Cognito reads an empty `userAttributesToMap` as "keep every attribute the provider sent". This answer
 * is never empty: an admitted sign-in always has an email and its flag.
 */
import type { StringMap } from "../lib/events.ts";
import { isE164 } from "../lib/text/phone.ts";
import type { AttributeMap } from "./attribute-map.ts";
import { cleanValue } from "./attribute-values.ts";
import type { FederationEmailVerifiedPolicy } from "./config.ts";
import { VERIFIED_FLAGS } from "./pool-attributes.ts";
import { lookUp, type ProviderProfile, type ProviderValue } from "./provider-attributes.ts";
import { verifiedFlag } from "./verified-flags.ts";

/** Why a mapped attribute the provider sent was left out of the answer (logged by name, never by value). */
export type DropReason = "empty" | "too-long" | "not-e164";

export interface MappedAttributes {
  attributes: StringMap;
  dropped: Record<string, DropReason>;
}

export interface AdmittedEmail {
  found: ProviderValue;
  /** The domain as the policy compared it (toAsciiDomain). */
  domain: string;
}

export function attributesToMap(
  map: AttributeMap,
  profile: ProviderProfile,
  email: AdmittedEmail,
  policy: FederationEmailVerifiedPolicy,
): MappedAttributes {
  const attributes: StringMap = {};
  const dropped: Record<string, DropReason> = {};
  for (const [pool, names] of Object.entries(map)) {
    if (pool === "email") {
      attributes.email = storedAddress(email);
      attributes[VERIFIED_FLAGS.email] = verifiedFlag(policy, email.found.source[VERIFIED_FLAGS.email]);
      continue;
    }
    const found = lookUp(profile, names);
    if (found === undefined) continue;
    if (pool === "phone_number") {
      const number = found.value.trim();
      if (!isE164(number)) {
        dropped[pool] = "not-e164";
        continue;
      }
      attributes.phone_number = number;
      attributes[VERIFIED_FLAGS.phone_number] = verifiedFlag(
        policy,
        found.source[VERIFIED_FLAGS.phone_number],
      );
      continue;
    }
    const outcome = cleanValue(pool, found.value);
    if ("value" in outcome) attributes[pool] = outcome.value;
    else dropped[pool] = outcome.dropped;
  }
  return { attributes, dropped };
}

/** emailDomain admitted the address, so it has exactly one "@" and no whitespace around its parts. */
function storedAddress({ found, domain }: AdmittedEmail): string {
  const local = found.value.trim().toLowerCase().split("@")[0] ?? "";
  return `${local}@${domain}`;
}
