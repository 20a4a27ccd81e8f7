/**
 * The SIGN_IN audit entry of one successful sign-in, from what the event carries. Post authentication
 * never sees the caller's ClientMetadata from (Admin)InitiateAuth, so no sourceIp is known here.
 */
import { type AuditEntry, eventFacts } from "../lib/audit/record.ts";
import type { TriggerEvent } from "../lib/events.ts";

export function signInEntry(event: TriggerEvent, requestId: string): AuditEntry {
  const { newDeviceUsed } = event.request;
  return {
    event: "SIGN_IN",
    outcome: "success",
    ...eventFacts(event, requestId),
    newDeviceUsed: typeof newDeviceUsed === "boolean" ? newDeviceUsed : undefined,
  };
}
