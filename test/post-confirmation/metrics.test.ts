/**
 * Post confirmation's metrics, as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set):
 * WelcomeEmailsSent or WelcomeEmailsFailed for each welcome email tried, nothing when none is due,
 * AuditFallbacks when the claim or the failure record misses the table.
 */
import { describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import type { Mailer, Services } from "../../triggers/lib/services.ts";
import { createHandler } from "../../triggers/post-confirmation/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const FUNCTION = "suite-PostConfirmation-K7j8H9";
const SAMPLE = "post-confirmation/confirm-sign-up";
const ENV = { ...sampleExpectation(SAMPLE).env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION };
const accepting: Mailer = { send: async () => {} };
const rejecting: Mailer = { send: async () => Promise.reject(new Error("MessageRejected")) };
const failing: AuditStore = { put: () => Promise.reject(new Error("ServiceUnavailable")) };

const output = captureOutputOfEachTest();

async function run(services: Services, options: { env?: Record<string, string>; sample?: string } = {}) {
  const handler = createHandler(options.env ?? ENV, { auditStore: new MemoryAuditStore(), ...services });
  // Post confirmation never fails the user, whatever happens.
  await expect(handler(sampleEvent(options.sample ?? SAMPLE))).resolves.toBeDefined();
  return output.metrics.names();
}

describe("post confirmation metrics", () => {
  it("counts a sent welcome email as WelcomeEmailsSent, in exactly the EMF document", async () => {
    await run({ mailer: accepting });
    expect(output.metrics.documents()).toEqual([emfDocument("WelcomeEmailsSent", FUNCTION)]);
  });

  it("counts a refused send as WelcomeEmailsFailed", async () => {
    expect(await run({ mailer: rejecting })).toEqual(["WelcomeEmailsFailed"]);
  });

  it("sends without a claim when the claim cannot be written: a fallback, then the send", async () => {
    expect(await run({ mailer: accepting, auditStore: failing })).toEqual([
      "AuditFallbacks",
      "WelcomeEmailsSent",
    ]);
  });

  it("a failed send whose failure record cannot be written either counts both", async () => {
    expect(await run({ mailer: rejecting, auditStore: failing })).toEqual([
      "AuditFallbacks",
      "WelcomeEmailsFailed",
      "AuditFallbacks",
    ]);
  });

  it("counts nothing when no email is due: a retry, a password reset, welcome email off", async () => {
    const store = new MemoryAuditStore();
    const handler = createHandler(ENV, { auditStore: store, mailer: accepting });
    await handler(sampleEvent(SAMPLE));
    output.metrics.lines.length = 0;
    await handler(sampleEvent(SAMPLE)); // the claim is taken: Cognito's retry
    expect(output.metrics.names()).toEqual([]);

    expect(await run({ mailer: accepting }, { sample: "post-confirmation/confirm-forgot-password" })).toEqual(
      [],
    );
    const welcomeOff = "post-confirmation/confirm-sign-up-welcome-disabled";
    expect(
      await run(
        { mailer: accepting },
        {
          sample: welcomeOff,
          env: { ...sampleExpectation(welcomeOff).env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION },
        },
      ),
    ).toEqual([]);
  });

  it("counts nothing for an error it swallows: UnexpectedErrors is for answers with the generic message", async () => {
    const brokenClock = () => {
      throw new Error("clock unavailable");
    };
    expect(await run({ mailer: accepting, now: brokenClock })).toEqual([]);
    expect(
      output.logs.parsed().some((line) => line.msg === "post confirmation failed; the user stays confirmed"),
    ).toBe(true);
  });

  it("writes nothing outside Lambda", async () => {
    const { AWS_LAMBDA_FUNCTION_NAME: _, ...local } = ENV;
    await run({ mailer: rejecting, auditStore: failing }, { env: local });
    expect(output.metrics.lines).toEqual([]);
  });
});
