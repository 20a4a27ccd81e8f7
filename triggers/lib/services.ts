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
