/**
 * The hostile corpus through the `cognito-triggers replay` binary, as a developer replays a captured
 * event: each malformed event is replayed without a crash (exit 1, because events without an
 * expectation that are rejected count as failures), every rejection reads exactly as Cognito would
 * report it, input the CLI cannot use at all exits 2 with one line per file, and the planted password
 * is printed nowhere: not in results, JSON output, logs, or the reasons given for unusable files; nor is
 * a custom sender's decrypted code (effects name the recipient only).
 * (Client metadata values and an identity provider's tokens are printed with the event they belong
 * to, which is the developer's own; the handlers' log lines keep neither.)
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIGGERS } from "../../triggers/lib/events.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";
import { ALLOWED_MESSAGES } from "./hostile/check.ts";
import {
  BASES,
  type HostileCase,
  hostileCorpus,
  PLANTED_CODE,
  PLANTED_METADATA,
  PLANTED_PASSWORD,
  PLANTED_TOKEN,
} from "./hostile/corpus.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The sample of each trigger whose variants the CLI replays (see cliCorpus). */
const REPLAYED = [...new Set(BASES.map((b) => b.trigger))].map((trigger) =>
  trigger === "user-migration"
    ? "user-migration/forgot-password"
    : (BASES.find((b) => b.trigger === trigger)?.sample as string),
);

/** One configuration for the replayed samples of every trigger (their settings do not collide). */
function envFile(): string {
  const env = Object.assign({}, ...REPLAYED.map((sample) => sampleExpectation(sample).env)) as Record<
    string,
    string
  >;
  return Object.entries(env)
    .map(([key, value]) => `${key}='${value}'`)
    .join("\n");
}

/**
 * The corpus the CLI replays: every variant of one sample per trigger, migration through forgot-password
 * (the sign-in variants would each verify a cost-10 bcrypt hash) plus a few sign-ins; variants of a
 * megabyte are kept to those where the size itself is the point (a password, a user name).
 */
function cliCorpus(): HostileCase[] {
  const firstOfEach = new Set(REPLAYED);
  const signIns = [
    "the sample as is",
    "password huge",
    "password an object",
    "userName huge",
    "request null",
  ];
  return hostileCorpus().filter((c) => {
    const [sample = "", variant = ""] = c.name.split(": ");
    const chosen =
      firstOfEach.has(sample) || (sample === "user-migration/authentication" && signIns.includes(variant));
    // The CLI refuses a file nested deeper than any event (cognito-triggers replay's own rule, tested
    // below); the handler's answer to one is hostile-events.test.ts's.
    const nestedTooDeep = variant.includes("objects deep");
    return (
      chosen &&
      !nestedTooDeep &&
      (c.json.length < 200_000 || variant.startsWith("password") || variant.startsWith("userName"))
    );
  });
}

const COGNITO_ERROR = new RegExp(
  `^(${Object.values(TRIGGERS)
    .map((t) => t.errorPrefix)
    .join("|")}) failed with error (.*)\\.$`,
);

