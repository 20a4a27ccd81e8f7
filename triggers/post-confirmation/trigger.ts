/**
 * Post confirmation: one welcome email per user, however often Cognito retries, and never an error
 * for the user, who is already confirmed when this runs.
 *
 * On PostConfirmation_ConfirmSignUp (a confirmed sign-up, or a federated user's first sign-in):
 *  1. Claim: write SIGN_UP_CONFIRMED with `once: true`, a conditional put on a key fixed per user.
 *     "duplicate" means an earlier invocation claimed it (a retry): nothing more is done.
 *  2. Send the welcome email through SES when WELCOME_EMAIL_FROM is set and the user's address is
 *     proven (proven-address.ts: verified, and not by AUTO_CONFIRM), otherwise the pool could be made
 *     to mail any address someone types in. A skip is logged with its reason.
 *  3. A failed send is logged and recorded as WELCOME_EMAIL_FAILED; the event is returned anyway.
 * Sends and failed sends are counted (WelcomeEmailsSent, WelcomeEmailsFailed). An error that escapes
 * all this is logged only: UnexpectedErrors counts invocations answered with the generic message, and
 * this one returns the event.
 * PostConfirmation_ConfirmForgotPassword is a password reset, not a sign-up: nothing is done.
 *
 * When the claim itself cannot be written (the audit trail logs it as audit_fallback), the email is
 * sent anyway. A duplicate then needs a Cognito retry, and Cognito retries only an invocation that
 * fails or outlasts 5 s, which this one never does (every step is bounded, 3 s in all). Skipping
 * would instead lose the welcome email of every user who confirms while the table is unavailable,
 * silently and for good. So: at most once while the audit table works, at least once while it does not.
 */

import { defaultAuditStore } from "../lib/audit/dynamo-store.ts";
import { eventFacts } from "../lib/audit/record.ts";
import { AuditTrail } from "../lib/audit/trail.ts";
import type { ConfigOf } from "../lib/config.ts";
import { defineTrigger, type Invocation } from "../lib/define-trigger.ts";
import { stringMap, type TriggerEvent } from "../lib/events.ts";
import { METRIC } from "../lib/metrics.ts";
import type { Mailer } from "../lib/services.ts";
import { SesMailer } from "../lib/ses-mailer.ts";
import { displayName } from "../lib/text/display-name.ts";
import { resolveLocale } from "../lib/text/locale.ts";
import { withinBudget } from "../lib/time-budget.ts";
import { postConfirmationConfigSpec } from "./config.ts";
import { provenAddress } from "./proven-address.ts";
import { WELCOME_TEMPLATES } from "./templates/index.ts";
import { renderWelcome } from "./welcome-email.ts";

/** The whole invocation's budget: well inside Cognito's 5 s, with room for a cold start. */
const HANDLER_BUDGET_MS = 3_000;
const CLAIM_BUDGET_MS = 1_500;
const SEND_BUDGET_MAX_MS = 2_500;
/** Kept back from the send for the WELCOME_EMAIL_FAILED record. */
const FAILURE_RECORD_RESERVE_MS = 300;
const MIN_CALL_MS = 100;

/** Reasons of WELCOME_EMAIL_FAILED records. */
export type WelcomeFailureReason = "template-failed" | "send-timeout" | "send-failed" | "no-time-left";

const config = postConfirmationConfigSpec;
type Config = ConfigOf<typeof config>;

export const createHandler = defineTrigger({
  trigger: "post-confirmation",
  config,
  handle: async (event, invocation) => {
    if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") {
      invocation.log.debug("not a sign-up: no welcome email", { triggerSource: event.triggerSource });
      return event;
    }
    try {
      await welcomeOnce(event, invocation);
    } catch (error) {
      // Nothing above should throw; if it does, the confirmed user must still not see an error.
      invocation.log.error("post confirmation failed; the user stays confirmed", { error });
    }
    return event;
  },
});

