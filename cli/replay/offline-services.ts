/**
 * In-memory stand-ins for the AWS services the handlers call, so that replay runs offline by default
 * and can report what a handler would have written or sent ("effects").
 */
import { readFileSync } from "node:fs";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { LegacyUserStore, Mailer, OutgoingEmail, Services } from "../../triggers/lib/services.ts";

export type Effect =
  | { audit: string; outcome: string; reason?: string }
  | { email: string }
  | { legacyMigrated: string };

export interface OfflineServices {
  services: Services;
  effects(): Effect[];
}

/** Accepts every email and keeps it, so that replay reports sends as `{ "email": "<to>" }` effects. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];

  async send(email: OutgoingEmail): Promise<void> {
    this.sent.push(email);
  }
}

/**
 * The user-migration legacy directory, seeded from fixtures/legacy-users.json (read on first use) and
 * answering for any table name. A first `migratedAt` is reported as a `{ "legacyMigrated": "<login>" }` effect.
 */
export class MemoryLegacyUsers implements LegacyUserStore {
  readonly migrated: string[] = [];
  private items: Map<string, Record<string, unknown>> | undefined;

  async get(_tableName: string, login: string) {
    const item = this.load().get(login);
    return item === undefined ? undefined : structuredClone(item);
  }

  async markMigrated(_tableName: string, login: string, at: string) {
    const item = this.load().get(login);
    if (item === undefined || item.migratedAt !== undefined) return "unchanged" as const;
    item.migratedAt = at;
    this.migrated.push(login);
    return "marked" as const;
  }

  private load(): Map<string, Record<string, unknown>> {
    this.items ??= new Map(legacyFixture().map((item) => [String(item.login), structuredClone(item)]));
    return this.items;
  }
}

let legacyItems: Record<string, unknown>[] | undefined;

/**
 * The sample users. The npm package leaves the repository's sample data out, so there the offline
 * directory is empty: user migration finds no legacy user unless replayed --live against a real table.
 */
function legacyFixture(): Record<string, unknown>[] {
  legacyItems ??= readSampleUsers();
  return legacyItems;
}

function readSampleUsers(): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(new URL("./fixtures/legacy-users.json", import.meta.url), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return (JSON.parse(text) as { items: Record<string, unknown>[] }).items;
}

export function createOfflineServices(): OfflineServices {
  const auditStore = new MemoryAuditStore();
  const mailer = new RecordingMailer();
  const legacyUsers = new MemoryLegacyUsers();
  return {
    services: { auditStore, mailer, legacyUsers },
    effects: () => [
      ...[...auditStore.items.values()].map((record) => ({
        audit: record.event,
        outcome: record.outcome,
        ...(record.reason === undefined ? {} : { reason: record.reason }),
      })),
      ...mailer.sent.map((email) => ({ email: email.to })),
      ...legacyUsers.migrated.map((login) => ({ legacyMigrated: login })),
    ],
  };
}
