/**
 * `replay --update-expected` on temporary copies of samples: the diff is shown, then the expectation is
 * written from what the handler did (keeping an existing description and env), in the repository's own
 * layout, and the changed files are named. `replay --live`: a missing region or missing credentials is
 * one line and exit 2, and effects are said plainly not to be checked.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { replay } from "../../cli/replay/run.ts";
import { formatJson } from "../../cli/replay/update-expected.ts";
import { defineTrigger } from "../../triggers/lib/define-trigger.ts";
import { EVENTS_DIR } from "../support/samples.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Copies samples ("<trigger>/<case>") into a temporary directory, with or without their expectations. */
async function copySamples(names: string[], options: { expectations?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "replay-update-"));
  for (const name of names) {
    const base = name.split("/")[1] as string;
    await copyFile(join(EVENTS_DIR, `${name}.json`), join(dir, `${base}.json`));
    if (options.expectations !== false) {
      await copyFile(join(EVENTS_DIR, `${name}.expected.json`), join(dir, `${base}.expected.json`));
    }
  }
  return dir;
}

const original = (name: string) => readFile(join(EVENTS_DIR, `${name}.expected.json`), "utf8");

describe("replay --update-expected", () => {
  it("shows the diff, then writes the expectation back to what the handler does, and names the file", async () => {
    const dir = await copySamples([
      "pre-sign-up/sign-up-allowed",
      "pre-sign-up/sign-up-refused-blocked-domain",
    ]);
    // A stale expectation: the handler auto-verifies the email, the file says it does not.
    const stale = JSON.parse(await original("pre-sign-up/sign-up-allowed"));
    stale.result.response.autoVerifyEmail = false;
    stale.effects = [{ audit: "SIGN_UP_DENIED", outcome: "denied" }];
    await writeFile(join(dir, "sign-up-allowed.expected.json"), JSON.stringify(stale));
    const untouched = await stat(join(dir, "sign-up-refused-blocked-domain.expected.json"));

    const { code, stdout } = await run(["replay", dir, "--update-expected"]);
    expect(code).toBe(0);
    const diff = stdout.indexOf("- response.autoVerifyEmail: expected false, got true");
    const written = stdout.indexOf(`updated ${join(dir, "sign-up-allowed.expected.json")}`);
    expect(diff).toBeGreaterThan(-1);
    expect(written).toBeGreaterThan(diff);
    expect(stdout.trim().split("\n").at(-1)).toBe("1 expected file written");
    // Back to the repository's file, byte for byte: description and env kept, result and effects
    // (none: an allowed sign-up writes nothing) from the handler, the same layout.
    const fixed = JSON.parse(await readFile(join(dir, "sign-up-allowed.expected.json"), "utf8"));
    expect(fixed.description).toBe(stale.description);
    expect(fixed.env).toEqual(stale.env);
    expect(fixed.effects).toEqual([]);
    const { effects: _, ...withoutEffects } = fixed;
    expect(formatJson(withoutEffects)).toBe(await original("pre-sign-up/sign-up-allowed"));
    // An expectation that already matched is not rewritten.
    expect((await stat(join(dir, "sign-up-refused-blocked-domain.expected.json"))).mtimeMs).toBe(
      untouched.mtimeMs,
    );

    const again = await run(["replay", dir, "--update-expected"]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split("\n").at(-1)).toBe("no expected file changed");
  });

  it("records an error and its effects in place of a result", async () => {
    const dir = await copySamples(["pre-sign-up/sign-up-refused-blocked-domain"]);
    const path = join(dir, "sign-up-refused-blocked-domain.expected.json");
    const stale = JSON.parse(await original("pre-sign-up/sign-up-refused-blocked-domain"));
    const { error, effects, ...rest } = stale;
    await writeFile(path, JSON.stringify({ ...rest, result: { stale: true } }));
    const { code, stdout } = await run(["replay", dir, "--update-expected"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`- expected a result, got the error ${JSON.stringify(error)}`);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ ...rest, error, effects });
  });

  it("creates a missing expectation with the trigger's own configuration only", async () => {
    const dir = await copySamples(["post-confirmation/confirm-sign-up"], { expectations: false });
    const expected = JSON.parse(await original("post-confirmation/confirm-sign-up"));
    await writeFile(
      join(dir, "suite.env"),
      [
        ...Object.entries(expected.env as Record<string, string>).map(([k, v]) => `${k}=${v}`),
        "AWS_SECRET_ACCESS_KEY=never-copied",
        "ALLOWED_EMAIL_DOMAINS=example.com",
        "",
      ].join("\n"),
    );
    const env = { ...process.env, LOG_LEVEL: "ERROR", AWS_PROFILE: "never-copied" };
    const first = await run(
      [
        "replay",
        join(dir, "confirm-sign-up.json"),
        "--env-file",
        join(dir, "suite.env"),
        "--update-expected",
      ],
      env,
    );
    expect(first.stdout).toContain("RETURNED");
    expect(first.stdout).toContain(`created ${join(dir, "confirm-sign-up.expected.json")}`);
    expect(first.code).toBe(0);

    const created = JSON.parse(await readFile(join(dir, "confirm-sign-up.expected.json"), "utf8"));
    expect(created).toEqual({ env: expected.env, result: expected.result, effects: expected.effects });
    expect(JSON.stringify(created)).not.toContain("never-copied");
    // The new sample replays the same without the env file.
    const replayed = await run(["replay", join(dir, "confirm-sign-up.json")]);
    expect(replayed.stdout).toContain("PASS");
    expect(replayed.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      "confirm-sign-up.expected.json",
      "confirm-sign-up.json",
      "suite.env",
    ]);
  });

  it("is refused with --live", async () => {
    const { code, stderr } = await run(["replay", "events/pre-sign-up", "--update-expected", "--live"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/--update-expected cannot be used with --live/);
  });
});

