/**
 * Pre authentication's metrics, as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set): one
 * SignInDenied line per denial with its reason, nothing for an allowed sign-in, ConfigRefusals for a
 * broken setting, and AuditFallbacks whenever the denial's record ends on the audit_fallback line.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { DENIAL_REASONS } from "../../triggers/lib/metrics.ts";
import { createHandler } from "../../triggers/pre-authentication/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const FUNCTION = "suite-PreAuthentication-Q1w2E3";
const output = captureOutputOfEachTest();

async function run(sample: string, options: { store?: AuditStore; env?: Record<string, string> } = {}) {
  const env = { ...sampleExpectation(sample).env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION, ...options.env };
  const handler = createHandler(env, { auditStore: options.store ?? new MemoryAuditStore() });
  await handler(sampleEvent(sample), { awsRequestId: "r-1" }).catch(() => undefined);
  return output.metrics.names();
}

describe("pre authentication metrics", () => {
  it.each([
    ["pre-authentication/ip-not-in-list", ["SignInDenied/ip-not-allowed"]],
    ["pre-authentication/user-not-found-ip-not-in-list", ["SignInDenied/ip-not-allowed"]],
    ["pre-authentication/ip-missing", ["SignInDenied/ip-missing"]],
    ["pre-authentication/malformed-address", ["SignInDenied/ip-malformed"]],
    ["pre-authentication/address-with-port", ["SignInDenied/ip-malformed"]],
    ["pre-authentication/untrusted-client-denied", ["SignInDenied/untrusted-client"]],
    ["pre-authentication/allowed-ipv4-trusted-client", []],
    ["pre-authentication/allowed-ipv6-trusted-client", []],
    ["pre-authentication/untrusted-client-policy-allow", []],
    ["pre-authentication/allowlist-off", []],
    // A broken setting is a configuration refusal, not a policy denial (its audit reason is config-invalid).
    ["pre-authentication/invalid-cidr-setting", ["ConfigRefusals"]],
    // No table to write the config-invalid record to: it goes to the fallback line, and is counted.
    ["pre-authentication/audit-table-missing", ["ConfigRefusals", "AuditFallbacks"]],
  ])("%s: %j", async (sample, expected) => {
    expect(await run(sample)).toEqual(expected);
  });

  it("a denial line is exactly the EMF document, with both dimension sets", async () => {
    await run("pre-authentication/ip-not-in-list");
    expect(output.metrics.documents()).toEqual([emfDocument("SignInDenied", FUNCTION, "ip-not-allowed")]);
  });

  it("a denial whose audit write fails is counted once as a denial and once as a fallback", async () => {
    const failing: AuditStore = {
      put: async () => Promise.reject(new Error("ProvisionedThroughputExceeded")),
    };
    expect(await run("pre-authentication/ip-missing", { store: failing })).toEqual([
      "AuditFallbacks",
      "SignInDenied/ip-missing",
    ]);
  });

  it("writes nothing outside Lambda", async () => {
    const { env } = sampleExpectation("pre-authentication/ip-not-in-list");
    await createHandler(env, { auditStore: new MemoryAuditStore() })(
      sampleEvent("pre-authentication/ip-not-in-list"),
    ).catch(() => undefined);
    expect(output.metrics.lines).toEqual([]);
  });

  it("no dimension value ever comes from the event, whatever the client sends", async () => {
    const { env } = sampleExpectation("pre-authentication/ip-not-in-list");
    const handler = createHandler(
      { ...env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION },
      { auditStore: new MemoryAuditStore() },
    );
    const trusted = sampleEvent("pre-authentication/ip-not-in-list").callerContext.clientId as string;
    const clientText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.ipV4(), fc.ipV6());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(trusted), clientText),
        fc.oneof(clientText, fc.jsonValue({ maxDepth: 2 })),
        clientText,
        async (clientId, sourceIp, userName) => {
          output.metrics.lines.length = 0;
          const event = sampleEvent("pre-authentication/ip-not-in-list");
          event.callerContext.clientId = clientId;
          event.userName = userName;
          event.request.validationData = { sourceIp };
          await handler(event).catch(() => undefined);
          for (const doc of output.metrics.documents()) {
            const name = doc._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name ?? "";
            if (name === "SignInDenied") {
              expect(DENIAL_REASONS.SignInDenied).toContain(doc.Reason);
              expect(doc).toEqual(emfDocument(name, FUNCTION, doc.Reason));
            } else expect(doc).toEqual(emfDocument(name, FUNCTION));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("pre authentication when the audit trail cannot even be loaded", () => {
  afterEach(() => {
    vi.doUnmock("../../triggers/lib/audit/trail.ts");
    vi.resetModules();
  });

  it("counts the record it logs itself as AuditFallbacks", async () => {
    vi.resetModules();
    vi.doMock("../../triggers/lib/audit/trail.ts", () => {
      throw new Error("Cannot find module 'trail.ts'");
    });
    const fresh = (await import("../../triggers/pre-authentication/trigger.ts")) as {
      createHandler: typeof createHandler;
    };
    const { env } = sampleExpectation("pre-authentication/ip-not-in-list");
    const handler = fresh.createHandler({ ...env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION }, {});
    await expect(handler(sampleEvent("pre-authentication/ip-not-in-list"))).rejects.toThrow(
      "Sign-in is not allowed",
    );
    expect(output.logs.parsed().some((line) => line.msg === "audit_fallback")).toBe(true);
    expect(output.metrics.names()).toEqual(["AuditFallbacks", "SignInDenied/ip-not-allowed"]);
  });
});
