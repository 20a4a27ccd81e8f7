/**
 * What Cognito needs to create the migrated user. Attributes are built from named fields of the
 * legacy record only, so nothing Cognito assigns itself (`sub`) or forbids can slip in from the
 * directory, and nothing typed by the user (an alias sign-in keeps the stored address). Verified flags
 * are the strings "true"/"false", as Cognito expects.
 *
 * Every response field of the trigger ("Migrate user Lambda trigger parameters": userAttributes,
 * finalUserStatus, messageAction, desiredDeliveryMediums, forceAliasCreation, enableSMSMFA) is set on
 * purpose; nothing the event carried in `response` is passed through.
 *   Authentication: CONFIRMED (the legacy password just proved itself).
 *   ForgotPassword: RESET_REQUIRED, as the guide documents for this source: Cognito then sends the
 *   reset code to the verified email or phone.
 *   messageAction SUPPRESS: no welcome message for a user who already has an account.
 *   desiredDeliveryMediums: the record's verified channel (EMAIL, else SMS); suppressed anyway, but
 *   left unset Cognito would default to SMS should a message ever be sent.
 *   forceAliasCreation false: if another pool user already holds the email or phone as an alias, the
 *   migration fails instead of moving the alias away from that user.
 *   enableSMSMFA false: MFA is the pool's policy, not something a legacy record turns on.
 */
import type { UserMigrationEvent } from "../lib/cognito-event-types.ts";
import type { StringMap } from "../lib/events.ts";
import type { AliasSignIn } from "./alias-sign-in.ts";
import type { LegacyUser } from "./legacy-user.ts";

export function migratedAttributes(user: LegacyUser, alias?: AliasSignIn): StringMap {
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
  // The alias attribute itself is already there, as stored (alias-sign-in.ts found it by its value).
  if (alias) attributes.username = alias.username;
  return attributes;
}

/** A reset code needs somewhere verified to go; an unverified address could belong to someone else. */
export function hasVerifiedContact(user: LegacyUser): boolean {
  return (
    (Boolean(user.email) && user.emailVerified) || (Boolean(user.phoneNumber) && user.phoneNumberVerified)
  );
}

/** Every field of the documented answer (cognito-event-types.ts), each narrowed to what this trigger sets. */
type DocumentedMigrationResponse = Required<{
  [K in keyof UserMigrationEvent["response"]]: NonNullable<UserMigrationEvent["response"][K]>;
}>;

export interface MigrationResponse extends DocumentedMigrationResponse {
  userAttributes: StringMap;
  finalUserStatus: "CONFIRMED" | "RESET_REQUIRED";
  messageAction: "SUPPRESS";
  desiredDeliveryMediums: ["EMAIL"] | ["SMS"];
  forceAliasCreation: false;
  enableSMSMFA: false;
}

export function migrationResponse(
  attributes: StringMap,
  source: "UserMigration_Authentication" | "UserMigration_ForgotPassword",
): MigrationResponse {
  return {
    userAttributes: attributes,
    finalUserStatus: source === "UserMigration_Authentication" ? "CONFIRMED" : "RESET_REQUIRED",
    messageAction: "SUPPRESS",
    desiredDeliveryMediums: deliveryMedium(attributes),
    forceAliasCreation: false,
    enableSMSMFA: false,
  };
}

/** The verified channel first; a record with neither verified nor a phone number is answered EMAIL. */
function deliveryMedium(attributes: StringMap): ["EMAIL"] | ["SMS"] {
  if (attributes.email_verified === "true") return ["EMAIL"];
  if (attributes.phone_number_verified === "true") return ["SMS"];
  return attributes.email || !attributes.phone_number ? ["EMAIL"] : ["SMS"];
}
