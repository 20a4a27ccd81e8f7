/**
 * The two response shapes, built fresh from the configuration and the request (never from what the
 * event's response held). Empty parts are left out, so a response carries exactly what the
 * configuration changes:
 *   V1:    claimsOverrideDetails { claimsToAddOrOverride, claimsToSuppress, groupOverrideDetails }
 *   V2/V3: claimsAndScopeOverrideDetails { idTokenGeneration, accessTokenGeneration, groupOverrideDetails }
 */
import type { ClaimsAndScopeOverrideDetails, ClaimsOverrideDetails } from "../lib/cognito-event-types.ts";
import { type StringMap, stringMap, type TriggerEvent } from "../lib/events.ts";
import { type ClaimContext, resolveClaims } from "./claim-values.ts";
import type { ClaimsConfig } from "./claims-config.ts";
import { groupOverride, requestGroups, scopesForGroups } from "./groups.ts";

export interface V1Overrides {
  details: ClaimsOverrideDetails | undefined;
  /** Configured changes a V1 event cannot carry (they need the V2_0 or V3_0 trigger version). */
  notApplied: string[];
}

export function v1Overrides(event: TriggerEvent, config: ClaimsConfig): V1Overrides {
  const notApplied: string[] = [];
  // V1 takes string values only; JSON values (allowed by idToken.jsonValues) wait for a V2 pool.
  const resolved = Object.entries(resolveClaims(config.idToken, claimContext(event)));
  const claims = Object.fromEntries(resolved.filter(([, value]) => typeof value === "string")) as StringMap;
  for (const [claim, value] of resolved) {
    if (typeof value !== "string") notApplied.push(`idToken.add.${claim} (a JSON value)`);
  }
  if (config.accessToken.add.length > 0 || config.accessToken.suppress.length > 0) {
    notApplied.push("accessToken");
  }
  if (config.groupScopes.size > 0) notApplied.push("groupScopes");

  const details = compact({
    claimsToAddOrOverride: nonEmptyObject(claims),
    claimsToSuppress: nonEmptyList(config.idToken.suppress),
    groupOverrideDetails: groupOverride(requestGroups(event.request), config.keepGroups),
  });
  return { details, notApplied };
}

export function v2Overrides(
  event: TriggerEvent,
  config: ClaimsConfig,
): ClaimsAndScopeOverrideDetails | undefined {
  const context = claimContext(event);
  // A client-credentials (M2M) token has no user: no ID token, no groups, no group scopes.
  const machine = event.triggerSource === "TokenGeneration_ClientCredentials";
  const groups = machine ? undefined : requestGroups(event.request);
  const granted = stringList(event.request.scopes);

  const idTokenGeneration = machine
    ? undefined
    : compact({
        claimsToAddOrOverride: nonEmptyObject(resolveClaims(config.idToken, context)),
        claimsToSuppress: nonEmptyList(config.idToken.suppress),
      });
  const accessTokenGeneration = compact({
    claimsToAddOrOverride: nonEmptyObject(resolveClaims(config.accessToken, context)),
    claimsToSuppress: nonEmptyList(config.accessToken.suppress),
    scopesToAdd: nonEmptyList(scopesForGroups(groups?.groupsToOverride ?? [], config.groupScopes, granted)),
  });
  return compact({
    idTokenGeneration,
    accessTokenGeneration,
    groupOverrideDetails: machine ? undefined : groupOverride(groups, config.keepGroups),
  });
}

function claimContext(event: TriggerEvent): ClaimContext {
  return {
    userAttributes: stringMap(event.request.userAttributes),
    clientId: event.callerContext.clientId,
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function nonEmptyList<T>(list: readonly T[]): T[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

function nonEmptyObject<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/** The object without its undefined members, or undefined when nothing is left. */
function compact<Parts extends object>(parts: Parts): Parts | undefined {
  const entries = Object.entries(parts).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as Parts) : undefined;
}
