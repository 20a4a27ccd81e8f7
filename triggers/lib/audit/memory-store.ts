import type { AuditRecord } from "./record.ts";
import type { AuditStore, PutOutcome } from "./store.ts";

/** An in-memory audit table with the same conditional-put semantics; used by replay and tests. */
export class MemoryAuditStore implements AuditStore {
  readonly items = new Map<string, AuditRecord & { tableName: string }>();

  async put(tableName: string, record: AuditRecord): Promise<PutOutcome> {
    const key = `${tableName}|${record.pk}|${record.sk}`;
    if (this.items.has(key)) return "duplicate";
    this.items.set(key, { ...record, tableName });
    return "written";
  }
}
