/**
 * Cognito retries an invocation that fails or takes more than 5 s. Every sample in events/ is replayed
 * three times in a row (`replay --repeat 3`: each attempt a cold start with its own request id, all
 * against the same offline stand-ins) and must answer the same each time, with no duplicated side
 * effect: one welcome email, one migration mark, one post-confirmation claim, and no audit record of an
 * earlier attempt overwritten. retries.live.test.ts does the same against dynalite and aws-ses-v2-local.
 *
 * The custom senders promise something else (lib/custom-sender/delivery.ts): Cognito invokes them
 * asynchronously and Lambda retries only a failed invocation, and a failed invocation has sent nothing,
 * so its retry delivers the message once; an event Lambda happens to deliver twice is sent twice (a
 * second copy of a code is harmless, a lost one is not), since a sender remembers nothing between
 * invocations. So each replay of a sender's sample does exactly what the first did, and a retry after
 * a failure another attempt can cure sends exactly one message.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  createOfflineServices,
  type OfflineServices,
  RecordingMailer,
  RecordingTextSender,
  StandInCodeDecrypter,
} from "../../cli/replay/offline-services.ts";
import { replay } from "../../cli/replay/run.ts";
import { createHandler as createEmailSender } from "../../triggers/custom-email-sender/trigger.ts";
import { createHandler as createSmsSender } from "../../triggers/custom-sms-sender/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditRecord } from "../../triggers/lib/audit/record.ts";
import type { AuditStore, PutOutcome } from "../../triggers/lib/audit/store.ts";
import { defineTrigger } from "../../triggers/lib/define-trigger.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { type TriggerName, triggerForSource } from "../../triggers/lib/events.ts";
import type { CodeDecrypter, Mailer, TextSender } from "../../triggers/lib/services.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { EVENTS_DIR, sampleEvent, sampleExpectation } from "../support/samples.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Put {
  key: string;
  record: AuditRecord;
  outcome: PutOutcome;
}

/** The replay stand-ins, with every audit put recorded, per sample in replay order. */
function recordingOffline(): {
  factory: () => OfflineServices;
  perSample: { puts: Put[]; stored(): Map<string, unknown> }[];
} {
  const perSample: { puts: Put[]; stored(): Map<string, unknown> }[] = [];
  const factory = () => {
    const offline = createOfflineServices();
    const store = offline.services.auditStore as AuditStore & { items: Map<string, unknown> };
    const puts: Put[] = [];
    const recording: AuditStore = {
      put: async (tableName, record) => {
        const outcome = await store.put(tableName, record);
        puts.push({
          key: `${tableName}|${record.pk}|${record.sk}`,
          record: structuredClone(record),
          outcome,
        });
        return outcome;
      },
    };
    perSample.push({ puts, stored: () => store.items });
    return { ...offline, services: { ...offline.services, auditStore: recording } };
  };
  return { factory, perSample };
}

const offline = recordingOffline();
const report = await replay([EVENTS_DIR], {
  baseEnv: { AWS_REGION: "eu-west-1" },
  repeat: 3,
  offlineServices: offline.factory,
});
const replayed = report.samples.filter((s) => s.status !== "pending");

describe("every sample replayed three times in a row", () => {
  it("covers every sample, each with three attempts", () => {
    expect(report.unusable).toEqual([]);
    expect(replayed.length).toBeGreaterThanOrEqual(60);
    expect(offline.perSample).toHaveLength(replayed.length);
    for (const sample of replayed) expect(sample.attempts).toHaveLength(3);
  });

  describe.each(replayed.map((s, i) => [s.path.slice(EVENTS_DIR.length), s, i] as const))(
    "%s",
    (_, sample, index) => {
      it("answers as expected, and the same, every time", () => {
        expect(sample.mismatches).toEqual([]);
        expect(sample.status).toBe("passed");
        const [first, ...retries] = sample.attempts ?? [];
        for (const retry of retries) expect(retry.outcome).toEqual(first?.outcome);
      });

      if (isSender(sample.triggerSource)) {
        it("a custom sender: does on every attempt exactly what the first did", () => {
          const [first, ...retries] = sample.attempts ?? [];
          expect(first?.effects?.length).toBeGreaterThan(0);
          for (const retry of retries) expect(retry.effects).toEqual(first?.effects);
        });
      } else {
        it("sends at most one welcome email, marks at most once, claims at most once", () => {
          const attempts = sample.attempts ?? [];
          const later = attempts.slice(1).flatMap((a) => a.effects ?? []);
          expect(later.filter((e) => "email" in e || "legacyMigrated" in e)).toEqual([]);
          expect(later.filter((e) => "audit" in e && e.audit === "SIGN_UP_CONFIRMED")).toEqual([]);
          const all = attempts.flatMap((a) => a.effects ?? []);
          const once = (e: object) => "email" in e || "legacyMigrated" in e;
          // Exactly what one invocation is expected to do: one email, one mark (or none, where none is due).
          expect(all.filter(once)).toEqual(attempts[0]?.effects?.filter(once));
        });
      }

      it("overwrites no audit record of an earlier attempt", () => {
        const { puts, stored } = offline.perSample[index] ?? { puts: [], stored: () => new Map() };
        const firstWritten = new Map<string, AuditRecord>();
        for (const put of puts)
          if (put.outcome === "written" && !firstWritten.has(put.key)) firstWritten.set(put.key, put.record);
        // Each key was written once; every later put of the same key was refused as a duplicate.
        expect(puts.filter((p) => p.outcome === "written")).toHaveLength(firstWritten.size);
        for (const [key, record] of firstWritten)
          expect(stored().get(key)).toEqual({ ...record, tableName: expect.any(String) });
      });
    },
  );
});

