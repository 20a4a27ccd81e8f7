/**
 * Writes audit records within a time budget and never loses one: when the store fails or is too slow,
 * the whole record goes to one structured `audit_fallback` log line (ERROR level), from which it can
 * be recovered, and the AuditFallbacks metric counts it (so that an alarm need not parse log lines).
 * Callers decide what a failure means for the user (see AUDIT_FAILURE_MODE).
 *
 * A write that runs out of its budget is answered for at once but not cancelled (time-budget.ts says
 * why): the bounded DynamoDB client ends it by itself. Should it still land, the record is both in the
 * table and on the fallback line, and putting the line back later finds it there ("duplicate"), as
 * every put is conditional.
 */

import type { Logger } from "../logger.ts";
import { METRIC, type Metrics } from "../metrics.ts";
import { AWS_CALL_BUDGET_MS, withinBudget } from "../time-budget.ts";
import { type AuditEntry, type AuditRecord, buildAuditRecord } from "./record.ts";
import type { AuditStore, PutOutcome } from "./store.ts";

export type AuditWriteResult = PutOutcome | "failed";

export interface AuditTrailOptions {
  tableName: string;
  retentionDays: number;
  log: Logger;
  metrics: Metrics;
  /** Defaults to DynamoDB, loaded on first write. */
  store?: AuditStore;
  now?: () => Date;
  budgetMs?: number;
}

export class AuditTrail {
  private store: AuditStore | undefined;

  constructor(private readonly options: AuditTrailOptions) {
    this.store = options.store;
  }

  async record(entry: AuditEntry): Promise<AuditWriteResult> {
    const { tableName, retentionDays, log, metrics } = this.options;
    const record = buildAuditRecord(entry, (this.options.now ?? (() => new Date()))(), retentionDays);
    try {
      const outcome = await withinBudget(
        async () => (this.store ?? (await this.loadStore())).put(tableName, record),
        this.options.budgetMs ?? AWS_CALL_BUDGET_MS,
        "audit write",
      );
      if (outcome === "duplicate") log.info("audit record already present", { pk: record.pk, sk: record.sk });
      return outcome;
    } catch (error) {
      logFallback({ log, metrics }, record, error);
      return "failed";
    }
  }

  private async loadStore(): Promise<AuditStore> {
    const { DynamoAuditStore } = await import("./dynamo-store.ts");
    this.store ??= new DynamoAuditStore();
    return this.store;
  }
}

/** The one way a record reaches the audit_fallback line: logged whole, and counted. */
export function logFallback(
  { log, metrics }: { log: Logger; metrics: Metrics },
  record: AuditRecord,
  error: unknown,
): void {
  const cause =
    error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
  log.error("audit_fallback", { record, cause });
  metrics.count(METRIC.AuditFallbacks);
}
