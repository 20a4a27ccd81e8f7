/**
 * What both custom senders do with one message Cognito hands them, written once:
 *   recipient (looked up within its budget, when the event does not say) → code (decrypted within its
 *   budget) → message (rendered) → send (within its budget)
 * then MessagesSent, or MessagesFailed and a MESSAGE_SEND_FAILED record with the reason (failure.ts),
 * like post confirmation's welcome email: the same audit trail and the same budgets, so that the
 * invocation answers within HANDLER_BUDGET_MS however slow KMS, SES or SNS are.
 *
 * The recipient is checked before the code is decrypted: a message that cannot go anywhere costs no
 * KMS call and never brings the code into memory. A looked-up address is logged no more than one from
 * the event: never.
 *
 * A failure another attempt can cure ends the invocation with the generic error, so that Lambda's
 * asynchronous retry tries again; any other failure returns the event (failure.ts says why). An
 * abandoned call is cancelled when its budget runs out, so that a message reported unsent is not
 * delivered after all; a retry after a send that timed out may still repeat a message SES or SNS
 * accepted at the last moment, which is the better way to be wrong for a one-time code.
 *
 * The code (or temporary password) lives in this module's local variables only, for one invocation:
 * it is never logged, audited, counted, put in an error or kept between invocations. Log lines carry
 * the reason and what identifies the error (loggedError), never a service's own message, which may
 * echo what was sent.
 */
import { eventFacts } from "../audit/record.ts";
import { AuditTrail } from "../audit/trail.ts";
import type { Invocation } from "../define-trigger.ts";
import { GENERIC_USER_MESSAGE, UserFacingError } from "../errors.ts";
import type { TriggerEvent } from "../events.ts";
import { METRIC } from "../metrics.ts";
import type { CodeDecrypter } from "../services.ts";
import { withinBudget } from "../time-budget.ts";
import { CodeDecryptionError } from "./code-decryption-error.ts";
import { EncryptionSdkDecrypter } from "./encryption-sdk-decrypter.ts";
import { isTimeout, isTransient, isTransientAwsError, type MessageFailureReason } from "./failure.ts";

/** The whole invocation's budget, as post confirmation's. */
export const HANDLER_BUDGET_MS = 3_000;
const LOOKUP_BUDGET_MAX_MS = 1_500;
const DECRYPT_BUDGET_MAX_MS = 1_500;
const SEND_BUDGET_MAX_MS = 2_500;
/** Kept back from the look-up, decryption and the send for the MESSAGE_SEND_FAILED record. */
const FAILURE_RECORD_RESERVE_MS = 300;
const MIN_CALL_MS = 100;

/** The settings every sender has (custom-email-sender/config.ts, custom-sms-sender/config.ts). */
export interface SenderConfig {
  CUSTOM_SENDER_KMS_KEY_ARN: string;
  AUDIT_TABLE_NAME: string;
  AUDIT_RETENTION_DAYS: number;
}

export type Recipient = { to: string } | { missing: "no-recipient" | "recipient-invalid" };

/** How to find out where a message goes when the event does not say; rejects when nobody can answer. */
export interface RecipientLookup {
  lookUp(signal: AbortSignal): Promise<Recipient>;
}

/** One channel's part of a delivery. */
export interface Delivery<Message> {
  channel: "email" | "text";
  recipient: Recipient | RecipientLookup;
  /** The language the message is written in, for the log. */
  locale: string;
  /** False only for a message without a code (the account-takeover notification). */
  needsCode: boolean;
  /** The message; `code` is given exactly when `needsCode`. Throws when the template cannot render. */
  compose(code: string | undefined): Message;
  send(to: string, message: Message, signal: AbortSignal): Promise<void>;
}

export async function deliver<Message>(
  event: TriggerEvent,
  invocation: Invocation<SenderConfig>,
  delivery: Delivery<Message>,
): Promise<void> {
  const { config, log, metrics, requestId, services } = invocation;
  const started = performance.now();
  const remaining = () => HANDLER_BUDGET_MS - (performance.now() - started);
  const facts = { channel: delivery.channel, triggerSource: event.triggerSource, locale: delivery.locale };

  const reason = await attempt(event, invocation, delivery, remaining);
  if (reason === undefined) {
    metrics.count(METRIC.MessagesSent);
    log.info("message sent", facts);
    return;
  }
  metrics.count(METRIC.MessagesFailed);
  await new AuditTrail({
    tableName: config.AUDIT_TABLE_NAME,
    retentionDays: config.AUDIT_RETENTION_DAYS,
    log,
    metrics,
    ...(services.auditStore ? { store: services.auditStore } : {}),
    ...(services.now ? { now: services.now } : {}),
    budgetMs: Math.max(MIN_CALL_MS, remaining()),
  }).record({ ...eventFacts(event, requestId), event: "MESSAGE_SEND_FAILED", outcome: "failure", reason });
  if (isTransient(reason)) {
    log.warn("failing the invocation so that Lambda retries it", { reason });
    // Nobody reads this message (Cognito does not wait for a sender); the error is what asks for the retry.
    throw new UserFacingError(GENERIC_USER_MESSAGE);
  }
}

