/**
 * One user of the legacy directory, as docs/tokens-and-migration.md documents the item:
 *   login (key), legacyId, passwordHash, email, emailVerified, phoneNumber, phoneNumberVerified,
 *   name, nickname, preferredUsername, username, disabled, migratedAt
 * and the attributes migration itself writes (written-attributes.ts): migratedUserName, failedAttempts,
 * failuresSince, lockedUntil.
 * Fields of the wrong type make the item unusable (LegacyRecordError names the field, never its
 * value); fields this trigger does not know are ignored, so a directory may carry more.
 * A phoneNumber that is not E.164 (`+819012345678`) is set aside rather than refused: Cognito would
 * reject the whole migrated user for it, and a reformatted number is a guess. The user migrates
 * without a phone (and so without it as a verified contact or an alias), and `phoneNumberUnusable` says
 * so, for the trigger to log.
 */
import { isE164 } from "../lib/text/phone.ts";

export interface LegacyUser {
  login: string;
  legacyId: string;
  passwordHash?: string;
  email?: string;
  emailVerified: boolean;
  /** E.164 only; a number in any other form is dropped (phoneNumberUnusable). */
  phoneNumber?: string;
  phoneNumberVerified: boolean;
  /** The record had a phoneNumber that is not E.164: it was dropped, with its verified flag. */
  phoneNumberUnusable?: true;
  name?: string;
  nickname?: string;
  preferredUsername?: string;
  /** The Cognito username to create when the user signs in with an alias (USER_POOL_ALIAS_ATTRIBUTES). */
  username?: string;
  disabled: boolean;
  migratedAt?: string;
  /** The Cognito userName, exactly as Cognito sent it, of the migration that set migratedAt. */
  migratedUserName?: string;
  /** Failed legacy passwords in the current window (failed-attempts.ts). */
  failedAttempts?: number;
  /** Epoch milliseconds: when the current window of failures began. */
  failuresSince?: number;
  /** Epoch milliseconds: until when sign-in migration is refused. */
  lockedUntil?: number;
}

export class LegacyRecordError extends Error {
  override readonly name = "LegacyRecordError";
  constructor(readonly field: string) {
    super(`legacy record field "${field}" is missing or has the wrong type`);
  }
}

export function parseLegacyUser(item: Record<string, unknown>): LegacyUser {
  const text = (field: string, required = false): string | undefined => {
    const value = item[field];
    if (value === undefined || value === null) {
      if (required) throw new LegacyRecordError(field);
      return undefined;
    }
    if (typeof value !== "string" || (required && value.trim() === "")) throw new LegacyRecordError(field);
    return value === "" ? undefined : value;
  };
  const bool = (field: string): boolean => {
    const value = item[field];
    if (value === undefined || value === null) return false;
    if (typeof value !== "boolean") throw new LegacyRecordError(field);
    return value;
  };
  const count = (field: string): number | undefined => {
    const value = item[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new LegacyRecordError(field);
    }
    return value;
  };
  const phoneNumber = text("phoneNumber");
  const phoneNumberVerified = bool("phoneNumberVerified");
  const phoneUsable = phoneNumber === undefined || isE164(phoneNumber);
  return dropUndefined({
    login: text("login", true) as string,
    legacyId: text("legacyId", true) as string,
    passwordHash: text("passwordHash"),
    email: text("email"),
    emailVerified: bool("emailVerified"),
    phoneNumber: phoneUsable ? phoneNumber : undefined,
    phoneNumberVerified: phoneUsable && phoneNumberVerified,
    phoneNumberUnusable: phoneUsable ? undefined : true,
    name: text("name"),
    nickname: text("nickname"),
    preferredUsername: text("preferredUsername"),
    username: text("username"),
    disabled: bool("disabled"),
    migratedAt: text("migratedAt"),
    migratedUserName: text("migratedUserName"),
    failedAttempts: count("failedAttempts"),
    failuresSince: count("failuresSince"),
    lockedUntil: count("lockedUntil"),
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
