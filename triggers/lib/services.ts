/**
 * The outside world a handler talks to, injectable so that replay can run handlers offline and tests
 * can inject faults. Lambda uses the defaults (real AWS clients, loaded lazily).
 * Each trigger that needs another service adds its port here.
 */
import type { AuditStore } from "./audit/store.ts";

export interface Services {
  auditStore?: AuditStore;
  /** Post confirmation's welcome email; defaults to SES (v1 SendEmail), loaded on first send. */
  mailer?: Mailer;
  now?: () => Date;
  legacyUsers?: LegacyUserStore;
  /** The custom senders' code decryption; defaults to the AWS Encryption SDK with a KMS keyring. */
  codeDecrypter?: CodeDecrypter;
  /** The custom SMS sender's text messages; defaults to SNS (Publish to a phone number). */
  textSender?: TextSender;
  /**
   * Where the custom email sender finds the address of a user the event does not give one for (the
   * account-takeover notification); defaults to Cognito AdminGetUser, loaded on first use.
   */
  userDirectory?: UserDirectory;
}

/** The user pool's record of its users, read-only. */
export interface UserDirectory {
  /**
   * The user's email address when the pool holds one marked verified (email_verified "true");
   * undefined when the user does not exist or has no verified address. Rejects when the directory
   * cannot answer; stops when `signal` aborts.
   */
  verifiedEmail(userPoolId: string, username: string, signal: AbortSignal): Promise<string | undefined>;
}

/**
 * Turns the code Cognito hands a custom sender (an AWS Encryption SDK message, base64) into plaintext,
 * with data keys wrapped only by `keyArn`. Rejects on anything else; stops when `signal` aborts.
 */
export interface CodeDecrypter {
  decrypt(keyArn: string, ciphertext: string, signal: AbortSignal): Promise<string>;
}

/** One text message to one E.164 phone number. */
export interface OutgoingText {
  to: string;
  body: string;
}

/** Sends one text; resolves once the service accepted it, rejects otherwise. Stops when `signal` aborts. */
export interface TextSender {
  send(text: OutgoingText, signal: AbortSignal): Promise<void>;
}

/**
 * The user-migration trigger's legacy directory (LEGACY_USERS_TABLE_NAME): one item per user, keyed by
 * the normalised sign-in name `login`. Items come back as plain objects; the trigger validates them.
 */
export interface LegacyUserStore {
  get(tableName: string, login: string): Promise<Record<string, unknown> | undefined>;
  /** Sets `migratedAt` once: "marked" the first time, "unchanged" when it was already set (a retry). */
  markMigrated(tableName: string, login: string, at: string): Promise<"marked" | "unchanged">;
}

/** One email to one recipient; `html` and `text` are alternative parts of the same message. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Sends one email; resolves once the service accepted it, rejects otherwise. Stops when `signal` aborts. */
export interface Mailer {
  send(email: OutgoingEmail, signal: AbortSignal): Promise<void>;
}
