/**
 * `cognito-triggers generate-event`: for every triggerSource and version, an event in the shape of the
 * repository's samples (no field they lack, none they all have left out), with Cognito's pre-filled
 * response, that the suite's own handler takes without refusing it as malformed; stable output, ids
 * of the right form, one-line usage errors.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  GENERATE_EVENT_OPTIONS,
  GENERATE_EVENT_USAGE,
  generateEventCommand,
} from "../../cli/generate-event/command.ts";
import {
  generateEvent,
  seededIdentity,
  TRIGGER_SOURCES,
  versionsOf,
} from "../../cli/generate-event/templates.ts";
import { optionNames } from "../../cli/options.ts";
import { createOfflineServices } from "../../cli/replay/offline-services.ts";
import { loadTrigger } from "../../cli/triggers.ts";
import { UsageError } from "../../cli/usage-error.ts";
import { MalformedEventError } from "../../triggers/lib/errors.ts";
import { isRecord, type TriggerName, triggerForSource } from "../../triggers/lib/events.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { EVENTS_DIR } from "../support/samples.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");

/** The smallest valid configuration of each trigger (the keys its samples' "env" must set). */
const MINIMAL_ENV: Record<TriggerName, Record<string, string>> = {
  "pre-sign-up": { ALLOWED_EMAIL_DOMAINS: "example.com", AUDIT_TABLE_NAME: "audit" },
  "custom-message": { APP_NAME: "Acme Notes" },
  "pre-authentication": {},
  "post-authentication": { AUDIT_TABLE_NAME: "audit" },
  "post-confirmation": { APP_NAME: "Acme Notes", AUDIT_TABLE_NAME: "audit" },
  "pre-token-generation": { CLAIMS_CONFIG: "{}" },
  "user-migration": { LEGACY_USERS_TABLE_NAME: "legacy-users", AUDIT_TABLE_NAME: "audit" },
};

const CASES = TRIGGER_SOURCES.flatMap((source) =>
  versionsOf(source).map((version) => [source, version] as const),
);

