/**
 * `npm run synth` (cdk.json: `npx tsx infra/app.ts`) with a configuration mistake: one line on stderr,
 * `cognito-trigger-suite: <reason>`, exit 1, no stack trace. The CDK CLI hands the app its context in
 * CDK_CONTEXT_JSON, as done here. Any other error keeps its stack.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { configurationErrorLine } from "../../infra/configuration-error.ts";
import { InvalidSettingsError } from "../../infra/settings.ts";
import { StackConfigError } from "../../infra/stack-config.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = join(ROOT, "node_modules/.bin/tsx");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "synth-config-"));
});

async function synth(configPath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CDK_CONTEXT_JSON: JSON.stringify({ config: configPath }),
    CDK_OUTDIR: join(dir, "cdk.out"),
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ["infra/app.ts"], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Config {
  settings: Record<string, unknown>;
  [key: string]: unknown;
}

async function configWith(name: string, change: (config: Config) => void): Promise<string> {
  const config = JSON.parse(await readFile(join(ROOT, "infra/config/example.json"), "utf8"));
  change(config);
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(config));
  return path;
}

describe("synth with a configuration mistake", () => {
  it("an invalid setting (InvalidSettingsError): one line naming it, exit 1", async () => {
    const path = await configWith("bad-domain.json", (c) => {
      c.settings.allowedEmailDomains = ["exa mple..com"];
    });
    const result = await synth(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'cognito-trigger-suite: CognitoTriggerSuite/Triggers: invalid settings: allowedEmailDomains (ALLOWED_EMAIL_DOMAINS) invalid item "exa mple..com": is not a domain name\n',
    );
  }, 60_000);

  it("a config file error (StackConfigError): one line, problems joined, exit 1", async () => {
    const path = await configWith("bad-mode.json", (c) => {
      c.settings.auditFailureMode = "sometimes";
      c.mfa = "NEVER";
    });
    const result = await synth(path);
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^cognito-trigger-suite: ${path.replaceAll(/[.\\/]/g, "\\$&")}: invalid configuration: .*auditFailureMode.*; .*mfa`,
      ),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("a missing or malformed config file: one line, exit 1", async () => {
    const malformed = join(dir, "malformed.json");
    await writeFile(malformed, "{ not json");
    for (const [path, reason] of [
      [join(dir, "missing.json"), "cannot read the configuration file"],
      [malformed, "not valid JSON"],
    ] as const) {
      const result = await synth(path);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^cognito-trigger-suite: [^\\n]*${reason}[^\\n]*\\n$`));
    }
  }, 60_000);
});

describe("configurationErrorLine", () => {
  it("joins the problems of a configuration error on one line", () => {
    expect(configurationErrorLine(new InvalidSettingsError("Suite/Triggers", ["a is wrong", "b too"]))).toBe(
      "cognito-trigger-suite: Suite/Triggers: invalid settings: a is wrong; b too",
    );
    expect(configurationErrorLine(new StackConfigError("x.json: not valid JSON (oops)"))).toBe(
      "cognito-trigger-suite: x.json: not valid JSON (oops)",
    );
  });

  it("leaves any other error to be reported with its stack", () => {
    expect(configurationErrorLine(new TypeError("bug"))).toBeUndefined();
    expect(configurationErrorLine("text")).toBeUndefined();
  });
});
