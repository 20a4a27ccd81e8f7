/**
 * `cognito-triggers generate-event`: for every triggerSource and version, an event in the shape of the
 * repository's samples (no field they lack, none they all have left out), with Cognito's pre-filled
 * response, that the suite's own handler takes without refusing it as malformed; stable output, ids
 * of the right form, one-line usage errors. A custom sender's event holds a placeholder for its code,
 * or with --code that code encrypted as Cognito encrypts it, which the sender decrypts and delivers.
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
  CODE_PLACEHOLDER,
  generateEvent,
  seededIdentity,
  TRIGGER_SOURCES,
  versionsOf,
} from "../../cli/generate-event/templates.ts";
import { STAND_IN_KEY_ARN } from "../../cli/kms-stand-in.ts";
import { optionNames } from "../../cli/options.ts";
import {
  createOfflineServices,
  type RecordingMailer,
  type RecordingTextSender,
} from "../../cli/replay/offline-services.ts";
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
  "inbound-federation": { ALLOWED_EMAIL_DOMAINS: "example.com", AUDIT_TABLE_NAME: "audit" },
  "custom-email-sender": {
    APP_NAME: "Acme Notes",
    CUSTOM_SENDER_EMAIL_FROM: "no-reply@mail.example.com",
    CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
    AUDIT_TABLE_NAME: "audit",
  },
  "custom-sms-sender": {
    APP_NAME: "Acme Notes",
    CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
    AUDIT_TABLE_NAME: "audit",
  },
};

/** The custom sender sources that carry a code (all but the account-takeover notification). */
const CODE_SOURCES = TRIGGER_SOURCES.filter(
  (source) =>
    /^Custom(Email|SMS)Sender_/.test(source) && source !== "CustomEmailSender_AccountTakeOverNotification",
);

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
    // null and false, or an empty map (inbound federation's userAttributesToMap).
    for (const value of Object.values(response)) {
      if (isRecord(value)) expect(value).toEqual({});
      else expect([null, false]).toContain(value);
    }
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

describe("custom sender events and their code", () => {
  it.each(CODE_SOURCES)(
    "%s holds the placeholder, which the sender records as undecryptable",
    async (source) => {
      const event = generateEvent(source, "1", seededIdentity(source)) as { request: { code: unknown } };
      expect(event.request.code).toBe(CODE_PLACEHOLDER);
      const trigger = triggerForSource(source) as TriggerName;
      const offline = createOfflineServices();
      const logs = captureLogs();
      try {
        const handler = (await loadTrigger(trigger))?.(MINIMAL_ENV[trigger], offline.services);
        await expect(handler?.(event, { awsRequestId: "placeholder" })).resolves.toEqual(event);
      } finally {
        logs.restore();
      }
      expect(offline.effects()).toEqual([
        { audit: "MESSAGE_SEND_FAILED", outcome: "failure", reason: "code-undecryptable" },
      ]);
    },
  );

  it.each(CODE_SOURCES)(
    "%s --code: encrypted as Cognito does, decrypted and delivered by the sender",
    async (source) => {
      const code = `Code-${source.length}-7&<x>`;
      const { code: exit, stdout } = await printed([source, "--seed", "code", "--code", code]);
      expect(exit).toBe(0);
      const event = JSON.parse(stdout) as {
        request: { code: string; userAttributes: Record<string, string> };
      };
      // An AWS Encryption SDK message, base64; the code itself is not in what was printed.
      expect(event.request.code).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(stdout).not.toContain(code);
      const trigger = triggerForSource(source) as TriggerName;
      const offline = createOfflineServices();
      const logs = captureLogs();
      try {
        const handler = (await loadTrigger(trigger))?.(MINIMAL_ENV[trigger], offline.services);
        await handler?.(structuredClone(event), { awsRequestId: "with-code" });
      } finally {
        logs.restore();
      }
      const mailer = offline.services.mailer as RecordingMailer;
      const textSender = offline.services.textSender as RecordingTextSender;
      const sent = [...mailer.sent.map((m) => [m.to, m.text]), ...textSender.sent.map((t) => [t.to, t.body])];
      expect(sent).toHaveLength(1);
      expect(sent[0]?.[0]).toBe(
        event.request.userAttributes.email ?? event.request.userAttributes.phone_number,
      );
      expect(sent[0]?.[1]).toContain(code);
    },
  );

  it("encrypts afresh each time: the same --code prints another message", async () => {
    const args = ["CustomSMSSender_SignUp", "--code", "123456"];
    expect((await printed(args)).stdout).not.toEqual((await printed(args)).stdout);
  });

  it.each([
    [
      ["CustomEmailSender_AccountTakeOverNotification", "--code", "1"],
      /^--code: CustomEmailSender_AccountTakeOverNotification events carry no code$/,
    ],
    [["CustomMessage_SignUp", "--code", "1"], /^--code: CustomMessage_SignUp events carry no code$/],
    [["CustomEmailSender_SignUp", "--code", ""], /^--code must be 1 to 256 characters$/],
    [["CustomEmailSender_SignUp", "--code", "9".repeat(257)], /^--code must be 1 to 256 characters$/],
  ])("refuses %j with a usage error", async (args, message) => {
    const attempt = printed(args);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
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
