/**
 * Pre sign-up's metrics, as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set): one SignUpDenied
 * line per refusal with the audit record's reason, nothing for an admitted address, ConfigRefusals for
 * a broken setting, AuditFallbacks when the refusal's record cannot reach the table.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { DENIAL_REASONS } from "../../triggers/lib/metrics.ts";
import { createHandler } from "../../triggers/pre-sign-up/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const FUNCTION = "suite-PreSignUp-Z9y8X7";
const output = captureOutputOfEachTest();

const lambdaEnv = (sample: string) => ({
  ...sampleExpectation(sample).env,
  AWS_LAMBDA_FUNCTION_NAME: FUNCTION,
});

async function run(sample: string, store: AuditStore = new MemoryAuditStore(), email?: string | null) {
  const event = sampleEvent(sample);
  const attributes = event.request.userAttributes as Record<string, string>;
  if (email === null) delete attributes.email;
  else if (email !== undefined) attributes.email = email;
  await createHandler(lambdaEnv(sample), { auditStore: store })(event).catch(() => undefined);
  return output.metrics.names();
}

describe("pre sign-up metrics", () => {
  it.each([
    ["pre-sign-up/sign-up-refused-blocked-domain", ["SignUpDenied/domain-blocked"]],
    ["pre-sign-up/sign-up-refused-lookalike-domain", ["SignUpDenied/domain-not-allowed"]],
    ["pre-sign-up/sign-up-refused-cyrillic-lookalike", ["SignUpDenied/domain-not-allowed"]],
    ["pre-sign-up/external-provider-no-email", ["SignUpDenied/email-missing"]],
    ["pre-sign-up/sign-up-refused-invisible-joiner-local-part", ["SignUpDenied/email-invalid"]],
    ["pre-sign-up/sign-up-refused-invisible-tag-domain", ["SignUpDenied/email-invalid"]],
    ["pre-sign-up/external-provider-unverified-denied", ["SignUpDenied/email-unverified"]],
    ["pre-sign-up/external-provider-verified-missing-denied", ["SignUpDenied/email-unverified"]],
    ["pre-sign-up/external-provider-unverified-allowed", []],
    ["pre-sign-up/sign-up-allowed", []],
    ["pre-sign-up/admin-create-user", []],
    ["pre-sign-up/external-provider", []],
    // Refusing everyone for a bad setting is a configuration refusal, not a policy decision.
    ["pre-sign-up/invalid-domain-setting", ["ConfigRefusals"]],
  ])("%s: %j", async (sample, expected) => {
    expect(await run(sample)).toEqual(expected);
  });

  it("an unreadable address is counted as email-invalid", async () => {
    expect(await run("pre-sign-up/sign-up-allowed", new MemoryAuditStore(), "a@b@example.com")).toEqual([
      "SignUpDenied/email-invalid",
    ]);
  });

  it("a refusal line is exactly the EMF document, with both dimension sets", async () => {
    await run("pre-sign-up/sign-up-refused-blocked-domain");
    expect(output.metrics.documents()).toEqual([emfDocument("SignUpDenied", FUNCTION, "domain-blocked")]);
  });

  it("a refusal whose audit write fails still stands, counted as a denial and as a fallback", async () => {
    const failing: AuditStore = { put: async () => Promise.reject(new Error("ResourceNotFoundException")) };
    expect(await run("pre-sign-up/sign-up-refused-blocked-domain", failing)).toEqual([
      "AuditFallbacks",
      "SignUpDenied/domain-blocked",
    ]);
  });

  it("writes nothing outside Lambda", async () => {
    const { env } = sampleExpectation("pre-sign-up/sign-up-refused-blocked-domain");
    await createHandler(env, { auditStore: new MemoryAuditStore() })(
      sampleEvent("pre-sign-up/sign-up-refused-blocked-domain"),
    ).catch(() => undefined);
    expect(output.metrics.lines).toEqual([]);
  });

  it("no dimension value ever comes from the submitted address or user name", async () => {
    const sample = "pre-sign-up/sign-up-allowed";
    const handler = createHandler(lambdaEnv(sample), { auditStore: new MemoryAuditStore() });
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.emailAddress());
    await fc.assert(
      fc.asyncProperty(text, text, async (email, userName) => {
        output.metrics.lines.length = 0;
        const event = sampleEvent(sample);
        (event.request.userAttributes as Record<string, string>).email = email;
        event.userName = userName;
        await handler(event).catch(() => undefined);
        const docs = output.metrics.documents();
        expect(docs.length).toBeLessThanOrEqual(1);
        for (const doc of docs) {
          expect(DENIAL_REASONS.SignUpDenied).toContain(doc.Reason);
          expect(doc).toEqual(emfDocument("SignUpDenied", FUNCTION, doc.Reason));
        }
      }),
      { numRuns: 200 },
    );
  });
});
