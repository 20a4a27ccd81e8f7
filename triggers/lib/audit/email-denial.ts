/**
 * The record of an email address refused at a gate of the pool: SIGN_UP_DENIED (Pre sign-up) or
 * FEDERATION_DENIED (Inbound federation), which judge an address by the same domain policy. The
 * triggers import this module on refusal only, and it imports the audit trail (and with it the AWS SDK)
 * only when it writes, so that an admitted address never pays for loading either.
 * A failed write is not a reason to let the address through: the trail logs the whole record as
 * audit_fallback (counted as AuditFallbacks) and the refusal stands.
 */
import type { AuditConfig, Env } from "../config.ts";
import type { Invocation } from "../define-trigger.ts";
import type { TriggerEvent } from "../events.ts";
import { type AuditEventName, eventFacts } from "./record.ts";

/** Enough of an address for reviewers; attribute values can be far longer than any address. */
const MAX_AUDITED_EMAIL = 320;
/** AUDIT_RETENTION_DAYS's default and bounds (auditConfigSpec). */
const DEFAULT_RETENTION_DAYS = 400;
const MAX_RETENTION_DAYS = 3650;

export interface EmailDenial {
  event: Extract<AuditEventName, "SIGN_UP_DENIED" | "FEDERATION_DENIED">;
  reason: string;
  /** The address as it was given, if any. */
  email: string | undefined;
}

export async function auditEmailDenial(
  event: TriggerEvent,
  denial: EmailDenial,
  { config, log, metrics, requestId, services }: Invocation<AuditConfig>,
): Promise<void> {
  const { AuditTrail } = await import("./trail.ts");
  const trail = new AuditTrail({
    tableName: config.AUDIT_TABLE_NAME,
    retentionDays: config.AUDIT_RETENTION_DAYS,
    log,
    metrics,
    store: services.auditStore,
    now: services.now,
  });
  await trail.record({
    event: denial.event,
    outcome: "denied",
    reason: denial.reason,
    ...eventFacts(event, requestId),
    // The address as given (it may be long or malformed: that can be why it was refused).
    email: denial.email?.trim().slice(0, MAX_AUDITED_EMAIL) || undefined,
  });
}

/**
 * A refusal for invalid configuration (reason config-invalid), recorded in the audit table as far as
 * the environment names it, read leniently since the configuration is known to be invalid; without a
 * table, only the runtime's ConfigRefusals count is left.
 */
export async function auditConfigRefusal(
  event: TriggerEvent,
  denial: Omit<EmailDenial, "reason">,
  env: Env,
  invocation: Omit<Invocation<unknown>, "config">,
): Promise<void> {
  const config = auditConfigDespiteInvalidConfig(env);
  if (!config) return;
  await auditEmailDenial(event, { ...denial, reason: "config-invalid" }, { ...invocation, config });
}

function auditConfigDespiteInvalidConfig(env: Env): AuditConfig | undefined {
  const tableName = env.AUDIT_TABLE_NAME?.trim();
  if (!tableName) return undefined;
  const retentionDays = Number(env.AUDIT_RETENTION_DAYS);
  return {
    AUDIT_TABLE_NAME: tableName,
    AUDIT_RETENTION_DAYS:
      Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= MAX_RETENTION_DAYS
        ? retentionDays
        : DEFAULT_RETENTION_DAYS,
  };
}