/** Sends the message; the reason it was not sent otherwise (already logged). */
async function attempt<Message>(
  event: TriggerEvent,
  { config, log, services }: Invocation<SenderConfig>,
  delivery: Delivery<Message>,
  remaining: () => number,
): Promise<MessageFailureReason | undefined> {
  const facts = { channel: delivery.channel, triggerSource: event.triggerSource };
  const failed = (reason: MessageFailureReason, message: string, error?: unknown) => {
    log.error(message, { ...facts, reason, ...(error === undefined ? {} : { error: loggedError(error) }) });
    return reason;
  };

  let recipient: Recipient;
  const lookedUp = "lookUp" in delivery.recipient;
  if ("lookUp" in delivery.recipient) {
    const { lookUp } = delivery.recipient;
    const budgetMs = Math.min(LOOKUP_BUDGET_MAX_MS, remaining() - FAILURE_RECORD_RESERVE_MS);
    try {
      const cancel = new AbortController();
      recipient = await withinBudget(() => lookUp(cancel.signal), budgetMs, "recipient look-up", cancel);
    } catch (error) {
      return failed(lookupReason(error), "message not sent: the recipient could not be looked up", error);
    }
  } else {
    recipient = delivery.recipient;
  }
  if ("missing" in recipient) {
    const what = delivery.channel === "email" ? "email address" : "phone number";
    return failed(
      recipient.missing,
      recipient.missing === "recipient-invalid"
        ? `message not sent: the user's ${what} cannot receive it`
        : lookedUp
          ? `message not sent: the pool holds no verified ${what} for the user`
          : `message not sent: the user has no ${what}`,
    );
  }
  const { to } = recipient;

  let code: string | undefined;
  if (delivery.needsCode) {
    const ciphertext = (event.request as { code?: unknown }).code;
    if (typeof ciphertext !== "string" || ciphertext === "") {
      return failed("code-missing", "message not sent: the event carries no code");
    }
    const budgetMs = Math.min(DECRYPT_BUDGET_MAX_MS, remaining() - FAILURE_RECORD_RESERVE_MS);
    try {
      const decrypter = services.codeDecrypter ?? defaultDecrypter();
      const cancel = new AbortController();
      code = await withinBudget(
        () => decrypter.decrypt(config.CUSTOM_SENDER_KMS_KEY_ARN, ciphertext, cancel.signal),
        budgetMs,
        "code decryption",
        cancel,
      );
    } catch (error) {
      return failed(decryptionReason(error), "message not sent: the code could not be decrypted", error);
    }
  }

  let message: Message;
  try {
    message = delivery.compose(code);
  } catch (error) {
    return failed("template-failed", "message not sent: the template could not be rendered", error);
  }

  const budgetMs = Math.min(SEND_BUDGET_MAX_MS, remaining() - FAILURE_RECORD_RESERVE_MS);
  if (budgetMs < MIN_CALL_MS) return failed("no-time-left", "message not sent: no time left to send it");
  try {
    const cancel = new AbortController();
    await withinBudget(
      () => delivery.send(to, message, cancel.signal),
      budgetMs,
      `${delivery.channel} send`,
      cancel,
    );
    return undefined;
  } catch (error) {
    const reason = isTimeout(error)
      ? "send-timeout"
      : isTransientAwsError(error)
        ? "send-failed"
        : "send-refused";
    return failed(reason, "message not sent", error);
  }
}

/** A look-up's error judged like any AWS call's: the directory's own refusals are permanent. */
function lookupReason(error: unknown): MessageFailureReason {
  if (isTimeout(error)) return "lookup-timeout";
  return isTransientAwsError(error) ? "lookup-failed" : "lookup-refused";
}

function decryptionReason(error: unknown): MessageFailureReason {
  if (error instanceof CodeDecryptionError) {
    switch (error.failure) {
      case "undecryptable":
        return "code-undecryptable";
      case "refused":
        return "decrypt-refused";
      case "unavailable":
        return "decrypt-failed";
      case "timeout":
        return "decrypt-timeout";
    }
  }
  // Our budget, or a decrypter of another kind (tests, replay): judged like any AWS call's error.
  if (isTimeout(error)) return "decrypt-timeout";
  return isTransientAwsError(error) ? "decrypt-failed" : "code-undecryptable";
}

/**
 * What the log says of an error: its name and, for a service's error, the HTTP status and network code.
 * The message only of the errors this suite writes itself (they quote nothing from the event): a
 * service's message may echo the request, which holds the code or the one-click links.
 */
function loggedError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: "Error" };
  const { $metadata, code } = error as { $metadata?: { httpStatusCode?: number }; code?: unknown };
  return {
    name: error.name,
    ...(OWN_ERRORS.has(error.name) ? { message: error.message } : {}),
    ...($metadata?.httpStatusCode === undefined ? {} : { status: $metadata.httpStatusCode }),
    ...(typeof code === "string" ? { code } : {}),
  };
}

const OWN_ERRORS = new Set([
  "CodeDecryptionError",
  "TemplateError",
  "BudgetExceededError",
  "InvalidUserPoolIdError",
]);

let encryptionSdkDecrypter: CodeDecrypter | undefined;

/**
 * The Encryption SDK with the bounded KMS client, imported with the handler: nearly every invocation
 * decrypts a code, and loading the SDK on first use instead saved those nothing (about 15 ms more in
 * all, in a bundle measured both ways); it would spare only the rare account-takeover notification.
 */
function defaultDecrypter(): CodeDecrypter {
  encryptionSdkDecrypter ??= new EncryptionSdkDecrypter();
  return encryptionSdkDecrypter;
}
