import type { AuditRecord } from "./record.ts";

/** "written": a new item; "duplicate": an item with the same keys exists and was left untouched. */
export type PutOutcome = "written" | "duplicate";

/** Append-only storage of audit records. Implementations never overwrite an existing item. */
export interface AuditStore {
  put(tableName: string, record: AuditRecord, signal: AbortSignal): Promise<PutOutcome>;
}