async function welcomeOnce(
  event: TriggerEvent,
  { config, log, metrics, requestId, services }: Invocation<Config>,
) {
  const started = performance.now();
  const remaining = () => HANDLER_BUDGET_MS - (performance.now() - started);
  const attributes = stringMap(event.request.userAttributes);
  const trail = (budgetMs: number) =>
    new AuditTrail({
      tableName: config.AUDIT_TABLE_NAME,
      retentionDays: config.AUDIT_RETENTION_DAYS,
      log,
      metrics,
      store: services.auditStore ?? defaultAuditStore(),
      now: services.now,
      budgetMs,
    });
  const about = eventFacts(event, requestId);

  const claim = await trail(CLAIM_BUDGET_MS).record({
    ...about,
    event: "SIGN_UP_CONFIRMED",
    outcome: "success",
    once: true,
  });
  if (claim === "duplicate") {
    log.info("welcome email skipped: already claimed by an earlier invocation");
    return;
  }
  if (!config.WELCOME_EMAIL_FROM) {
    log.debug("welcome email disabled: WELCOME_EMAIL_FROM is not set");
    return;
  }
  const address = provenAddress(attributes, config.AUTO_CONFIRM);
  if ("unproven" in address) {
    log.info(
      address.unproven === "email-auto-verified"
        ? "welcome email skipped: the address was verified by AUTO_CONFIRM, not by its owner"
        : "welcome email skipped: the user has no verified email address",
      { reason: address.unproven },
    );
    return;
  }
  const { to } = address;
  if (claim === "failed") log.warn("welcome email sent without a claim: the claim could not be written");

  const locale = resolveLocale(attributes.locale, WELCOME_TEMPLATES, config.DEFAULT_LOCALE);
  const reason = await send(
    { from: config.WELCOME_EMAIL_FROM, to, locale, appName: config.APP_NAME, name: displayName(attributes) },
    Math.min(SEND_BUDGET_MAX_MS, remaining() - FAILURE_RECORD_RESERVE_MS),
    { log, mailer: services.mailer },
  );
  if (reason === undefined) {
    log.info("welcome email sent", { locale });
    metrics.count(METRIC.WelcomeEmailsSent);
    return;
  }
  metrics.count(METRIC.WelcomeEmailsFailed);
  await trail(Math.max(MIN_CALL_MS, remaining())).record({
    ...about,
    event: "WELCOME_EMAIL_FAILED",
    outcome: "failure",
    reason,
  });
}

async function send(
  message: Parameters<typeof renderWelcome>[0] & { from: string; to: string },
  budgetMs: number,
  { log, mailer }: { log: Invocation<Config>["log"]; mailer: Mailer | undefined },
): Promise<WelcomeFailureReason | undefined> {
  let email: ReturnType<typeof renderWelcome>;
  try {
    email = renderWelcome(message);
  } catch (error) {
    log.error("welcome email not sent: the template could not be rendered", { error });
    return "template-failed";
  }
  if (budgetMs < MIN_CALL_MS) {
    log.error("welcome email not sent: no time left after the claim", { budgetMs: Math.round(budgetMs) });
    return "no-time-left";
  }
  try {
    // Cancelled when the budget runs out: a mail that went out after all would contradict the
    // "not sent" this handler then reports.
    const cancel = new AbortController();
    await withinBudget(
      () => (mailer ?? defaultMailer()).send({ from: message.from, to: message.to, ...email }, cancel.signal),
      budgetMs,
      "welcome email",
      cancel,
    );
    return undefined;
  } catch (error) {
    log.error("welcome email not sent", { error, locale: message.locale });
    return isTimeout(error) ? "send-timeout" : "send-failed";
  }
}

/**
 * Whether the send ran out of time. The SDK also names a reset or broken connection "TimeoutError"
 * (so that it is retried); its code tells it apart, and reviewers should not chase latency for it.
 */
function isTimeout(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  if (code === "ECONNRESET" || code === "EPIPE") return false;
  return name === "BudgetExceededError" || name === "TimeoutError" || name === "AbortError";
}

let sesMailer: Mailer | undefined;

/**
 * SES, imported with the handler: most confirmations are sign-ups, which claim and send, so loading
 * the clients up front costs less than loading them one lazy import after another.
 */
function defaultMailer(): Mailer {
  sesMailer ??= new SesMailer();
  return sesMailer;
}
