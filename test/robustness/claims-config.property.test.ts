/**
 * CLAIMS_CONFIG and the responses it produces, on random input (test/pre-token-generation has the
 * examples): any JSON is either a configuration or a refusal that names where it is wrong, never a
 * crash; a reserved claim is refused wherever it is put; and whatever configuration is accepted, for
 * any event, Cognito gets a response it accepts: no reserved claim, V1 values strings only, valid
 * scopes not already granted, claims from attributes only when the user has them (even attributes
 * named like Object's own properties), and nothing JSON would lose on the way to Cognito.
 * For a longer hunt: FUZZ_RUNS=5000 npx vitest run <this file>.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClaimsConfig } from "../../triggers/pre-token-generation/claims-config.ts";
import { claimProblem } from "../../triggers/pre-token-generation/reserved-claims.ts";
import { createHandler } from "../../triggers/pre-token-generation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";

type Json = Record<string, unknown>;

/** What Cognito reserves (docs/tokens-and-migration.md, "CLAIMS_CONFIG"): written out here, not imported from the code. */
const RESERVED = [
  "sub",
  "cognito:username",
  "identities",
  "client_id",
  "event_id",
  "device_key",
  "version",
  "username",
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "exp",
  "iat",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "token_use",
];
const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const LOCATIONS = /^(the configuration|keepGroups|idToken|accessToken|groupScopes)\b/;

// Objects are built with Object.fromEntries, so "__proto__" is an own key, as JSON.parse makes it.
const claimName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_:]{0,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, "custom:tenant_id", "app", "tenant") },
);
const attributeName = fc.oneof(
  fc.constantFrom("custom:tenant_id", "email", "locale", ...PROTOTYPE_NAMES),
  fc.stringMatching(/^[a-z][a-z:_]{0,10}$/),
);
const source = (jsonValues: boolean) =>
  fc.oneof(
    fc.record({ value: jsonValues ? fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null) : fc.string() }),
    fc.record({ fromAttribute: attributeName }),
    fc.constant({ fromClientId: true }),
  );
const claims = (jsonValues: boolean) =>
  fc
    .uniqueArray(fc.tuple(claimName, source(jsonValues)), { selector: ([name]) => name, maxLength: 5 })
    .map((entries) => Object.fromEntries(entries));
const scope = fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?$/);

/** Configurations a careful operator might write; the parser decides which are valid. */
const plausibleConfig = fc.boolean().chain((jsonValues) =>
  fc.record(
    {
      keepGroups: fc.boolean(),
      idToken: fc.record(
        {
          add: claims(jsonValues),
          suppress: fc.array(claimName, { maxLength: 3 }),
          jsonValues: fc.constant(jsonValues),
        },
        { requiredKeys: [] },
      ),
      accessToken: fc.record(
        { add: claims(true), suppress: fc.array(claimName, { maxLength: 3 }) },
        { requiredKeys: [] },
      ),
      groupScopes: fc
        .uniqueArray(
          fc.tuple(fc.constantFrom("editors", "admins", "__proto__", "x"), fc.array(scope, { maxLength: 3 })),
          {
            selector: ([g]) => g,
          },
        )
        .map((entries) => Object.fromEntries(entries)),
    },
    { requiredKeys: [] },
  ),
);

/** Only a config that passed parseClaimsConfig, and is then JSON as the environment holds it. */
const acceptedConfig = plausibleConfig.filter((config) => {
  try {
    parseClaimsConfig(JSON.parse(JSON.stringify(config)));
    return true;
  } catch {
    return false;
  }
});

const attributes = fc
  .uniqueArray(fc.tuple(attributeName, fc.string({ maxLength: 20 })), { selector: ([k]) => k, maxLength: 6 })
  .map((entries) => Object.fromEntries(entries));

const tokenEvent = fc.record({
  version: fc.constantFrom("1", "2", "3"),
  triggerSource: fc.constantFrom(
    "TokenGeneration_Authentication",
    "TokenGeneration_HostedAuth",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
  ),
  attributes,
  groups: fc.array(fc.constantFrom("editors", "admins", "__proto__", "readers"), { maxLength: 3 }),
  granted: fc.array(scope, { maxLength: 2 }),
  clientId: fc.oneof(fc.constant("6a3l0kq7h2b1vgd9f8e0s4r2tn"), fc.constant("")),
});

type GeneratedEvent = typeof tokenEvent extends fc.Arbitrary<infer T> ? T : never;

function eventOf(e: GeneratedEvent): Json {
  const v2 = e.version !== "1";
  const text = JSON.stringify({
    version: e.version,
    triggerSource: e.triggerSource,
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName: "user-1",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: e.clientId },
    request: {
      userAttributes: e.attributes,
      groupConfiguration: { groupsToOverride: e.groups, iamRolesToOverride: [], preferredRole: null },
      ...(v2 ? { scopes: e.granted } : {}),
    },
    response: v2 ? { claimsAndScopeOverrideDetails: null } : { claimsOverrideDetails: null },
  });
  return JSON.parse(text) as Json;
}

