/**
 * Post authentication's metrics, as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set): SignIns for
 * every sign-in that proceeds, AuditFallbacks for a record that went to the log line instead of the
 * table, and (AUDIT_FAILURE_MODE=closed) no SignIns for a sign-in the handler refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { createHandler } from "../../triggers/post-authentication/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { postAuthentication } from "./events.ts";

const FUNCTION = "suite-PostAuthentication-M4n5B6";
const ENV = { AUDIT_TABLE_NAME: "audit", AUDIT_RETENTION_DAYS: "400", AWS_LAMBDA_FUNCTION_NAME: FUNCTION };
const failing: AuditStore = { put: () => Promise.reject(new Error("ServiceUnavailable")) };

const output = captureOutputOfEachTest();

describe("post authentication metrics", () => {
  it("counts a recorded sign-in as SignIns, in exactly the EMF document", async () => {
    await createHandler(ENV, { auditStore: new MemoryAuditStore() })(postAuthentication());
    expect(output.metrics.documents()).toEqual([emfDocument("SignIns", FUNCTION)]);
  });

  it("counts a retried sign-in whose record is already there as a sign-in", async () => {
    const store = new MemoryAuditStore();
    const handler = createHandler(ENV, { auditStore: store, now: () => new Date("2026-11-20T09:15:00Z") });
    await handler(postAuthentication(), { awsRequestId: "same" });
    await handler(postAuthentication(), { awsRequestId: "same" });
    expect(output.metrics.names()).toEqual(["SignIns", "SignIns"]);
  });

  it("AUDIT_FAILURE_MODE=open: a failed write is a fallback, and the sign-in still counts", async () => {
    await createHandler(ENV, { auditStore: failing })(postAuthentication());
    expect(output.metrics.names()).toEqual(["AuditFallbacks", "SignIns"]);
  });

  it("AUDIT_FAILURE_MODE=closed: a failed write is a fallback, and the refused sign-in does not count", async () => {
    const handler = createHandler({ ...ENV, AUDIT_FAILURE_MODE: "closed" }, { auditStore: failing });
    await expect(handler(postAuthentication())).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.metrics.names()).toEqual(["AuditFallbacks"]);
  });

  it("a configuration refusal is ConfigRefusals, not a sign-in", async () => {
    const { AUDIT_TABLE_NAME: _, ...broken } = ENV;
    await expect(createHandler(broken, {})(postAuthentication())).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.metrics.names()).toEqual(["ConfigRefusals"]);
  });

  it("an event of another trigger is MalformedEvents", async () => {
    const event = { ...postAuthentication(), triggerSource: "PreSignUp_SignUp" };
    await expect(createHandler(ENV, {})(event)).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.metrics.names()).toEqual(["MalformedEvents"]);
  });

  it("writes nothing outside Lambda", async () => {
    const { AWS_LAMBDA_FUNCTION_NAME: _, ...local } = ENV;
    await createHandler(local, { auditStore: failing })(postAuthentication());
    expect(output.metrics.lines).toEqual([]);
  });

  it("no metric carries anything of the user or the client", async () => {
    const handler = createHandler(ENV, { auditStore: new MemoryAuditStore() });
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), async (userName, clientId, email) => {
        output.metrics.lines.length = 0;
        await handler(postAuthentication({ userName, clientId, email, sub: userName }));
        expect(output.metrics.documents()).toEqual([emfDocument("SignIns", FUNCTION)]);
      }),
      { numRuns: 100 },
    );
  });
});