/** No AWS access here: an environment with nothing the SDK could find credentials or a region in. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    AWS_EC2_METADATA_DISABLED: "true",
  };
  env.AWS_CONFIG_FILE = join(tmpdir(), "no-such-aws-config");
  env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), "no-such-aws-credentials");
  return { ...env, ...extra };
}

describe("replay --live", () => {
  it.each([
    ["no region", bareEnv(), /^cognito-triggers: replay --live needs an AWS region: set AWS_REGION/],
    [
      "no credentials",
      bareEnv({ AWS_REGION: "eu-west-1" }),
      /^cognito-triggers: replay --live found no AWS credentials/,
    ],
  ])("exits 2 with one line when there is %s, before any sample runs", async (_, env, message) => {
    const { code, stdout, stderr } = await run(["replay", "events/post-confirmation", "--live"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });

  it("says plainly that effects are not checked, and reports a sample's effects as unchecked, not PASS", async () => {
    // Pre token generation calls no AWS service: the live run needs credentials, but no network.
    const dir = await copySamples([
      "pre-token-generation/authentication-v2",
      "pre-token-generation/authentication-v1",
    ]);
    const path = join(dir, "authentication-v2.expected.json");
    await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, "utf8")), effects: [] }));
    const env = bareEnv({
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });

    const { code, stdout } = await run(["replay", dir, "--live"], env);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(
      "effects are not checked with --live: results are compared, what the handlers wrote to DynamoDB or sent with SES is not",
    );
    expect(lines.find((l) => l.includes("authentication-v2.json"))).toMatch(
      /^UNCHECKED .*TokenGeneration_Authentication \(effects not checked with --live\)$/,
    );
    expect(lines.find((l) => l.includes("authentication-v1.json"))).toMatch(/^PASS /);
    expect(lines.at(-2)).toMatch(/1 as expected, 0 mismatched, 1 result as expected with effects unchecked/);
    expect(code).toBe(0);

    const json = await run(["replay", dir, "--live", "--json"], env);
    const report = JSON.parse(json.stdout);
    expect(report.effectsChecked).toBe(false);
    expect(report.samples.map((s: { effectsChecked?: boolean }) => s.effectsChecked)).toEqual([
      undefined,
      false,
    ]);
  });

  it("marks, in the report, a live sample whose expected effects went unchecked", async () => {
    const event = {
      version: "1",
      triggerSource: "PostAuthentication_Authentication",
      region: "eu-west-1",
      userPoolId: "eu-west-1_Ab12Cd34E",
      userName: "taro",
      callerContext: { clientId: "c" },
      request: { userAttributes: { sub: "s" }, newDeviceUsed: false },
      response: {},
    };
    const dir = await mkdtemp(join(tmpdir(), "replay-live-"));
    await writeFile(join(dir, "case.json"), JSON.stringify(event));
    await writeFile(
      join(dir, "case.expected.json"),
      JSON.stringify({ result: event, effects: [{ audit: "SIGNED_IN", outcome: "success" }] }),
    );
    const echo = defineTrigger({ trigger: "post-authentication", config: {}, handle: async (e) => e });
    const live = await replay([dir], { live: true, loadTrigger: async () => echo });
    expect(live.samples[0]).toMatchObject({ status: "passed", effectsUnchecked: true });
    expect(live.samples[0]?.effects).toBeUndefined();
    // Offline, the same expectation is checked, and fails: the echo handler audits nothing.
    const offline = await replay([dir], { loadTrigger: async () => echo });
    expect(offline.samples[0]?.status).toBe("failed");
    expect(offline.samples[0]?.effectsUnchecked).toBeUndefined();
  });
});
