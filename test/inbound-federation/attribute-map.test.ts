/**
 * FEDERATION_ATTRIBUTE_MAP and the other inbound federation settings, parsed the way the handler reads
 * them at cold start (and the CDK app at synth): one test per class of bad configuration, each failing
 * closed with the key named in the log and every federated sign-in refused with the generic message.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ATTRIBUTE_MAP,
  MAX_ALTERNATIVES,
  MAX_PROVIDER_NAME_LENGTH,
  parseAttributeMap,
} from "../../triggers/inbound-federation/attribute-map.ts";
import { inboundFederationConfigSpec } from "../../triggers/inbound-federation/config.ts";
import {
  isReservedAttribute,
  MAX_CUSTOM_ATTRIBUTES,
  STANDARD_ATTRIBUTES,
} from "../../triggers/inbound-federation/pool-attributes.ts";
import { createHandler } from "../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { readConfig } from "../../triggers/lib/config.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const SAMPLE = "inbound-federation/oidc-google-allowed";
const ENV = sampleExpectation(SAMPLE).env;

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const parse = (map: unknown) => () => parseAttributeMap(map);
const customs = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`custom:attr${i}`, `claim${i}`]));

describe("the default map", () => {
  it("passes its own parser, maps email, and names only standard attributes", () => {
    expect(parseAttributeMap(DEFAULT_ATTRIBUTE_MAP)).toEqual(DEFAULT_ATTRIBUTE_MAP);
    expect(DEFAULT_ATTRIBUTE_MAP.email?.[0]).toBe("email");
    for (const pool of Object.keys(DEFAULT_ATTRIBUTE_MAP))
      expect(STANDARD_ATTRIBUTES.has(pool), pool).toBe(true);
  });

  it("leaves out the alias-like preferred_username and the SMS destination phone_number", () => {
    expect(Object.keys(DEFAULT_ATTRIBUTE_MAP)).not.toContain("preferred_username");
    expect(Object.keys(DEFAULT_ATTRIBUTE_MAP)).not.toContain("phone_number");
  });

  it("is what an unset FEDERATION_ATTRIBUTE_MAP means", () => {
    expect(readConfig(ENV, inboundFederationConfigSpec).FEDERATION_ATTRIBUTE_MAP).toEqual(
      DEFAULT_ATTRIBUTE_MAP,
    );
  });

  it("takes a single provider attribute as a one-item list", () => {
    expect(parseAttributeMap({ email: "mail", "custom:tenant": ["tid", "tenant"] })).toEqual({
      email: ["mail"],
      "custom:tenant": ["tid", "tenant"],
    });
  });
});

describe("pool attributes the map must never name", () => {
  it.each([
    "sub",
    "identities",
    "username",
    "updated_at",
    "cognito:username",
    "cognito:groups",
    "cognito:user_status",
    "cognito:mfa_enabled",
    "dev:flags",
    "email_verified",
    "phone_number_verified",
  ])("refuses %j", (name) => {
    expect(isReservedAttribute(name)).toBe(true);
    expect(parse({ email: "email", [name]: "x" })).toThrow(JSON.stringify(name));
  });

  it.each(["Sub", " sub", "COGNITO:GROUPS", "Email_Verified", "email\u200B_verified", "Cognito:Username"])(
    "refuses %j, a reserved name spelled another way, as reserved",
    (name) => {
      expect(isReservedAttribute(name)).toBe(true);
      expect(parse({ email: "email", [name]: "x" })).toThrow(/Cognito owns|verified flags/);
    },
  );

  it("says why the verified flags are refused", () => {
    expect(parse({ email: "email", email_verified: "email_verified" })).toThrow(
      /FEDERATION_EMAIL_VERIFIED decides the verified flags/,
    );
  });
});

describe("FEDERATION_ATTRIBUTE_MAP: each class of bad configuration", () => {
  it.each([
    ["not an object", [["email", "email"]], /must be a JSON object/],
    ["null", null, /must be a JSON object/],
    ["a string", "email", /must be a JSON object/],
    ["no email", { name: "name" }, /must map "email"/],
    [
      "an unknown pool attribute",
      { email: "email", Email: "mail" },
      /neither a standard user pool attribute/,
    ],
    ["a prototype key", JSON.parse('{"email": "email", "__proto__": "x"}'), /neither a standard/],
    ["an empty custom name", { email: "email", "custom:": "x" }, /1 to 20 characters/],
    [
      "an over-long custom name",
      { email: "email", "custom:abcdefghijklmnopqrstu": "x" },
      /1 to 20 characters/,
    ],
    ["a custom name with a space", { email: "email", "custom:my attr": "x" }, /cannot contain spaces/],
    ["a custom name with an invisible character", { email: "email", "custom:ro\u200Ble": "x" }, /invisible/],
    ["an empty list", { email: [] }, /empty list/],
    ["a number", { email: 1 }, /must map to a provider attribute name/],
    ["an object", { email: { claim: "email" } }, /must map to a provider attribute name/],
    ["a list with a non-string", { email: ["email", 2] }, /non-empty string/],
    ["a blank provider name", { email: " " }, /non-empty string/],
    ["a provider name with spaces around it", { email: " email" }, /spaces around it/],
    ["a provider name with a control character", { email: "em\nail" }, /control or invisible/],
    ["a provider name with an invisible character", { email: "em\u2060ail" }, /control or invisible/],
    ["an over-long provider name", { email: "e".repeat(MAX_PROVIDER_NAME_LENGTH + 1) }, /longer than 256/],
    [
      "too many alternatives",
      { email: Array.from({ length: MAX_ALTERNATIVES + 1 }, (_, i) => `e${i}`) },
      /more than 10/,
    ],
    ["a token", { email: "email", "custom:token": "id_token" }, /tokens are never mapped/],
    [
      "more custom attributes than a pool has",
      { email: "email", ...customs(MAX_CUSTOM_ATTRIBUTES + 1) },
      /more than 50 custom/,
    ],
  ])("refuses %s", (_, map, message) => {
    expect(parse(map)).toThrow(message);
  });

  it("accepts the limits themselves: 50 custom attributes, a 20-character name, 10 alternatives", () => {
    const map = {
      email: Array.from({ length: MAX_ALTERNATIVES }, (_, i) => `e${i}`),
      ...customs(MAX_CUSTOM_ATTRIBUTES - 1),
      "custom:abcdefghijklmnopqrst": "x".repeat(MAX_PROVIDER_NAME_LENGTH),
    };
    expect(Object.keys(parseAttributeMap(map))).toHaveLength(MAX_CUSTOM_ATTRIBUTES + 1);
  });
});

describe("a bad setting fails closed", () => {
  it.each([
    ["FEDERATION_ATTRIBUTE_MAP", { FEDERATION_ATTRIBUTE_MAP: '{"email": "email", "sub": "sub"}' }],
    ["FEDERATION_ATTRIBUTE_MAP", { FEDERATION_ATTRIBUTE_MAP: "{email: email}" }],
    ["FEDERATION_EMAIL_VERIFIED", { FEDERATION_EMAIL_VERIFIED: "always" }],
    ["ALLOWED_EMAIL_DOMAINS", { ALLOWED_EMAIL_DOMAINS: "" }],
    ["ALLOWED_EMAIL_DOMAINS", { ALLOWED_EMAIL_DOMAINS: "*example.com" }],
    ["BLOCKED_EMAIL_DOMAINS", { BLOCKED_EMAIL_DOMAINS: "guest@example.co.jp" }],
    ["AUDIT_TABLE_NAME", { AUDIT_TABLE_NAME: " " }],
    ["AUDIT_RETENTION_DAYS", { AUDIT_RETENTION_DAYS: "0" }],
  ])("%s: the key is logged, every sign-in refused with the generic message", async (key, change) => {
    const auditStore = new MemoryAuditStore();
    const handler = createHandler({ ...ENV, ...change }, { auditStore });
    expect(logs.parsed()).toEqual([
      expect.objectContaining({ level: "ERROR", msg: "configuration invalid: refusing every request", key }),
    ]);
    await expect(handler(sampleEvent(SAMPLE))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });

  it("audits the refusal as config-invalid when the table is known, and writes nothing when it is not", async () => {
    const auditStore = new MemoryAuditStore();
    const broken = { ...ENV, FEDERATION_ATTRIBUTE_MAP: '{"email": "email", "cognito:groups": "groups"}' };
    await expect(createHandler(broken, { auditStore })(sampleEvent(SAMPLE))).rejects.toThrow(
      GENERIC_USER_MESSAGE,
    );
    expect([...auditStore.items.values()]).toEqual([
      expect.objectContaining({
        event: "FEDERATION_DENIED",
        outcome: "denied",
        reason: "config-invalid",
        userName: sampleEvent(SAMPLE).userName,
        expiresAt: expect.any(Number),
      }),
    ]);

    const noTable = new MemoryAuditStore();
    await expect(
      createHandler({ ...ENV, AUDIT_TABLE_NAME: "" }, { auditStore: noTable })(sampleEvent(SAMPLE)),
    ).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(noTable.items.size).toBe(0);
  });
});
