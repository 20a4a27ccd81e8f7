/**
 * Post authentication: one SIGN_IN audit record per successful sign-in, written with exactly one
 * conditional PutItem (no read first, never an overwrite). When the write fails or runs out of its
 * budget, the record is on the audit_fallback log line either way, and AUDIT_FAILURE_MODE decides
 * what the user sees: `open` lets the sign-in proceed, `closed` fails it with the generic message.
 * Every sign-in that proceeds is counted as SignIns; a record on the fallback line as AuditFallbacks.
 */
import { defaultAuditStore } from "../lib/audit/dynamo-store.ts";
import { AuditTrail } from "../lib/audit/trail.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { GENERIC_USER_MESSAGE, UserFacingError } from "../lib/errors.ts";
import { METRIC } from "../lib/metrics.ts";
import { postAuthenticationConfigSpec } from "./config.ts";
import { signInEntry } from "./sign-in-record.ts";

const config = postAuthenticationConfigSpec;

export const createHandler = defineTrigger({
  trigger: "post-authentication",
  config,
  handle: async (event, { config, log, metrics, requestId, services }) => {
    const trail = new AuditTrail({
      tableName: config.AUDIT_TABLE_NAME,
      retentionDays: config.AUDIT_RETENTION_DAYS,
      log,
      metrics,
      // Every sign-in writes, so the store is imported with the handler, not looked up on first use.
      store: services.auditStore ?? defaultAuditStore(),
      now: services.now,
    });
    const outcome = await trail.record(signInEntry(event, requestId));
    if (outcome === "failed" && config.AUDIT_FAILURE_MODE === "closed") {
      log.error("sign-in refused: its audit record could not be written (AUDIT_FAILURE_MODE=closed)");
      throw new UserFacingError(GENERIC_USER_MESSAGE);
    }
    metrics.count(METRIC.SignIns);
    return event;
  },
});
