import { readFileSync } from "node:fs";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { createHandler, SIGN_UP_REFUSED_MESSAGE } from "../../triggers/pre-sign-up/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";

const TABLE = "pre-sign-up-audit";
const ENV = {
  ALLOWED_EMAIL_DOMAINS: "example.com,*.example.co.jp",
  BLOCKED_EMAIL_DOMAINS: "guest.example.co.jp",
  AUTO_CONFIRM: "true",
  AUDIT_TABLE_NAME: TABLE,
};

type Event = {
  triggerSource: string;
  userName: string;
  request: { userAttributes: Record<string, string> };
  response: Record<string, unknown>;
};
const sample = (name: string): Event =>
  JSON.parse(readFileSync(new URL(`../../events/pre-sign-up/${name}.json`, import.meta.url), "utf8"));
const withEmail = (name: string, email: string | undefined): Event => {
  const event = sample(name);
  if (email === undefined) delete event.request.userAttributes.email;
  else event.request.userAttributes.email = email;
  return event;
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe("pre sign-up flags", () => {
  it("auto-confirms an allowed self sign-up with its email verified together, and leaves the phone alone", async () => {
    const result = (await createHandler(ENV)(sample("sign-up-allowed"))) as Event;
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it("sets both flags even when Cognito sent no response fields", async () => {
    const event = sample("sign-up-allowed") as Partial<Event>;
    delete event.response;
    const result = (await createHandler(ENV)(event)) as Event;
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true });
  });

  it("leaves the flags untouched with AUTO_CONFIRM=false", async () => {
    const result = (await createHandler({ ...ENV, AUTO_CONFIRM: "false" })(
      sample("sign-up-allowed"),
    )) as Event;
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it.each(["admin-create-user", "external-provider"])(
    "never sets flags for %s, where Cognito ignores them or the IdP confirmed the user",
    async (name) => {
      const result = (await createHandler(ENV)(sample(name))) as Event;
      expect(result).toEqual(sample(name));
    },
  );
});

describe("pre sign-up refusals", () => {
  it.each([
    ["sign-up-allowed", "mallory@evilexample.com", "domain-not-allowed"],
    ["admin-create-user", "mei@guest.example.co.jp", "domain-blocked"],
    ["external-provider", "kenji@exаmple.com", "domain-not-allowed"],
    ["external-provider", undefined, "email-missing"],
    ["sign-up-allowed", "a@b@example.com", "email-invalid"],
  ])("%s with %j: the same message for every reason, audited as %s", async (name, email, reason) => {
    const auditStore = new MemoryAuditStore();
    const handler = createHandler(ENV, { auditStore });
    await expect(handler(withEmail(name, email), { awsRequestId: "req-1" })).rejects.toMatchObject({
      message: SIGN_UP_REFUSED_MESSAGE,
    });
    const records = [...auditStore.items.values()];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      event: "SIGN_UP_DENIED",
      outcome: "denied",
      reason,
      triggerSource: sample(name).triggerSource,
      userName: sample(name).userName,
      requestId: "req-1",
      tableName: TABLE,
    });
    expect(records[0]?.email).toBe(email);
    expect(SIGN_UP_REFUSED_MESSAGE).not.toMatch(/\.$/);
  });

  it("still refuses when the audit write fails, and the record goes to the log", async () => {
    const failing = { put: async () => Promise.reject(new Error("table unavailable")) };
    const handler = createHandler(ENV, { auditStore: failing });
    await expect(handler(withEmail("sign-up-allowed", "a@evil.io"))).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
    const fallback = logs.parsed().find((line) => line.msg === "audit_fallback");
    expect(fallback).toMatchObject({ record: { event: "SIGN_UP_DENIED", reason: "domain-not-allowed" } });
  });

  it("fails closed on an unparseable setting: the key is logged, everyone refused, the denial audited", async () => {
    const auditStore = new MemoryAuditStore();
    const handler = createHandler({ ...ENV, ALLOWED_EMAIL_DOMAINS: "*example.com" }, { auditStore });
    expect(logs.parsed()).toEqual([
      expect.objectContaining({ level: "ERROR", key: "ALLOWED_EMAIL_DOMAINS" }),
    ]);
    await expect(handler(sample("sign-up-allowed"))).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect([...auditStore.items.values()].map((r) => r.reason)).toEqual(["config-invalid"]);
  });

  it.each([
    ["ALLOWED_EMAIL_DOMAINS", { ALLOWED_EMAIL_DOMAINS: "" }],
    ["BLOCKED_EMAIL_DOMAINS", { BLOCKED_EMAIL_DOMAINS: "guest@example.co.jp" }],
    ["AUTO_CONFIRM", { AUTO_CONFIRM: "yes" }],
    ["AUDIT_TABLE_NAME", { AUDIT_TABLE_NAME: " " }],
  ])("refuses everyone when %s is invalid", async (key, change) => {
    const handler = createHandler({ ...ENV, ...change }, { auditStore: new MemoryAuditStore() });
    expect(logs.parsed()[0]).toMatchObject({ key });
    await expect(handler(sample("sign-up-allowed"))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });
});

describe("pre sign-up audit against dynalite", () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createAuditTable(dynamo.client, TABLE);
  });
  afterAll(async () => dynamo.stop());

  it("writes one SIGN_UP_DENIED item per refusal through the default (DynamoDB) store", async () => {
    const handler = createHandler(ENV);
    await expect(
      handler(withEmail("sign-up-allowed", "eve@example.com.evil.io"), { awsRequestId: "r-9" }),
    ).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
    const items = ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) =>
      unmarshall(i),
    );
    expect(items).toEqual([
      expect.objectContaining({
        event: "SIGN_UP_DENIED",
        reason: "domain-not-allowed",
        email: "eve@example.com.evil.io",
        requestId: "r-9",
        pk: `USER#${sample("sign-up-allowed").userName}`,
      }),
    ]);
  });
});
