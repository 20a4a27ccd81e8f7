/**
 * Why a custom sender did not deliver a message (the `reason` of its MESSAGE_SEND_FAILED record), and
 * which of those reasons are worth another attempt.
 *
 * Cognito invokes the senders asynchronously, so a sender's error reaches no user: Lambda retries the
 * invocation (once, about a minute later, as the construct configures it) and then drops it. A failure that another
 * attempt can cure (the service throttled, timed out or failed on its side) is therefore answered with
 * an error, so that the retry comes. One that will fail the same way every time (no address, a code
 * that does not decrypt, a template that does not render, a recipient the service refuses) is answered
 * normally: a retry would only repeat it, minutes later, and record it twice.
 */
export const MESSAGE_FAILURE_REASONS = {
  /** The user has no email address / phone number (for a looked-up address: none verified, or no such user). */
  "no-recipient": "permanent",
  /** The address or number is not one a message can go to (not an address, not E.164). */
  "recipient-invalid": "permanent",
  /** The pool could not say where the message goes (throttling, a 5xx, the network). */
  "lookup-failed": "transient",
  "lookup-timeout": "transient",
  /** The pool refused the look-up (no permission, no such pool, a user name or pool id it rejects). */
  "lookup-refused": "permanent",
  /** The event brought no code for a message that must carry one. */
  "code-missing": "permanent",
  /** The code is not an Encryption SDK message for the configured key, or it was altered. */
  "code-undecryptable": "permanent",
  /** KMS refused to decrypt (no permission, key disabled or pending deletion). */
  "decrypt-refused": "permanent",
  /** KMS could not answer (throttling, a 5xx, the network). */
  "decrypt-failed": "transient",
  "decrypt-timeout": "transient",
  /** The template could not be rendered within its rules. */
  "template-failed": "permanent",
  /** The service refused this message for good (rejected, unverified sender, opted-out number). */
  "send-refused": "permanent",
  /** The service could not take it now (throttling, a 5xx, the network). */
  "send-failed": "transient",
  "send-timeout": "transient",
  /** The budget was spent before the send could start. */
  "no-time-left": "transient",
} as const;

export type MessageFailureReason = keyof typeof MESSAGE_FAILURE_REASONS;

export function isTransient(reason: MessageFailureReason): boolean {
  return MESSAGE_FAILURE_REASONS[reason] === "transient";
}

/** Error names AWS services give throttling; they come with a 400 status, so the status alone misses them. */
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
]);

/** Node's network error codes: the request never got an answer. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/** Local timeouts and aborts: ours (time-budget.ts) and the bounded client's (bounded-client-config.ts). */
const TIMEOUTS = new Set(["BudgetExceededError", "TimeoutError", "AbortError", "RequestTimeout"]);

/**
 * Whether an AWS call's error is worth another attempt: throttling, a server-side (5xx) error, or no
 * answer at all. Anything the service answered with a 4xx of its own is the request's fault.
 */
export function isTransientAwsError(error: unknown): boolean {
  const { name, code, $metadata, $retryable } = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  if ($retryable) return true;
  if (name !== undefined && (THROTTLING.has(name) || TIMEOUTS.has(name))) return true;
  if (code !== undefined && NETWORK.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  // No status and none of the above: the client refused the request itself (it would again).
  if (status === undefined) return false;
  return status >= 500 || status === 429;
}

/** A connection the other side broke, which the SDK also names "TimeoutError" (so that it is retried). */
const BROKEN = new Set(["ECONNRESET", "EPIPE"]);

/** Whether the call ran out of time (ours, or the client's), as opposed to failing. */
export function isTimeout(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (code !== undefined && BROKEN.has(code)) return false;
  return name !== undefined && TIMEOUTS.has(name);
}
