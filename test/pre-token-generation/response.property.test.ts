/**
 * What pre token generation answers, on random events: a claim taken from the event (fromAttribute,
 * fromClientId) is there only when the event has a real value for it, never as null, "", "undefined"
 * or an object; and the response shapes are exactly what the trigger decided, whatever the event's
 * response arrived with.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../triggers/pre-token-generation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";

type Json = Record<string, unknown>;

const CONFIG = {
  idToken: {
    add: {
      tenant: { fromAttribute: "custom:tenant_id" },
      client: { fromClientId: true },
      app: { value: "acme" },
    },
  },
  accessToken: {
    add: {
      tenant: { fromAttribute: "custom:tenant_id" },
      team: { fromAttribute: "custom:team" },
      aud: { fromClientId: true },
    },
  },
  groupScopes: { editors: ["notes/write"] },
};
const handler = createHandler({ CLAIMS_CONFIG: JSON.stringify(CONFIG) });
const CLIENT_ID = /^[\w+]{1,128}$/;

/** A source value as an event may carry it: missing, null, of any JSON type, or a string. */
const ABSENT = Symbol("absent");
const oddValue = fc.oneof(
  fc.constant<unknown>(ABSENT),
  fc.constant(null),
  fc.constantFrom<unknown>("", "undefined", "null", 0, 42, true, false, [], ["acme"], {}, { value: "acme" }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const clientId = fc.oneof(
  oddValue,
  fc.constantFrom("6a3l0kq7h2b1vgd9f8e0s4r2tn", "client id with spaces", "x".repeat(129), "a+b_c"),
);

const generated = fc.record({
  version: fc.constantFrom("1", "2", "3"),
  triggerSource: fc.constantFrom(
    "TokenGeneration_Authentication",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
  ),
  tenant: oddValue,
  team: oddValue,
  clientId,
  callerContext: fc.constantFrom("object", "null", "missing"),
  userAttributes: fc.constantFrom("object", "null", "missing"),
});
type Generated = typeof generated extends fc.Arbitrary<infer T> ? T : never;

function eventOf(g: Generated, response: unknown): Json {
  const attributes: Json = { sub: "user-1" };
  if (g.tenant !== ABSENT) attributes["custom:tenant_id"] = g.tenant;
  if (g.team !== ABSENT) attributes["custom:team"] = g.team;
  const caller: Json = { awsSdkVersion: "aws-sdk-unknown-unknown" };
  if (g.clientId !== ABSENT) caller.clientId = g.clientId;
  const event: Json = {
    version: g.version,
    triggerSource: g.triggerSource,
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName: "user-1",
    request: {
      groupConfiguration: { groupsToOverride: ["editors"], iamRolesToOverride: [], preferredRole: null },
      scopes: ["openid"],
    },
    response,
  };
  if (g.callerContext === "object") event.callerContext = caller;
  if (g.callerContext === "null") event.callerContext = null;
  if (g.userAttributes === "object") (event.request as Json).userAttributes = attributes;
  if (g.userAttributes === "null") (event.request as Json).userAttributes = null;
  // As Lambda delivers it: parsed from JSON text.
  return JSON.parse(JSON.stringify(event)) as Json;
}

const SHAPES = ["claimsOverrideDetails", "claimsAndScopeOverrideDetails"];
const shapeOf = (g: Generated) =>
  g.version === "1" && g.triggerSource !== "TokenGeneration_ClientCredentials"
    ? "claimsOverrideDetails"
    : "claimsAndScopeOverrideDetails";
const cognitoPrefilled = (g: Generated) => ({ [shapeOf(g)]: null });

/** Every claimsToAddOrOverride map of a response, both shapes. */
function claimMaps(response: Json): Json[] {
  const v1 = response.claimsOverrideDetails as Json | null | undefined;
  const v2 = response.claimsAndScopeOverrideDetails as Json | null | undefined;
  return [
    v1?.claimsToAddOrOverride,
    (v2?.idTokenGeneration as Json | undefined)?.claimsToAddOrOverride,
    (v2?.accessTokenGeneration as Json | undefined)?.claimsToAddOrOverride,
  ].filter((map): map is Json => map !== undefined);
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe("pre token generation answers (properties)", () => {
  it("leaves out a claim whose event source is missing, null, empty or not a string; never emits null", async () => {
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const result = (await handler(eventOf(g, cognitoPrefilled(g)))) as Json;
        const response = result.response as Json;
        const attribute = (value: unknown) =>
          g.userAttributes === "object" && typeof value === "string" && value !== "" ? value : undefined;
        const client =
          g.callerContext === "object" && typeof g.clientId === "string" && CLIENT_ID.test(g.clientId)
            ? g.clientId
            : undefined;
        const expected: Record<string, unknown> = {
          tenant: attribute(g.tenant),
          team: attribute(g.team),
          client,
          aud: client,
          app: "acme",
        };
        for (const map of claimMaps(response)) {
          for (const [claim, value] of Object.entries(map)) {
            expect(value, claim).not.toBeNull();
            expect(typeof value, claim).toBe("string");
            expect(value, claim).toBe(expected[claim]);
          }
          // Present exactly when the source has a value (the machine token has no ID token at all).
          for (const claim of Object.keys(map)) expect(expected[claim]).toBeDefined();
        }
        const v2 = response.claimsAndScopeOverrideDetails as Json | null;
        const access = (v2?.accessTokenGeneration as Json | undefined)?.claimsToAddOrOverride as
          | Json
          | undefined;
        if (shapeOf(g) === "claimsAndScopeOverrideDetails") {
          expect(Object.hasOwn(access ?? {}, "aud")).toBe(client !== undefined);
          expect(Object.hasOwn(access ?? {}, "tenant")).toBe(expected.tenant !== undefined);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("answers with exactly the decided shape whatever the response arrived with", async () => {
    const junk = fc.dictionary(
      fc.oneof(fc.constantFrom(...SHAPES, "groupOverrideDetails", "__proto__"), fc.string({ maxLength: 8 })),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constant({
          claimsToAddOrOverride: { sub: "attacker", tenant: "other-tenant" },
          claimsToSuppress: [],
        }),
        fc.constant({
          idTokenGeneration: { claimsToAddOrOverride: { role: "admin" } },
          accessTokenGeneration: { scopesToAdd: ["admin/all"] },
          groupOverrideDetails: { groupsToOverride: ["admins"] },
        }),
      ),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(generated, junk, async (g, incoming) => {
        const clean = ((await handler(eventOf(g, cognitoPrefilled(g)))) as Json).response as Json;
        const sent = eventOf(g, incoming);
        const sentResponse = structuredClone(sent.response) as Json;
        const answered = ((await handler(sent)) as Json).response as Json;
        const shape = shapeOf(g);
        const other = SHAPES.find((key) => key !== shape) as string;
        // The decided shape, the same as for the event Cognito would send, and only that shape.
        expect(answered[shape]).toEqual(clean[shape]);
        expect(Object.hasOwn(answered, other)).toBe(false);
        // Keys Cognito does not read stay as they came.
        const rest = (response: Json) =>
          Object.fromEntries(Object.entries(response).filter(([key]) => !SHAPES.includes(key)));
        expect(rest(answered)).toEqual(rest(sentResponse));
      }),
      { numRuns: 300 },
    );
  });
});
