import { readFileSync } from "node:fs";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
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
  const NONE = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

  it("auto-confirms an allowed self sign-up with its email verified together, and leaves the phone alone", async () => {
    const result = (await createHandler(ENV)(sample("sign-up-allowed"))) as Event;
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it("sets all three flags even when Cognito sent no response fields", async () => {
    const event = sample("sign-up-allowed") as Partial<Event>;
    delete event.response;
    const result = (await createHandler(ENV)(event)) as Event;
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it("answers all three false with AUTO_CONFIRM=false, whatever the event carried", async () => {
    const event = sample("sign-up-allowed");
    event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true };
    const result = (await createHandler({ ...ENV, AUTO_CONFIRM: "false" })(event)) as Event;
    expect(result.response).toEqual(NONE);
  });

  it.each(["admin-create-user", "external-provider"])(
    "answers all three false for %s (Cognito ignores them there; an IdP's address is never verified on our word), even pre-filled true",
    async (name) => {
      const event = sample(name);
      event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true, extra: "x" };
      const result = (await createHandler(ENV)(event)) as Event;
      expect(result).toEqual({ ...sample(name), response: NONE });
    },
  );

  it("answers exactly the policy's flags for any response the event carried (property)", async () => {
    const anyValue = fc.oneof(fc.boolean(), fc.constant(null), fc.string({ maxLength: 5 }), fc.integer());
    const incoming = fc.oneof(
      fc.record(
        { autoConfirmUser: anyValue, autoVerifyEmail: anyValue, autoVerifyPhone: anyValue },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 4 }),
      fc.constantFrom(null, [], "true", true),
    );
    const sources = fc.constantFrom("sign-up-allowed", "admin-create-user", "external-provider");
    await fc.assert(
      fc.asyncProperty(incoming, sources, fc.boolean(), async (response, name, autoConfirm) => {
        const event = { ...sample(name), response } as unknown;
        const handler = createHandler({ ...ENV, AUTO_CONFIRM: String(autoConfirm) });
        const result = (await handler(event)) as Event;
        const confirm = autoConfirm && name === "sign-up-allowed";
        expect(result.response).toStrictEqual({
          autoConfirmUser: confirm,
          autoVerifyEmail: confirm,
          autoVerifyPhone: false,
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("pre sign-up: what the identity provider verified", () => {
  const federated = (emailVerified: string | undefined): Event => {
    const event = sample("external-provider");
    if (emailVerified === undefined) delete event.request.userAttributes.email_verified;
    else event.request.userAttributes.email_verified = emailVerified;
    return event;
  };

  it.each([["false"], [undefined], ["TRUE"], [""], ["1"]])(
    "FEDERATED_UNVERIFIED_EMAIL unset (deny): email_verified %j is refused as email-unverified",
    async (emailVerified) => {
      const auditStore = new MemoryAuditStore();
      const handler = createHandler(ENV, { auditStore });
      await expect(handler(federated(emailVerified))).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
      expect([...auditStore.items.values()]).toEqual([
        expect.objectContaining({ event: "SIGN_UP_DENIED", reason: "email-unverified" }),
      ]);
      expect(logs.parsed().find((l) => l.msg === "sign-up refused")).toMatchObject({
        reason: "email-unverified",
      });
    },
  );

  it('deny admits an address the provider verified ("true")', async () => {
    const result = (await createHandler({ ...ENV, FEDERATED_UNVERIFIED_EMAIL: "deny" })(
      federated("true"),
    )) as Event;
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it.each([["false"], [undefined]])(
    "allow admits email_verified %j, and never verifies it, even with AUTO_CONFIRM=true",
    async (emailVerified) => {
      const event = federated(emailVerified);
      event.response.autoVerifyEmail = true;
      const result = (await createHandler({ ...ENV, FEDERATED_UNVERIFIED_EMAIL: "allow" })(event)) as Event;
      expect(result.response).toEqual({
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
      expect(result.request.userAttributes.email_verified).toBe(emailVerified);
    },
  );

  it("still applies the domain policy first under allow", async () => {
    const auditStore = new MemoryAuditStore();
    const event = federated("false");
    event.request.userAttributes.email = "kenji@evil.io";
    await expect(
      createHandler({ ...ENV, FEDERATED_UNVERIFIED_EMAIL: "allow" }, { auditStore })(event),
    ).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
    expect([...auditStore.items.values()].map((r) => r.reason)).toEqual(["domain-not-allowed"]);
  });

  it.each(["sign-up-allowed", "admin-create-user"])(
    "judges email_verified for federated sign-ins only: %s with email_verified false passes",
    async (name) => {
      const event = sample(name);
      event.request.userAttributes.email_verified = "false";
      await expect(createHandler(ENV)(event)).resolves.toBeDefined();
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
    ["FEDERATED_UNVERIFIED_EMAIL", { FEDERATED_UNVERIFIED_EMAIL: "sometimes" }],
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