describe("cognito-triggers replay on malformed events", () => {
  let dir: string;
  let cases: HostileCase[];
  let usable: HostileCase[];
  type Run = Awaited<ReturnType<typeof run>>;
  let asJson: Run;
  let asText: Run;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hostile-replay-"));
    cases = cliCorpus();
    await writeFile(join(dir, "suite.env"), envFile());
    await mkdir(join(dir, "events"));
    await Promise.all(
      cases.map((c, i) => writeFile(join(dir, "events", `${String(i).padStart(4, "0")}.json`), c.json)),
    );
    // What the CLI itself can route: an object whose triggerSource names a trigger.
    usable = cases.filter((c) => {
      const event = c.event as { triggerSource?: unknown } | null;
      const source =
        typeof event === "object" && event !== null && !Array.isArray(event)
          ? event.triggerSource
          : undefined;
      return Object.values(TRIGGERS).some((t) => (t.sources as readonly unknown[]).includes(source));
    });
    const replayCorpus = (...options: string[]) =>
      run(["replay", join(dir, "events"), "--env-file", join(dir, "suite.env"), ...options]);
    [asJson, asText] = await Promise.all([
      replayCorpus("--json", "--logs"),
      replayCorpus("--full", "--logs"),
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replays every routable event as Cognito would answer it, and lists the rest as unusable (exit 2)", async () => {
    const { code, stdout, stderr } = asJson;
    expect(code).toBe(2);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as {
      exitCode: number;
      samples: { path: string; status: string; error?: string; logs: string[] }[];
      unusable: { path: string; reason: string }[];
    };
    expect(report.samples).toHaveLength(usable.length);
    expect(report.unusable).toHaveLength(cases.length - usable.length);
    expect(usable.length).toBeGreaterThan(400);
    for (const sample of report.samples) {
      expect(["returned", "rejected"]).toContain(sample.status);
      if (sample.error === undefined) continue;
      const [, prefix, message] = COGNITO_ERROR.exec(sample.error) ?? [];
      const trigger = Object.entries(TRIGGERS).find(([, t]) => t.errorPrefix === prefix)?.[0];
      expect(ALLOWED_MESSAGES[trigger as keyof typeof ALLOWED_MESSAGES]).toContain(message);
    }
    expect(stdout).not.toContain(PLANTED_PASSWORD);
    expect(stdout).not.toContain(PLANTED_CODE);
    const logs = report.samples.flatMap((s) => s.logs).join("\n");
    expect(logs).not.toContain(PLANTED_METADATA);
    expect(logs).not.toContain(PLANTED_TOKEN);
  });

  it("prints whole events and logs in human form without a crash, a stack trace or the password", async () => {
    const { code, stdout, stderr } = asText;
    expect(code).toBe(2);
    const output = stdout + stderr;
    expect(output).toMatch(
      /replayed \d+ samples: 0 as expected, 0 mismatched, \d+ rejected without expectation/,
    );
    expect(output).not.toContain("internal error");
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain(PLANTED_PASSWORD);
    expect(output).not.toContain(PLANTED_CODE);
  });

  it("gives one line per unusable file, exit 2, and never quotes the password from a broken file", async () => {
    const valid = JSON.stringify(sampleEvent("post-authentication/sign-in"));
    const deep = `${'{"a":'.repeat(5_000)}"${PLANTED_PASSWORD}"${"}".repeat(5_000)}`;
    const files: Record<string, string> = {
      "unquoted-password.json": `{"triggerSource":"UserMigration_Authentication","request":{"password":${PLANTED_PASSWORD}}}`,
      "truncated.json": `{"triggerSource":"UserMigration_Authentication","request":{"password":"${PLANTED_PASSWORD}`,
      "empty.json": "",
      "null.json": "null",
      "array.json": `[${valid}]`,
      "string.json": `"${PLANTED_PASSWORD}"`,
      "number.json": "42",
      "no-trigger-source.json": `{"request":{"password":"${PLANTED_PASSWORD}"}}`,
      "trigger-source-number.json": '{"triggerSource":7,"request":{}}',
      "unknown-trigger-source.json": '{"triggerSource":"PreFlight_Check","request":{}}',
      "trigger-source-in-proto.json": '{"__proto__":{"triggerSource":"PreSignUp_SignUp"},"request":{}}',
      "nested-too-deep.json": `{"triggerSource":"PostAuthentication_Authentication","userPoolId":"p","request":${deep}}`,
      "broken-expectation.json": valid,
      "broken-expectation.expected.json": `{"result":{"request":{"password":${PLANTED_PASSWORD}}}}`,
      "two-outcomes.json": valid,
      "two-outcomes.expected.json": '{"result":{},"error":"x"}',
      "env-not-text.json": valid,
      "env-not-text.expected.json": '{"env":{"AUDIT_RETENTION_DAYS":400},"result":{}}',
    };
    const unusable = await mkdtemp(join(tmpdir(), "unusable-replay-"));
    try {
      for (const [name, text] of Object.entries(files)) await writeFile(join(unusable, name), text);
      const { code, stdout, stderr } = await run(["replay", unusable]);
      expect(code).toBe(2);
      const lines = stderr.trim().split("\n");
      const broken = Object.keys(files).filter((name) => !name.endsWith(".expected.json"));
      expect(lines).toHaveLength(broken.length);
      for (const line of lines) expect(line).toMatch(/^UNUSABLE \S+\.json: \S/);
      expect(stdout + stderr).not.toContain(PLANTED_PASSWORD);
      expect(stdout + stderr).not.toContain(PLANTED_PASSWORD.slice(0, 10));
      expect(stdout + stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      await rm(unusable, { recursive: true, force: true });
    }
  });
});
