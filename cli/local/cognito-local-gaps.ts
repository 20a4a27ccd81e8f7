/**
 * Where cognito-local's events differ from real Cognito's in a way that changes what a handler does,
 * the local Lambda endpoint aligns the event before the handler sees it. Each rule says which real
 * behaviour it restores; everything else reaches the handlers exactly as cognito-local sends it.
 * (What the pool proxy adds is in pool-proxy.ts; what remains different is in docs/local-pool.md.)
 */
import { isRecord } from "../../triggers/lib/events.ts";

export function alignWithRealCognito(event: unknown): unknown {
  if (!isRecord(event) || !isRecord(event.request)) return event;
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
