/**
 * The custom senders in `cognito-triggers replay`: offline, the samples' codes (real Encryption SDK
 * messages under the stand-in key) are decrypted through the real SDK with KMS answered in process,
 * and sends are reported as effects naming the recipient, never the code. With --live, a sample whose
 * code is under the stand-in key is not run, and the output says why in plain words. Replaying a
 * sender's sample again sends again, which is not a retry problem for an asynchronous trigger.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { STAND_IN_KEY_ARN } from "../../cli/kms-stand-in.ts";
import { replay } from "../../cli/replay/run.ts";
import { EVENTS_DIR } from "../support/samples.ts";
import { SAMPLE_CODES } from "./support/sample-codes.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SENDER_DIRS = [join(EVENTS_DIR, "custom-email-sender"), join(EVENTS_DIR, "custom-sms-sender")];
const PLAINTEXTS = [...new Set(Object.values(SAMPLE_CODES).map((c) => c.plaintext))];

describe("offline replay of the sender samples", () => {
  it("decrypts every code, reports sends by recipient, and prints no code anywhere", async () => {
    const report = await replay(SENDER_DIRS, { baseEnv: { AWS_REGION: "eu-west-1", LOG_LEVEL: "DEBUG" } });
    expect(report.exitCode).toBe(0);
    expect(report.samples.map((s) => s.status).every((status) => status === "passed")).toBe(true);
    const sends = report.samples.flatMap((s) => s.effects ?? []).filter((e) => "email" in e || "text" in e);
    expect(sends.length).toBeGreaterThanOrEqual(14);
    const logsAndEffects = JSON.stringify(report.samples.map((s) => [s.logs, s.effects, s.mismatches]));
    for (const plaintext of PLAINTEXTS) expect(logsAndEffects).not.toContain(plaintext);
  });

  it("covers every source of both senders with a sample that is sent", async () => {
    const report = await replay(SENDER_DIRS, { baseEnv: { AWS_REGION: "eu-west-1" } });
    const sent = new Set(
      report.samples
        .filter((s) => (s.effects ?? []).some((e) => "email" in e || "text" in e))
        .map((s) => s.triggerSource),
    );
    expect(sent.size).toBe(15);
  });

  it("sends again when a sample is replayed again, with no retry mismatch", async () => {
    const report = await replay([join(EVENTS_DIR, "custom-email-sender/sign-up.json")], {
      baseEnv: { AWS_REGION: "eu-west-1" },
      repeat: 2,
    });
    expect(report.samples[0]?.mismatches).toEqual([]);
    expect(report.samples[0]?.attempts?.map((a) => a.effects)).toEqual([
      [{ email: "alex.morgan@example.com" }],
      [{ email: "alex.morgan@example.com" }],
    ]);
  });
});

describe("replay --live and the samples' codes", () => {
  it("does not run a sample whose code is under the stand-in key, and says why", async () => {
    const samples = [
      join(EVENTS_DIR, "custom-email-sender/sign-up.json"),
      join(EVENTS_DIR, "custom-sms-sender/authentication-japanese.json"),
    ];
    const report = await replay(samples, { live: true });
    expect(report.exitCode).toBe(0);
    for (const sample of report.samples) {
      expect(sample.status).toBe("skipped");
      expect(sample.outcome).toBeUndefined();
      expect(sample.skipped).toContain(`encrypted under the local KMS stand-in's key (${STAND_IN_KEY_ARN})`);
      expect(sample.skipped).toContain("which no real KMS key can decrypt");
    }
  });

  it("prints SKIPPED with the reason, exits 0", async () => {
    const env = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "bin/cognito-triggers.js"), "replay", "events/custom-sms-sender/sign-up.json", "--live"],
      { cwd: ROOT, env },
    );
    const lines = stdout.split("\n");
    expect(lines.find((l) => l.includes("sign-up.json"))).toMatch(
      /^SKIPPED +events\/custom-sms-sender\/sign-up\.json +CustomSMSSender_SignUp$/,
    );
    expect(stdout).toContain(
      "not replayed with --live: its code is encrypted under the local KMS stand-in's key",
    );
    expect(lines.at(-2)).toMatch(/0 as expected, 0 mismatched, 0 pending, 1 skipped$/);
  });
});
