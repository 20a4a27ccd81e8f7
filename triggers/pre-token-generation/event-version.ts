/**
 * Which response shape an event takes. V1_0 events are answered with `claimsOverrideDetails` (ID token
 * only); V2_0 and V3_0 events with `claimsAndScopeOverrideDetails` (ID and access tokens, scopes). The
 * pool's LambdaVersion is not in the event, so it is read from the event itself: `version` first
 * ("1", "2", "3"; some typings make it a number), then, for emulators that send other versions, the
 * V2-only `request.scopes` or the V2 response key Cognito pre-fills.
 */
import { isRecord, type TriggerEvent } from "../lib/events.ts";

export type ResponseShape = "v1" | "v2";

export function responseShape(event: TriggerEvent): ResponseShape {
  // Machine-to-machine tokens exist only with V3_0.
  if (event.triggerSource === "TokenGeneration_ClientCredentials") return "v2";
  const version = String(event.version ?? "").trim();
  if (version === "1") return "v1";
  if (version === "2" || version === "3") return "v2";
  if (Array.isArray(event.request.scopes)) return "v2";
  if (isRecord(event.response) && "claimsAndScopeOverrideDetails" in event.response) return "v2";
  return "v1";
}
