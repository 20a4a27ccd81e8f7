import type { AuditRecord } from "./record.ts";

/** "written": a new item; "duplicate": an item with the same keys exists and was left untouched. */
export type PutOutcome = "written" | "duplicate";

/**
 * Append-only storage of audit records. Implementations never overwrite an existing item.
 *
 * A put takes no AbortSignal: the audit trail does not cancel a write it stopped waiting for (see
 * trail.ts), because a late write is harmless where every put is conditional.
 */
export interface AuditStore {
  put(tableName: string, record: AuditRecord): Promise<PutOutcome>;
}
