/**
 * Pre sign-up: admits an email address only when its domain passes ALLOWED_EMAIL_DOMAINS /
 * BLOCKED_EMAIL_DOMAINS, for self sign-up, AdminCreateUser and a federated first sign-in alike (the
 * latter, under FEDERATED_UNVERIFIED_EMAIL=deny, only when its identity provider verified the address),
 * and with AUTO_CONFIRM confirms allowed self sign-ups with their email verified. Every answer sets all
 * three response flags itself (response-flags.ts). A refusal is counted (SignUpDenied, by reason),
 * audited (SIGN_UP_DENIED) and answered with one message that says nothing about the policy. A refusal
 * for invalid configuration is counted as ConfigRefusals by the runtime.
 *
 * Nothing here loads the AWS SDK: the denial audit (and with it the audit trail) is imported on
 * refusal only, so the allowed path starts about as fast as an empty handler.
 */
import type { Env } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { UserFacingError } from "../lib/errors.ts";
import { stringMap } from "../lib/events.ts";
import { METRIC } from "../lib/metrics.ts";
import type { Services } from "../lib/services.ts";
import { preSignUpConfigSpec } from "./config.ts";
import { judgeEmail, type SignUpDenialReason } from "./domain-policy.ts";
import { refusesUnverifiedFederatedEmail } from "./federated-email.ts";
import { signUpFlags } from "./response-flags.ts";

/** The same words for every refusal, so the answer reveals nothing about the lists. */
export const SIGN_UP_REFUSED_MESSAGE = "Sign-up is not available for this email address";

const config = preSignUpConfigSpec;

export function createHandler(env: Env, services: Services = {}) {
  return defineTrigger({
    trigger: "pre-sign-up",
    config,
    handle: async (event, invocation) => {
      const { config, log, metrics } = invocation;
      const attributes = stringMap(event.request.userAttributes);
      const email = attributes.email;
      const verdict = judgeEmail(email, {
        allowed: config.ALLOWED_EMAIL_DOMAINS,
        blocked: config.BLOCKED_EMAIL_DOMAINS,
      });
      const reason: SignUpDenialReason | undefined = !verdict.allowed
        ? verdict.reason
        : refusesUnverifiedFederatedEmail(event.triggerSource, attributes, config.FEDERATED_UNVERIFIED_EMAIL)
          ? "email-unverified"
          : undefined;
      if (reason !== undefined) {
        log.info("sign-up refused", {
          reason,
          domain: verdict.domain,
          triggerSource: event.triggerSource,
        });
        const { auditEmailDenial } = await import("../lib/audit/email-denial.ts");
        await auditEmailDenial(event, { event: "SIGN_UP_DENIED", reason, email }, invocation);
        // Counted with the answer, so that an invocation is never both a denial and an unexpected error.
        metrics.denied(METRIC.SignUpDenied, reason);
        throw new UserFacingError(SIGN_UP_REFUSED_MESSAGE);
      }
      // A fresh object: nothing the event carried in its response reaches Cognito.
      event.response = { ...signUpFlags(event.triggerSource, config.AUTO_CONFIRM) };
      return event;
    },
    // Refusing everyone for a bad setting is a denial too; audit it when the table itself is known.
    onConfigError: async (event, invocation) => {
      const { auditConfigRefusal } = await import("../lib/audit/email-denial.ts");
      const email = stringMap(event.request.userAttributes).email;
      await auditConfigRefusal(event, { event: "SIGN_UP_DENIED", email }, env, invocation);
    },
  })(env, services);
}
