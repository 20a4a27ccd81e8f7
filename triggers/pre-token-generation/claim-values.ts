/**
 * Turns configured claim sources into the values of one event. A claim whose source has no value here
 * (a user without that attribute, a machine token with no user at all, an emulator's null) is left out
 * rather than sent empty, null or as a stand-in such as "undefined": APIs must be able to tell
 * "absent" from a value, and Cognito refuses a null claim value.
 */
import type { StringMap } from "../lib/events.ts";
import type { ClaimSource, JsonValue, TokenClaims } from "./claims-config.ts";

export interface ClaimContext {
  /** Already narrowed to string values (stringMap): a null or non-string attribute is not there. */
  userAttributes: StringMap;
  /** callerContext.clientId exactly as the event carried it: anything, in a malformed event. */
  clientId: unknown;
}

/** Cognito's ClientIdType: 1 to 128 word characters or "+". Anything else is no client id. */
const CLIENT_ID = /^[\w+]{1,128}$/;

export function resolveClaims(claims: TokenClaims, context: ClaimContext): Record<string, JsonValue> {
  const entries: [string, JsonValue][] = [];
  for (const [claim, source] of claims.add) {
    const value = sourceValue(source, context);
    if (value !== undefined) entries.push([claim, value]);
  }
  // fromEntries defines own properties, so even a claim named "__proto__" stays a plain claim.
  return Object.fromEntries(entries);
}

/** The claim's value, or undefined when the event has none for it. */
function sourceValue(source: ClaimSource, context: ClaimContext): JsonValue | undefined {
  switch (source.kind) {
    case "value":
      return source.value;
    case "attribute": {
      const value = Object.hasOwn(context.userAttributes, source.name)
        ? context.userAttributes[source.name]
        : undefined;
      return value === "" ? undefined : value;
    }
    case "clientId":
      // The claim (`aud` above all) must be the caller's client id or nothing: never a number, an
      // object or null that a malformed event put there.
      return typeof context.clientId === "string" && CLIENT_ID.test(context.clientId)
        ? context.clientId
        : undefined;
  }
}
