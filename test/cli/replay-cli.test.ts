/** The `cognito-triggers` binary as a developer runs it: exit codes, one-line reasons, no secrets. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { replay } from "../../cli/replay/run.ts";
import { defineTrigger } from "../../triggers/lib/define-trigger.ts";
import { UserFacingError } from "../../triggers/lib/errors.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function scratch(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "replay-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe("cognito-triggers replay", () => {
  it("replays events/ with exit 0 and lists pending samples as pending", async () => {
    const { code, stdout } = await run(["replay", "events/"]);
    expect(code).toBe(0);
    const summary = stdout.trim().split("\n").at(-1) ?? "";
    const count = Number(/replayed (\d+) samples/.exec(summary)?.[1]);
    expect(count).toBeGreaterThanOrEqual(25);
    expect(summary).toContain("0 mismatched");
  });

  it.each([
    ["malformed JSON", { "bad.json": "{ not json" }, "bad.json", /invalid JSON/],
    [
      "an unknown triggerSource",
      { "odd.json": '{"triggerSource":"PreFlight_Check","request":{}}' },
      "odd.json",
      /unknown triggerSource "PreFlight_Check"/,
    ],
  ])("exits 2 on %s with a one-line reason and no stack trace", async (_, files, name, reason) => {
    const dir = await scratch(files);
    const { code, stdout, stderr } = await run(["replay", join(dir, name)]);
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });

  it("reads samples, expectations and env files saved with a UTF-8 byte-order mark", async () => {
    const BOM = "\uFEFF";
    const sample = await readFile(join(ROOT, "events/post-authentication/sign-in.json"), "utf8");
    const expected = JSON.parse(
      await readFile(join(ROOT, "events/post-authentication/sign-in.expected.json"), "utf8"),
    ) as { env: Record<string, string> };
    const { env, ...withoutEnv } = expected;
    const dir = await scratch({
      "sign-in.json": BOM + sample,
      "sign-in.expected.json": BOM + JSON.stringify(withoutEnv),
      // The configuration comes from the env file alone: a BOM glued to its first key would leave
      // AUDIT_TABLE_NAME unset and the handler refusing every sign-in.
      "suite.env":
        BOM +
        Object.entries(env)
          .map(([key, value]) => `${key}=${value}\n`)
          .join(""),
    });
    expect(Object.keys(env)[0]).toBe("AUDIT_TABLE_NAME");
    const { code, stdout } = await run(["replay", dir, "--env-file", join(dir, "suite.env")]);
    expect(stdout).toContain("PASS");
    expect(code).toBe(0);
  });

  it("exits 2 on a missing path with a one-line reason and no stack trace", async () => {
    const { code, stderr } = await run(["replay", "events/no-such-dir"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("UNUSABLE events/no-such-dir: no such file or directory");
  });

  it("exits 2 on bad usage", async () => {
    expect((await run(["replay"])).code).toBe(2);
    expect((await run(["replay", "--nope", "events"])).code).toBe(2);
    expect((await run(["unknown-command"])).code).toBe(2);
  });

  it("prints the returned response and the error line as Cognito reports it", async () => {
    const { stdout } = await run(["replay", "events/"]);
    for (const line of stdout.split("\n").filter((l) => l.includes("error: "))) {
      expect(line).toMatch(
        /error: (PreSignUp|CustomMessage|PreAuthentication|PostAuthentication|PostConfirmation|PreTokenGeneration|UserMigration|InboundFederation) failed with error .*[^.]\.$/,
      );
    }
  });
});

describe("replay comparison", () => {
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
  const echo = defineTrigger({ trigger: "post-authentication", config: {}, handle: async (e) => e });
  const refuse = defineTrigger({
    trigger: "post-authentication",
    config: {},
    handle: async () => {
      throw new UserFacingError("No");
    },
  });

  it("reports a mismatch as a readable diff and exit 1", async () => {
    const dir = await scratch({
      "case.json": JSON.stringify(event),
      "case.expected.json": JSON.stringify({ result: { ...event, response: { surprise: true } } }),
    });
    const report = await replay([dir], { loadTrigger: async () => echo });
    expect(report.exitCode).toBe(1);
    expect(report.samples[0]?.mismatches).toEqual(["response.surprise: missing, expected true"]);
  });

  it("passes a matching expected error, and fails an unexpected rejection", async () => {
    const dir = await scratch({
      "refused.json": JSON.stringify(event),
      "refused.expected.json": JSON.stringify({ error: "PostAuthentication failed with error No." }),
    });
    expect((await replay([dir], { loadTrigger: async () => refuse })).exitCode).toBe(0);
    const noExpectation = await scratch({ "raw.json": JSON.stringify(event) });
    const report = await replay([noExpectation], { loadTrigger: async () => refuse });
    expect(report.samples[0]?.status).toBe("rejected");
    expect(report.exitCode).toBe(1);
  });
});
