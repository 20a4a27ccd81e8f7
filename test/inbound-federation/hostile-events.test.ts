/**
 * Inbound federation against broken and hostile events, parsed from JSON text as Lambda delivers them:
 * every part of the request missing, null, of the wrong type, huge, or carrying prototype-pollution keys.
 * Whatever arrives, the handler answers with the refusal, the generic message or an event whose only
 * change is its response; it pollutes no prototype, and no planted token reaches the log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler, FEDERATION_REFUSED_MESSAGE } from "../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const SAMPLES = [
  "inbound-federation/oidc-google-allowed",
  "inbound-federation/saml-allowed",
  "inbound-federation/hostile-claims",
] as const;
const PLANTED_TOKEN = "Pl4nted-Provider-Token-5e8b1c";
const HUGE = "x".repeat(1 << 20);
const POLLUTING = `{"__proto__":{"polluted":"yes","email":"admin@example.com"},"constructor":{"prototype":{"polluted":"yes"}},"toString":"x","hasOwnProperty":"x","email":"admin@example.com"}`;

type Json = Record<string, unknown>;
const MAPS = ["idToken", "userInfo", "samlResponse", "tokenResponse"] as const;

/** What breaks the request, by part. */
const BREAKS: readonly [string, (request: Json) => void][] = [
  ["no attributes", (r) => delete r.attributes],
  ["attributes null", (r) => (r.attributes = null)],
  ["attributes an array", (r) => (r.attributes = [["email", "a@example.com"]])],
  ["attributes a string", (r) => (r.attributes = "email=a@example.com")],
  [
    "prototype-pollution keys in attributes",
    (r) => (r.attributes = { ...(r.attributes as Json), ...JSON.parse(POLLUTING) }),
  ],
  ["providerType missing", (r) => delete r.providerType],
  ["providerType an object", (r) => (r.providerType = { type: "OIDC" })],
  ["providerType huge", (r) => (r.providerType = HUGE)],
  ["providerType in lower case", (r) => (r.providerType = "oidc")],
  ["providerName a number", (r) => (r.providerName = 7)],
  ...MAPS.flatMap((map): [string, (request: Json) => void][] => {
    const set = (value: (current: unknown) => unknown) => (r: Json) => {
      const attributes = r.attributes as Json;
      attributes[map] = value(attributes[map]);
    };
    const each = (replace: (v: unknown) => unknown) =>
      set((current) =>
        current && typeof current === "object"
          ? Object.fromEntries(Object.entries(current).map(([k, v]) => [k, replace(v)]))
          : current,
      );
    return [
      [`${map} null`, set(() => null)],
      [`${map} an array`, set(() => ["email", "a@example.com"])],
      [`${map} values as numbers`, each(() => 1)],
      [`${map} values as objects`, each((v) => ({ value: v }))],
      [`${map} values huge`, each(() => HUGE)],
      [
        `${map} with prototype-pollution keys`,
        set((current) => ({ ...(current as Json), ...JSON.parse(POLLUTING) })),
      ],
    ];
  }),
];

const output = captureOutputOfEachTest();
const prototypeKeys = () =>
  [Object.prototype, Array.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort());
let keysBefore: string[][];
beforeAll(() => {
  keysBefore = prototypeKeys();
});
afterAll(() => {
  expect(prototypeKeys()).toEqual(keysBefore);
  expect(({} as Json).polluted).toBeUndefined();
});

describe.each(SAMPLES)("%s, broken", (sample) => {
  it.each(BREAKS)("%s", async (_, breakIt) => {
    const event = sampleEvent(sample) as unknown as Json & { request: Json };
    const attributes = event.request.attributes as Json;
    attributes.tokenResponse = { ...(attributes.tokenResponse as Json), access_token: PLANTED_TOKEN };
    breakIt(event.request);
    const sent = JSON.parse(JSON.stringify(event)) as Json;
    const handler = createHandler(sampleExpectation(sample).env, { auditStore: new MemoryAuditStore() });
    let result: unknown;
    try {
      result = await handler(JSON.parse(JSON.stringify(event)));
    } catch (error) {
      expect([FEDERATION_REFUSED_MESSAGE, GENERIC_USER_MESSAGE]).toContain((error as Error).message);
      expect((error as Error).name).toBe("UserFacingError");
    }
    if (result !== undefined) {
      const { response, ...rest } = result as Json;
      const { response: _sentResponse, ...sentRest } = sent;
      expect(rest).toEqual(sentRest);
      const answer = (response as { userAttributesToMap: Record<string, unknown> }).userAttributesToMap;
      expect(Object.keys(response as Json)).toEqual(["userAttributesToMap"]);
      for (const value of Object.values(answer)) expect(typeof value).toBe("string");
      expect(answer.email).toMatch(/^[^@\s]+@[a-z0-9.-]+$/);
    }
    expect(output.logs.lines.join("\n")).not.toContain(PLANTED_TOKEN);
    expect(output.logs.lines.every((line) => line.length < 16 * 1024)).toBe(true);
  });
});