/** What generate-event prints, parsed, by calling the command as main.ts does. */
async function printed(args: string[]): Promise<{ code: number; stdout: string }> {
  const logs = captureLogs();
  try {
    const code = await generateEventCommand(args);
    return { code, stdout: logs.lines.join("\n") };
  } finally {
    logs.restore();
  }
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every key path of a JSON value ("request.userAttributes.email"; array items as "[]"). */
function paths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => paths(item, `${prefix}[]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return [path, ...paths(v, path)];
  });
}

/** The repository's samples of `source` in `version` (user token sources have no V3 samples: V2, the same shape). */
function samplesOf(source: string, version: string): Record<string, unknown>[] {
  const trigger = triggerForSource(source) as TriggerName;
  const dir = join(EVENTS_DIR, trigger);
  const wanted =
    source.startsWith("TokenGeneration_") && source !== "TokenGeneration_ClientCredentials" && version === "3"
      ? "2"
      : version;
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>)
    .filter((event) => event.triggerSource === source && String(event.version) === wanted);
}

/** Paths a sample may have or not as Cognito's callers choose: attributes, metadata, validation data. */
const OPTIONAL = /^request\.(userAttributes\.|validationData\.|clientMetadata(\.|$))/;
const ATTRIBUTE = /^request\.userAttributes\./;

/** The attribute names of every sample of `trigger`: a user's attributes do not depend on the source. */
function attributesOf(trigger: TriggerName): Set<string> {
  const dir = join(EVENTS_DIR, trigger);
  return new Set(
    readdirSync(dir)
      .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
      .flatMap((name) => paths(JSON.parse(readFileSync(join(dir, name), "utf8"))))
      .filter((path) => ATTRIBUTE.test(path)),
  );
}

describe("generate-event templates", () => {
  it.each(CASES)("%s version %s has the shape of the repository's samples", (source, version) => {
    const generated = generateEvent(source, version, seededIdentity("shape"));
    const samples = samplesOf(source, version);
    expect(samples.length).toBeGreaterThan(0);
    const sampled = samples.map((s) => new Set(paths(s)));
    const anySample = new Set([
      ...sampled.flatMap((s) => [...s]),
      ...attributesOf(triggerForSource(source) as TriggerName),
    ]);
    const everySample = [...anySample].filter((p) => sampled.every((s) => s.has(p)) && !OPTIONAL.test(p));
    expect(everySample).toContain("request");
    const own = paths(generated);
    // No invented field, and nothing left out that every sample of this source carries.
    expect(own.filter((p) => !anySample.has(p))).toEqual([]);
    expect(everySample.filter((p) => !own.includes(p) && !p.startsWith("response."))).toEqual([]);
    expect((generated as { version: string }).version).toBe(version);
  });

  it.each(CASES)("%s version %s has its response pre-filled as Cognito sends it", (source, version) => {
    const { response } = generateEvent(source, version, seededIdentity("response")) as {
      response: Record<string, unknown>;
    };
    for (const value of Object.values(response)) expect([null, false]).toContain(value);
  });

  it.each(CASES)(
    "%s version %s is taken by the suite's own handler, not refused as malformed",
    async (source, version) => {
      const trigger = triggerForSource(source) as TriggerName;
      const createHandler = await loadTrigger(trigger);
      expect(createHandler).toBeDefined();
      const event = generateEvent(source, version, seededIdentity(`${source}-${version}`));
      const logs = captureLogs();
      let outcome: unknown;
      try {
        const handler = createHandler?.(MINIMAL_ENV[trigger], createOfflineServices().services);
        outcome = await handler?.(structuredClone(event), { awsRequestId: "generate-event-test" }).catch(
          (error: unknown) => error,
        );
      } finally {
        logs.restore();
      }
      expect(logs.lines.join("\n")).not.toContain("malformed event refused");
      expect(logs.lines.join("\n")).not.toContain("configuration invalid");
      if (outcome instanceof Error) {
        expect(outcome.cause).not.toBeInstanceOf(MalformedEventError);
        // Only user migration may refuse: the generated user is not in the offline legacy directory.
        expect(trigger).toBe("user-migration");
      } else {
        expect(outcome).toMatchObject({ triggerSource: source, version });
      }
    },
  );
});

describe("cognito-triggers generate-event", () => {
  it("prints the same pretty JSON every time, and other ids for --seed", async () => {
    const first = await printed(["PreSignUp_SignUp"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('\n  "triggerSource": "PreSignUp_SignUp",\n');
    expect(await printed(["PreSignUp_SignUp"])).toEqual(first);
    const seeded = await printed(["PreSignUp_SignUp", "--seed", "7"]);
    expect(seeded).toEqual(await printed(["PreSignUp_SignUp", "--seed", "7"]));
    expect(seeded.stdout).not.toEqual(first.stdout);
  });

  it.each(["default", "a", "b", "seed with spaces"])("gives plausible ids (seed %s)", async (seed) => {
    const args =
      seed === "default"
        ? ["TokenGeneration_RefreshTokens"]
        : ["TokenGeneration_RefreshTokens", "--seed", seed];
    const event = JSON.parse((await printed(args)).stdout);
    expect(event.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    expect(event.userPoolId).toMatch(new RegExp(`^${event.region}_[A-Za-z0-9]{9}$`));
    expect(event.callerContext.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(event.request.userAttributes.sub).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event.userName).toBe(event.request.userAttributes.sub);
  });

  it("defaults pre token generation to V2 (the CDK app's V2_0) and takes --version 1 and 3", async () => {
    const version = async (args: string[]) => JSON.parse((await printed(args)).stdout);
    const v2 = await version(["TokenGeneration_Authentication"]);
    expect(v2.version).toBe("2");
    expect(v2.response).toEqual({ claimsAndScopeOverrideDetails: null });
    const v1 = await version(["TokenGeneration_Authentication", "--version", "1"]);
    expect(v1.response).toEqual({ claimsOverrideDetails: null });
    expect(v1.request.scopes).toBeUndefined();
    expect((await version(["TokenGeneration_Authentication", "--version", "3"])).version).toBe("3");
    expect((await version(["TokenGeneration_ClientCredentials"])).version).toBe("3");
    expect((await version(["PreSignUp_SignUp", "--version", "1"])).version).toBe("1");
  });

  it.each([
    [["PreSignUp_SignUp", "--version", "2"], /^--version: PreSignUp_SignUp events exist only as version 1$/],
    [["TokenGeneration_ClientCredentials", "--version", "1"], /exist only as version 3$/],
    [["TokenGeneration_Authentication", "--version", "4"], /are version 1, 2 or 3$/],
    [["PreSignup_Signup"], /^unknown triggerSource "PreSignup_Signup": did you mean PreSignUp_SignUp\?$/],
    [["TokenGeneration_Refresh"], /did you mean TokenGeneration_RefreshTokens\?$/],
    [["user-migration"], /did you mean UserMigration_Authentication\?$/],
    [[], /needs exactly one triggerSource/],
  ])("refuses %j with a usage error", async (args, message) => {
    const attempt = printed(args);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("lists every option and every triggerSource in --help", async () => {
    const help = await printed(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(GENERATE_EVENT_USAGE);
    for (const name of optionNames(GENERATE_EVENT_OPTIONS)) expect(GENERATE_EVENT_USAGE).toContain(name);
    for (const source of TRIGGER_SOURCES) expect(GENERATE_EVENT_USAGE).toContain(source);
    expect(Math.max(...GENERATE_EVENT_USAGE.split("\n").map((line) => line.length))).toBeLessThanOrEqual(110);
  });
});

describe("the cognito-triggers binary", () => {
  it("prints the generated event on stdout, nothing on stderr", async () => {
    for (const source of [
      "PreSignUp_ExternalProvider",
      "TokenGeneration_HostedAuth",
      "UserMigration_ForgotPassword",
    ]) {
      const { code, stdout, stderr } = await run(["generate-event", source]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ triggerSource: source });
    }
  });

  it("exits 2 with one line naming the unknown triggerSource and the closest valid one", async () => {
    const { code, stdout, stderr } = await run(["generate-event", "PostConfirmation_SignUp"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toEqual([
      'cognito-triggers: unknown triggerSource "PostConfirmation_SignUp": did you mean PostConfirmation_ConfirmSignUp?',
    ]);
  });
});
