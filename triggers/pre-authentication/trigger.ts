/**
 * Pre authentication: the server-side layer of the IP allowlist (docs/sign-in-security.md). An allowed
 * sign-in returns the event unchanged and touches nothing else; a denial is counted (SignInDenied, by
 * reason), audited and answered with one message for every reason. Invalid configuration denies every
 * sign-in (fail closed), audited as config-invalid and counted as ConfigRefusals by the runtime.
 */

import type { TriggerHandlerOf } from "../lib/cognito-event-types.ts";
import type { Env } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { UserFacingError } from "../lib/errors.ts";
import { createLogger } from "../lib/logger.ts";
import { METRIC } from "../lib/metrics.ts";
import type { Services } from "../lib/services.ts";
import {
  auditSettingsDespiteInvalidConfig,
  preAuthenticationConfigSpec,
  preparePreAuthenticationConfig,
} from "./config.ts";
import { auditDenial, SIGN_IN_DENIED_MESSAGE } from "./denial.ts";
import { decide } from "./sign-in-policy.ts";

export function createHandler(env: Env, services?: Services): TriggerHandlerOf<"pre-authentication"> {
  warnWhenClientRulesHaveNoEffect(env);
  const auditDespiteInvalidConfig = auditSettingsDespiteInvalidConfig(env);
  return defineTrigger({
    trigger: "pre-authentication",
    config: preAuthenticationConfigSpec,
    prepare: preparePreAuthenticationConfig,
    handle: async (event, { config, log, metrics, requestId, services }) => {
      if (!config.policy) return event;
      const decision = decide(config.policy, {
        clientId: event.callerContext.clientId,
        validationData: event.request.validationData,
      });
      if (decision.allowed) return event;
      await auditDenial(event, decision, { audit: config.audit, log, metrics, requestId, services });
      // Counted with the answer, so that an invocation is never both a denial and an unexpected error.
      metrics.denied(METRIC.SignInDenied, decision.reason);
      throw new UserFacingError(SIGN_IN_DENIED_MESSAGE);
    },
    // The runtime then refuses with the suite-wide generic message, like every handler with a broken
    // setting: it is the same for every request, so it tells nothing about the list or the user.
    onConfigError: async (event, { log, metrics, requestId, services }) => {
      await auditDenial(
        event,
        { reason: "config-invalid" },
        { audit: auditDespiteInvalidConfig, log, metrics, requestId, services },
      );
    },
  })(env, services);
}

/** An empty list turns the whole check off; say so once if the other IP settings suggest a list was meant. */
function warnWhenClientRulesHaveNoEffect(env: Env): void {
  if (env.IP_ALLOWLIST?.trim()) return;
  const ignored = ["IP_TRUSTED_CLIENT_IDS", "IP_UNTRUSTED_CLIENT_POLICY"].filter((key) => env[key]?.trim());
  if (ignored.length === 0) return;
  createLogger({ trigger: "pre-authentication" }, env).warn(
    "IP allowlist is off (IP_ALLOWLIST is empty): every sign-in continues",
    { ignoredKeys: ignored },
  );
}