/** Whether a sample's trigger is a custom sender (see the top of this file). */
function isSender(triggerSource: string): boolean {
  const trigger: TriggerName | undefined = triggerForSource(triggerSource);
  return trigger === "custom-email-sender" || trigger === "custom-sms-sender";
}

/** An AWS service's throttling answer, as the SDK reports it: worth Lambda's retry. */
function throttled(): Error {
  return Object.assign(new Error("Rate exceeded"), {
    name: "ThrottlingException",
    $metadata: { httpStatusCode: 400 },
  });
}

/** A port that fails once with `error`, then does what `healthy` does. */
function failingOnce<T extends object>(
  healthy: T,
  method: keyof T,
  error: () => Error,
): T & { calls: number } {
  const port = Object.create(healthy) as T & { calls: number };
  port.calls = 0;
  const call = (healthy[method] as (...args: unknown[]) => unknown).bind(healthy);
  Object.assign(port, {
    [method]: async (...args: unknown[]) => {
      port.calls++;
      if (port.calls === 1) throw error();
      return call(...args);
    },
  });
  return port;
}

describe.each([
  ["custom-email-sender/sign-up", "the email (SES)", "send"],
  ["custom-email-sender/sign-up", "the code decryption (KMS)", "decrypt"],
  ["custom-sms-sender/sign-up", "the text (SNS)", "send"],
  ["custom-sms-sender/sign-up", "the code decryption (KMS)", "decrypt"],
] as const)("%s whose %s fails once, then is retried by Lambda", (sample, _what, failing) => {
  it("fails the first invocation, having sent nothing, and delivers exactly one message on the retry", async () => {
    const mailer = new RecordingMailer();
    const textSender = new RecordingTextSender();
    const auditStore = new MemoryAuditStore();
    const decrypter = new StandInCodeDecrypter();
    const services = {
      auditStore,
      mailer: failing === "send" ? failingOnce<Mailer>(mailer, "send", throttled) : mailer,
      textSender: failing === "send" ? failingOnce<TextSender>(textSender, "send", throttled) : textSender,
      codeDecrypter:
        failing === "decrypt" ? failingOnce<CodeDecrypter>(decrypter, "decrypt", throttled) : decrypter,
    };
    const create = sample.startsWith("custom-email-sender") ? createEmailSender : createSmsSender;
    const handler = create(sampleExpectation(sample).env, services);
    const sent = () => mailer.sent.length + textSender.sent.length;
    const logs = captureLogs();
    try {
      // Lambda hands the retry the same event, in a new invocation with its own request id.
      await expect(handler(sampleEvent(sample), { awsRequestId: "attempt-1" })).rejects.toThrow(
        GENERIC_USER_MESSAGE,
      );
      expect(sent()).toBe(0);
      expect([...auditStore.items.values()].map((r) => [r.event, r.reason])).toEqual([
        ["MESSAGE_SEND_FAILED", `${failing}-failed`],
      ]);
      await expect(handler(sampleEvent(sample), { awsRequestId: "attempt-2" })).resolves.toEqual(
        sampleEvent(sample),
      );
      expect(sent()).toBe(1);
      expect(auditStore.items.size).toBe(1);
    } finally {
      logs.restore();
    }
  });
});

describe("replay --repeat catches a handler that is not safe to retry", () => {
  const sample = join(EVENTS_DIR, "post-confirmation/confirm-sign-up.json");
  let sends = 0;
  // Sends on every invocation (no claim) and answers differently each time.
  const careless = defineTrigger({
    trigger: "post-confirmation",
    config: {},
    handle: async (event, { services }) => {
      sends += 1;
      await services.mailer?.send(
        { from: "a@example.com", to: "alex.morgan@example.com", subject: "Hi", html: "", text: "" },
        new AbortController().signal,
      );
      event.response = { attempt: sends };
      return event;
    },
  });

  it("reports the repeated email and the changed answer, naming the attempt", async () => {
    const result = await replay([sample], { repeat: 3, loadTrigger: async () => careless });
    expect(result.exitCode).toBe(1);
    const mismatches = result.samples[0]?.mismatches ?? [];
    expect(mismatches).toContain(
      'attempt 2: repeated the once-only effect {"email":"alex.morgan@example.com"}',
    );
    expect(mismatches).toContain(
      'attempt 3: repeated the once-only effect {"email":"alex.morgan@example.com"}',
    );
    expect(mismatches).toContain("attempt 2: response.attempt: expected 1, got 2");
  });
});

describe("cognito-triggers replay --repeat", () => {
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [join(ROOT, "bin/cognito-triggers.js"), ...args],
        {
          cwd: ROOT,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };

  it("replays each sample n times and reports every attempt", async () => {
    const { code, stdout } = await run([
      "replay",
      "events/post-confirmation/confirm-sign-up.json",
      "--repeat",
      "3",
      "--json",
    ]);
    expect(code).toBe(0);
    const [sample] = (
      JSON.parse(stdout) as { samples: { status: string; attempts: { effects: unknown[] }[] }[] }
    ).samples;
    expect(sample?.status).toBe("passed");
    expect(sample?.attempts.map((a) => a.effects)).toEqual([
      [{ audit: "SIGN_UP_CONFIRMED", outcome: "success" }, { email: "alex.morgan@example.com" }],
      [],
      [],
    ]);
  });

  it("refuses a count that is not 1 to 100 with exit 2", async () => {
    const runs = await Promise.all(
      ["0", "101", "1.5"].map((count) => run(["replay", "events/", "--repeat", count])),
    );
    for (const { code, stderr } of runs) {
      expect(code).toBe(2);
      expect(stderr.trim()).toBe("cognito-triggers: --repeat must be a whole number from 1 to 100");
    }
  });
});
