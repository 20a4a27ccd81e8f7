/**
 * What a denial leaves behind: one SIGN_IN_DENIED audit record with its reason, and (for the policy
 * reasons) one answer shared by all of them, which says nothing about the list, the client rule or
 * whether the user exists. A record that reaches the audit_fallback line instead of the table is
 * counted as AuditFallbacks, whichever of the two paths below writes it.
 *
 * The audit trail is imported only here, on first denial: it pulls in the AWS SDK, and an allowed
 * sign-in (the common case) must not pay for loading it.
 */
import { type AuditEntry, buildAuditRecord, eventFacts } from "../lib/audit/record.ts";
import type { TriggerEvent } from "../lib/events.ts";
import type { Logger } from "../lib/logger.ts";
import { METRIC, type Metrics } from "../lib/metrics.ts";
import type { Services } from "../lib/services.ts";
import type { AuditSettings } from "./config.ts";
import type { DenialReason } from "./sign-in-policy.ts";

/** Cognito appends the final period. */
export const SIGN_IN_DENIED_MESSAGE = "Sign-in is not allowed. Contact your administrator if you need access";

export interface DenialContext {
  audit: AuditSettings;
  log: Logger;
  metrics: Metrics;
  requestId: string;
  services: Services;
}

/** Writes the denial's audit record; never throws (a failed write ends in the audit_fallback log line). */
export async function auditDenial(
  event: TriggerEvent,
  denial: { reason: DenialReason; sourceIp?: string },
  { audit, log, metrics, requestId, services }: DenialContext,
): Promise<void> {
  const entry: AuditEntry = {
    event: "SIGN_IN_DENIED",
    outcome: "denied",
    reason: denial.reason,
    ...eventFacts(event, requestId),
    sourceIp: denial.sourceIp,
  };
  const now = services.now ?? (() => new Date());
  try {
    const { AuditTrail, logFallback } = await import("../lib/audit/trail.ts");
    if (audit.tableName === undefined) {
      // Only when AUDIT_TABLE_NAME itself is the broken key: the log line is the one place left.
      logFallback(
        { log, metrics },
        buildAuditRecord(entry, now(), audit.retentionDays),
        new Error("AUDIT_TABLE_NAME is not set"),
      );
    } else {
      const trail = new AuditTrail({
        tableName: audit.tableName,
        retentionDays: audit.retentionDays,
        log,
        metrics,
        store: services.auditStore,
        now,
      });
      await trail.record(entry);
    }
  } catch (error) {
    // Reachable only if the trail module cannot load; the record still goes where readers look for it.
    const record = buildAuditRecord(entry, now(), audit.retentionDays);
    log.error("audit_fallback", {
      record,
      cause: { name: (error as Error).name, message: (error as Error).message },
    });
    metrics.count(METRIC.AuditFallbacks);
  }
  log.warn("sign-in denied", { reason: denial.reason, clientId: event.callerContext.clientId });
}
