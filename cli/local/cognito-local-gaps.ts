/**
 * Where cognito-local's events differ from real Cognito's in a way that changes what a handler does,
 * the local Lambda endpoint aligns the event before the handler sees it. Each rule says which real
 * behaviour it restores; everything else reaches the handlers exactly as cognito-local sends it.
 * (What the pool proxy adds is in pool-proxy.ts; what remains different is in docs/local-pool.md.)
 */
import { isRecord } from "../../triggers/lib/events.ts";
import { type PoolKmsKey, sealAsCognito } from "./sender-code.ts";

export async function alignWithRealCognito(
  event: unknown,
  options: {
    /** The pool's KMS key, when a custom sender is attached. */
    kms?: PoolKmsKey;
  } = {},
): Promise<unknown> {
  if (!isRecord(event) || !isRecord(event.request)) return event;
  // Cognito wraps a custom sender's data key once, with the pool's key; cognito-local wraps it twice,
  // which the senders refuse (sender-code.ts).
  if (
    options.kms &&
    typeof event.triggerSource === "string" &&
    event.triggerSource.startsWith("CustomEmailSender_") &&
    typeof event.request.code === "string"
  ) {
    return {
      ...event,
      request: { ...event.request, code: await sealAsCognito(event.request.code, options.kms) },
    };
  }
  const attributes = event.request.userAttributes;
  // Real Cognito confirms a sign-up with the code it sent to the email address (the pool auto-verifies
  // email), so that address is verified when Post confirmation runs; cognito-local never sets the flag.
  if (
    event.triggerSource === "PostConfirmation_ConfirmSignUp" &&
    isRecord(attributes) &&
    typeof attributes.email === "string" &&
    attributes.email_verified === undefined
  ) {
    return {
      ...event,
      request: { ...event.request, userAttributes: { ...attributes, email_verified: "true" } },
    };
  }
  return event;
}