/** Every claim name in a token part, with its value. */
function claimsOf(part: unknown): [string, unknown][] {
  const added = (part as { claimsToAddOrOverride?: Json } | undefined)?.claimsToAddOrOverride;
  return added ? Object.entries(added) : [];
}

describe("CLAIMS_CONFIG (properties)", () => {
  it("reads any JSON as a configuration or refuses it with a message naming where, never a crash", () => {
    const nearlyValid = plausibleConfig.chain((config) =>
      fc.tuple(
        fc.constant(config),
        fc.constantFrom("idToken", "accessToken", "groupScopes", "keepGroups", "x"),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          nearlyValid.map(([c, k, v]) => ({ ...c, [k]: v })),
        ),
        (raw) => {
          try {
            parseClaimsConfig(JSON.parse(JSON.stringify(raw ?? null)));
          } catch (error) {
            expect((error as Error).name).toBe("Error");
            expect((error as Error).message).toMatch(LOCATIONS);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("refuses a reserved claim in any token, added with any source, naming it", () => {
    const reserved = fc.oneof(
      fc.constantFrom(...RESERVED),
      fc
        .string({ minLength: 1, maxLength: 10 })
        .map((s) => `cognito:${s}`)
        .filter((c) => !["cognito:groups", "cognito:roles", "cognito:preferred_role"].includes(c)),
    );
    fc.assert(
      fc.property(reserved, fc.constantFrom("idToken", "accessToken"), source(true), (claim, token, how) => {
        const config = {
          [token]: {
            add: Object.fromEntries([[claim, how]]),
            ...(token === "idToken" ? { jsonValues: true } : {}),
          },
        };
        expect(() => parseClaimsConfig(JSON.parse(JSON.stringify(config)))).toThrow(`"${claim}"`);
      }),
    );
  });

  it("for any accepted configuration and any event, answers what Cognito accepts", async () => {
    await fc.assert(
      fc.asyncProperty(acceptedConfig, tokenEvent, async (config, generated) => {
        const logs = captureLogs();
        let result: Json;
        try {
          const handler = createHandler({ CLAIMS_CONFIG: JSON.stringify(config) });
          result = (await handler(eventOf(generated))) as Json;
        } finally {
          logs.restore();
        }
        const response = result.response as Json;
        // Nothing JSON would drop or change on the way back to Cognito.
        expect(JSON.parse(JSON.stringify(response))).toEqual(response);
        const attrs = generated.attributes as Record<string, string>;
        const sources = {
          idToken: new Map(Object.entries((config.idToken?.add ?? {}) as Json)),
          accessToken: new Map(Object.entries((config.accessToken?.add ?? {}) as Json)),
        };
        const checkClaims = (part: unknown, token: "idToken" | "accessToken", stringsOnly: boolean) => {
          for (const [claim, value] of claimsOf(part)) {
            expect(claimProblem(claim, token, "add"), claim).toBeUndefined();
            if (stringsOnly) expect(typeof value).toBe("string");
            const from = (sources[token].get(claim) as { fromAttribute?: string } | undefined)?.fromAttribute;
            if (from !== undefined) {
              expect(Object.hasOwn(attrs, from)).toBe(true);
              expect(value).toBe(attrs[from]);
            }
          }
          const suppressed = (part as { claimsToSuppress?: string[] } | undefined)?.claimsToSuppress ?? [];
          for (const claim of suppressed) expect(claimProblem(claim, token, "suppress")).toBeUndefined();
        };

        const v1 = response.claimsOverrideDetails as Json | null | undefined;
        const v2 = response.claimsAndScopeOverrideDetails as Json | null | undefined;
        if (generated.version === "1" && generated.triggerSource !== "TokenGeneration_ClientCredentials") {
          expect(v2 ?? undefined).toBeUndefined();
          checkClaims(v1, "idToken", true);
        } else {
          expect(v1 ?? undefined).toBeUndefined();
          checkClaims(v2?.idTokenGeneration, "idToken", !config.idToken?.jsonValues);
          checkClaims(v2?.accessTokenGeneration, "accessToken", false);
          const scopes =
            ((v2?.accessTokenGeneration as Json | undefined)?.scopesToAdd as string[] | undefined) ?? [];
          expect(new Set(scopes).size).toBe(scopes.length);
          for (const s of scopes) {
            expect(s).toMatch(SCOPE_TOKEN);
            expect(generated.granted).not.toContain(s);
          }
          if (generated.triggerSource === "TokenGeneration_ClientCredentials") {
            expect(v2?.idTokenGeneration).toBeUndefined();
            expect(v2?.groupOverrideDetails).toBeUndefined();
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
