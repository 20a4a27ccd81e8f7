/**
 * The welcome email goes only to an address its owner proved (proven-address.ts): verified, and not
 * by AUTO_CONFIRM. Post confirmation cannot tell an auto-confirmed sign-up from one confirmed with a
 * code (same triggerSource, same request), so with AUTO_CONFIRM=true no self sign-up is mailed, while a
 * federated user's provider-verified address still is.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingMailer } from "../../cli/replay/offline-services.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { provenAddress } from "../../triggers/post-confirmation/proven-address.ts";
import { createHandler } from "../../triggers/post-confirmation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const LOCAL = { email: "a@example.com", email_verified: "true", "cognito:user_status": "CONFIRMED" };
const FEDERATED = { ...LOCAL, "cognito:user_status": "EXTERNAL_PROVIDER" };

describe("provenAddress", () => {
  it.each([
    ["a verified self sign-up, AUTO_CONFIRM off", LOCAL, false, { to: "a@example.com" }],
    ["a verified self sign-up, AUTO_CONFIRM on", LOCAL, true, { unproven: "email-auto-verified" }],
    ["a provider-verified federated user, AUTO_CONFIRM on", FEDERATED, true, { to: "a@example.com" }],
    ["a provider-verified federated user, AUTO_CONFIRM off", FEDERATED, false, { to: "a@example.com" }],
    [
      "a federated user the provider did not verify",
      { ...FEDERATED, email_verified: "false" },
      false,
      { unproven: "email-unverified" },
    ],
    ["no email_verified", { email: "a@example.com" }, false, { unproven: "email-unverified" }],
    ['email_verified "TRUE"', { ...LOCAL, email_verified: "TRUE" }, false, { unproven: "email-unverified" }],
    [
      "a verified flag without an address",
      { email_verified: "true" },
      false,
      { unproven: "email-unverified" },
    ],
    [
      "no user status, AUTO_CONFIRM on",
      { email: "a@example.com", email_verified: "true" },
      true,
      { unproven: "email-auto-verified" },
    ],
  ])("%s", (_, attributes, autoConfirm, expected) => {
    expect(provenAddress(attributes, autoConfirm)).toEqual(expected);
  });

  it("names an address only when it is verified and, under AUTO_CONFIRM, federated (property)", () => {
    const value = fc.oneof(
      fc.constantFrom("true", "false", "EXTERNAL_PROVIDER", "CONFIRMED", ""),
      fc.string(),
    );
    const attributes = fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.string()),
        email_verified: value,
        "cognito:user_status": value,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(attributes, fc.boolean(), (attrs, autoConfirm) => {
        const result = provenAddress(attrs, autoConfirm);
        if (!("to" in result)) return;
        expect(attrs.email_verified).toBe("true");
        expect(result.to).toBe(attrs.email?.trim());
        expect(result.to).not.toBe("");
        if (autoConfirm) expect(attrs["cognito:user_status"]).toBe("EXTERNAL_PROVIDER");
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("post confirmation with AUTO_CONFIRM", () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  const run = async (sample: string, env: Record<string, string>) => {
    const mailer = new RecordingMailer();
    const auditStore = new MemoryAuditStore();
    const event = sampleEvent(sample);
    await expect(createHandler(env, { mailer, auditStore })(structuredClone(event))).resolves.toEqual(event);
    return {
      sent: mailer.sent.map((m) => m.to),
      records: [...auditStore.items.values()].map((r) => r.event),
    };
  };

  it("sends no welcome email to an auto-verified address, logs why, and still records the confirmation", async () => {
    const sample = "post-confirmation/confirm-sign-up-auto-verified";
    expect(await run(sample, sampleExpectation(sample).env)).toEqual({
      sent: [],
      records: ["SIGN_UP_CONFIRMED"],
    });
    expect(logs.parsed().find((l) => String(l.msg).startsWith("welcome email skipped"))).toMatchObject({
      level: "INFO",
      reason: "email-auto-verified",
    });
  });

  it("the same event with AUTO_CONFIRM off is mailed: only the setting tells them apart", async () => {
    const sample = "post-confirmation/confirm-sign-up-auto-verified";
    const env = { ...sampleExpectation(sample).env, AUTO_CONFIRM: "false" };
    expect((await run(sample, env)).sent).toEqual(["haruto.ito@example.com"]);
  });

  it("still mails a federated user whose provider verified the address", async () => {
    const sample = "post-confirmation/confirm-sign-up-federated-auto-confirm";
    expect((await run(sample, sampleExpectation(sample).env)).sent).toEqual(["kenji.sato@example.com"]);
  });

  it("never mails a federated address the provider did not verify", async () => {
    const sample = "post-confirmation/confirm-sign-up-federated-unverified";
    expect((await run(sample, sampleExpectation(sample).env)).sent).toEqual([]);
    expect(logs.parsed().find((l) => String(l.msg).startsWith("welcome email skipped"))).toMatchObject({
      reason: "email-unverified",
    });
  });

  it("fails closed on an invalid AUTO_CONFIRM, naming the key", async () => {
    const sample = "post-confirmation/confirm-sign-up";
    const handler = createHandler({ ...sampleExpectation(sample).env, AUTO_CONFIRM: "yes" });
    expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key: "AUTO_CONFIRM" })]);
    await expect(handler(sampleEvent(sample))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });
});
