/**
 * What user migration needs of the legacy directory: the record, the once-only migration mark and
 * the failed-password counter. DynamoLegacyUserStore is the real one. A store given as the suite-wide
 * LegacyUserStore port (replay's in-memory directory) offers only reads and a plain once-only mark: it
 * is adapted below, and counts no failures (it cannot make the conditional writes the lock relies on).
 */
import type { LegacyUserStore } from "../lib/services.ts";
import type { CountStep, LockPolicy } from "./failed-attempts.ts";

export interface MigrationMark {
  at: string;
  /** The Cognito userName, exactly as sent: a retry of this same migration is allowed, nothing else. */
  userName: string;
  nowMs: number;
  /** Sign-in only: a lock that engaged meanwhile still refuses (a reset sends a code, it guesses nothing). */
  honourLock: boolean;
}

export interface MigrationDirectory {
  get(tableName: string, login: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Sets migratedAt and migratedUserName, and ends the failure counter, only if the record exists and
   * is not migrated yet (nor locked, when asked). "conflict": it was not written; read the record again
   * to know why (a retry of this same migration finds its own userName there).
   */
  claimMigration(tableName: string, login: string, mark: MigrationMark): Promise<"marked" | "conflict">;
  /** One conditional write of the counter; "skipped" when its condition did not hold. */
  countFailure(
    tableName: string,
    login: string,
    step: CountStep,
    clock: { nowMs: number; policy: LockPolicy },
  ): Promise<"counted" | "skipped">;
}

/**
 * The plain port cannot store migratedUserName, so the adapter remembers, per store, which userName
 * marked which login, and shows it on the records it reads: a retry of the same migration is then
 * told from another spelling there too.
 */
const markedBy = new WeakMap<LegacyUserStore, Map<string, string>>();

export function fromLegacyUserStore(store: LegacyUserStore): MigrationDirectory {
  let names = markedBy.get(store);
  if (!names) {
    names = new Map();
    markedBy.set(store, names);
  }
  const userNames = names;
  return {
    get: async (tableName, login) => {
      const item = await store.get(tableName, login);
      const userName = userNames.get(login);
      return item && item.migratedUserName === undefined && userName !== undefined
        ? { ...item, migratedUserName: userName }
        : item;
    },
    claimMigration: async (tableName, login, mark) => {
      const outcome = await store.markMigrated(tableName, login, mark.at);
      if (outcome === "unchanged") return "conflict";
      userNames.set(login, mark.userName);
      return "marked";
    },
    countFailure: async () => "skipped",
  };
}
