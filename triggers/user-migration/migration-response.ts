/**
 * What Cognito needs to create the migrated user. Attributes are built from named fields of the
 * legacy record only, so nothing Cognito assigns itself (`sub`) or forbids can slip in from the
 * directory. Verified flags are the strings "true"/"false", as Cognito expects.
 *   Authentication: CONFIRMED (the legacy password just proved itself), welcome message suppressed.
 *   ForgotPassword: status left to Cognito (RESET_REQUIRED), so it sends the reset code to the
 *   verified email or phone; welcome message suppressed.
 */
import type { StringMap } from "../lib/events.ts";
import type { AliasSignIn } from "./alias-sign-in.ts";
import type { LegacyUser } from "./legacy-user.ts";

export function migratedAttributes(user: LegacyUser, typedName: string, alias?: AliasSignIn): StringMap {
  const attributes: StringMap = {};
  if (user.email) {
    attributes.email = user.email;
    attributes.email_verified = String(user.emailVerified);
  }
  if (user.phoneNumber) {
    attributes.phone_number = user.phoneNumber;
    attributes.phone_number_verified = String(user.phoneNumberVerified);
  }
  if (user.name) attributes.name = user.name;
  if (user.nickname) attributes.nickname = user.nickname;
  if (user.preferredUsername) attributes.preferred_username = user.preferredUsername;
  attributes["custom:legacy_id"] = user.legacyId;
  if (alias) {
    attributes.username = alias.username;
    attributes[alias.attribute] = typedName;
  }
  return attributes;
}

/** A reset code needs somewhere verified to go; an unverified address could belong to someone else. */
export function hasVerifiedContact(user: LegacyUser): boolean {
  return (
    (Boolean(user.email) && user.emailVerified) || (Boolean(user.phoneNumber) && user.phoneNumberVerified)
  );
}

export function authenticationResponse(attributes: StringMap): Record<string, unknown> {
  return {
    userAttributes: attributes,
    finalUserStatus: "CONFIRMED",
    messageAction: "SUPPRESS",
    ...deliveryMediums(attributes),
  };
}

export function forgotPasswordResponse(attributes: StringMap): Record<string, unknown> {
  return { userAttributes: attributes, messageAction: "SUPPRESS", ...deliveryMediums(attributes) };
}

// Suppressed anyway; without it Cognito would default to SMS should a message ever be sent.
function deliveryMediums(attributes: StringMap): { desiredDeliveryMediums?: string[] } {
  if (attributes.email) return { desiredDeliveryMediums: ["EMAIL"] };
  if (attributes.phone_number) return { desiredDeliveryMediums: ["SMS"] };
  return {};
}
