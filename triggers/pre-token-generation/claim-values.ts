/**
 * Turns configured claim sources into the values of one event. A claim whose source has no value here
 * (a user without that attribute, a machine token with no user at all) is left out rather than sent
 * empty, so that APIs can tell "absent" from "blank".
 */
import type { StringMap } from "../lib/events.ts";
import type { ClaimSource, JsonValue, TokenClaims } from "./claims-config.ts";

export interface ClaimContext {
  userAttributes: StringMap;
  clientId: string | undefined;
}

export function resolveClaims(claims: TokenClaims, context: ClaimContext): Record<string, JsonValue> {
  const entries: [string, JsonValue][] = [];
  for (const [claim, source] of claims.add) {
    const value = sourceValue(source, context);
    if (value !== undefined) entries.push([claim, value]);
  }
  // fromEntries defines own properties, so even a claim named "__proto__" stays a plain claim.
  return Object.fromEntries(entries);
}

function sourceValue(source: ClaimSource, context: ClaimContext): JsonValue | undefined {
  switch (source.kind) {
    case "value":
      return source.value;
    case "attribute":
      return Object.hasOwn(context.userAttributes, source.name)
        ? context.userAttributes[source.name]
        : undefined;
    case "clientId":
      return context.clientId === "" ? undefined : context.clientId;
  }
}
