/**
 * The SIGN_IN audit entry of one successful sign-in, from what the event carries. Post authentication
 * never sees the caller's ClientMetadata from (Admin)InitiateAuth, so no sourceIp is known here.
 */
import type { AuditEntry } from "../lib/audit/record.ts";
import { stringMap, type TriggerEvent } from "../lib/events.ts";

export function signInEntry(event: TriggerEvent, requestId: string): AuditEntry {
  const attributes = stringMap(event.request.userAttributes);
  const { newDeviceUsed } = event.request;
  return {
    event: "SIGN_IN",
    outcome: "success",
    triggerSource: event.triggerSource,
    userPoolId: event.userPoolId,
    clientId: event.callerContext.clientId,
    userName: event.userName,
    sub: attributes.sub,
    email: attributes.email,
    newDeviceUsed: typeof newDeviceUsed === "boolean" ? newDeviceUsed : undefined,
    requestId,
  };
}
