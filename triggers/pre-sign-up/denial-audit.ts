/**
 * The SIGN_UP_DENIED record of a refused sign-up. The trigger imports this module on refusal only,
 * and it imports the audit trail (and with it the AWS SDK) only when it writes, so that an allowed
 * sign-up never pays for loading either.
 * A failed write is not a reason to let the sign-up through: the trail logs the whole record as
 * audit_fallback (counted as AuditFallbacks) and the refusal stands.
 */
import { eventFacts } from "../lib/audit/record.ts";
import type { AuditStore } from "../lib/audit/store.ts";
import type { TriggerEvent } from "../lib/events.ts";
import type { Logger } from "../lib/logger.ts";
import type { Metrics } from "../lib/metrics.ts";

/** Enough of a submitted address for reviewers; attribute values can be far longer than any address. */
const MAX_AUDITED_EMAIL = 320;

export interface DenialAudit {
  tableName: string;
  retentionDays: number;
  log: Logger;
  metrics: Metrics;
  requestId: string;
  store?: AuditStore;
  now?: () => Date;
}

export async function auditDenial(
  event: TriggerEvent,
  reason: string,
  email: string | undefined,
  audit: DenialAudit,
): Promise<void> {
  const { AuditTrail } = await import("../lib/audit/trail.ts");
  const trail = new AuditTrail({
    tableName: audit.tableName,
    retentionDays: audit.retentionDays,
    log: audit.log,
    metrics: audit.metrics,
    ...(audit.store ? { store: audit.store } : {}),
    ...(audit.now ? { now: audit.now } : {}),
  });
  await trail.record({
    event: "SIGN_UP_DENIED",
    outcome: "denied",
    reason,
    ...eventFacts(event, audit.requestId),
    // The address as submitted (it may be long or malformed: that can be why it was refused).
    email: email?.trim().slice(0, MAX_AUDITED_EMAIL) || undefined,
  });
}
