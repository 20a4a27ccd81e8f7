/**
 * Post authentication with the in-memory store and injected store faults: the record built from the
 * event, the configuration rules, and what each AUDIT_FAILURE_MODE does with each write outcome.
 * (Real DynamoDB, stopped or slow: the *.dynalite, dynalite-stopped and slow-write tests.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { createHandler } from "../../triggers/post-authentication/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { expectedSignInRecord, postAuthentication } from "./events.ts";

const NOW = new Date("2026-11-20T09:15:00.000Z");
const ENV = { AUDIT_TABLE_NAME: "audit", AUDIT_RETENTION_DAYS: "400" };
const failing: AuditStore = { put: () => Promise.reject(new Error("ServiceUnavailable")) };
const duplicate: AuditStore = { put: async () => "duplicate" };

let logs: ReturnType<typeof captureLogs>;
afterEach(() => logs?.restore());

const answer = (handler: ReturnType<typeof createHandler>, event: unknown) =>
  handler(event, { awsRequestId: "req-1" }).then(
    (result) => ({ result }),
    (error: Error) => ({ error: error.message }),
  );

describe("post authentication", () => {
  it("returns the event unchanged and writes one SIGN_IN record with every field", async () => {
    logs = captureLogs();
    const store = new MemoryAuditStore();
    const handler = createHandler(ENV, { auditStore: store, now: () => NOW });
    const event = postAuthentication();
    expect(await answer(handler, structuredClone(event))).toEqual({ result: event });
    expect([...store.items.values()]).toEqual([
      { tableName: "audit", ...expectedSignInRecord("req-1", NOW) },
    ]);
    expect(logs.parsed().filter((l) => l.level !== "DEBUG")).toEqual([]);
  });

  it("records newDeviceUsed only when Cognito sent a boolean", async () => {
    logs = captureLogs();
    for (const [sent, recorded] of [
      [false, false],
      [true, true],
      [null, undefined],
      ["true", undefined],
    ] as const) {
      const store = new MemoryAuditStore();
      await createHandler(ENV, { auditStore: store })(postAuthentication({ newDeviceUsed: sent }));
      expect([...store.items.values()][0]?.newDeviceUsed).toBe(recorded);
    }
  });

  it("keys a user without a sub attribute by userName", async () => {
    logs = captureLogs();
    const store = new MemoryAuditStore();
    const event = postAuthentication({ userName: "Google_1234567890" });
    event.request.userAttributes = { email: "x@example.com" } as typeof event.request.userAttributes;
    await createHandler(ENV, { auditStore: store })(event, { awsRequestId: "r" });
    expect([...store.items.values()][0]?.pk).toBe("USER#Google_1234567890");
  });

  it.each([
    ["open (the default)", {}, "proceeds"],
    ["open", { AUDIT_FAILURE_MODE: "open" }, "proceeds"],
    ["closed", { AUDIT_FAILURE_MODE: "CLOSED" }, "fails"],
  ])(
    "a failed write in mode %s: the sign-in %s, the record is on the fallback line",
    async (_, mode, outcome) => {
      logs = captureLogs();
      const handler = createHandler({ ...ENV, ...mode }, { auditStore: failing, now: () => NOW });
      const event = postAuthentication();
      expect(await answer(handler, structuredClone(event))).toEqual(
        outcome === "proceeds" ? { result: event } : { error: GENERIC_USER_MESSAGE },
      );
      const fallback = logs.parsed().find((l) => l.msg === "audit_fallback");
      expect(fallback?.record).toEqual(expectedSignInRecord("req-1", NOW));
      expect(fallback?.cause).toEqual({ name: "Error", message: "ServiceUnavailable" });
    },
  );

  it("treats an already present record (a retried invocation) as written, even in closed mode", async () => {
    logs = captureLogs();
    const handler = createHandler({ ...ENV, AUDIT_FAILURE_MODE: "closed" }, { auditStore: duplicate });
    const event = postAuthentication();
    expect(await answer(handler, structuredClone(event))).toEqual({ result: event });
    expect(logs.parsed().some((l) => l.msg === "audit_fallback")).toBe(false);
  });

  it.each([
    ["AUDIT_TABLE_NAME", { AUDIT_TABLE_NAME: "" }],
    ["AUDIT_RETENTION_DAYS", { AUDIT_RETENTION_DAYS: "0" }],
    ["AUDIT_FAILURE_MODE", { AUDIT_FAILURE_MODE: "ignore" }],
  ])(
    "fails closed when %s is invalid: every sign-in refused with the generic message",
    async (key, broken) => {
      logs = captureLogs();
      const store = new MemoryAuditStore();
      const handler = createHandler({ ...ENV, ...broken }, { auditStore: store });
      expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key })]);
      expect(await answer(handler, postAuthentication())).toEqual({ error: GENERIC_USER_MESSAGE });
      expect(store.items.size).toBe(0);
    },
  );
});
