/**
 * The answer to an unknown user must not be faster than the answer to a known user with a wrong
 * password, or response times would tell an attacker which usernames exist. Measured end to end
 * (directory read on dynalite, verification, failure count, audit write): production work, no
 * test-only shortcut.
 * - warm: many alternating tries in one process;
 * - first request: the first invocation of fresh processes (a cold start), for each hash format, with
 *   LEGACY_STANDIN_HASH set to a hash of that format and cost, as docs/tokens-and-migration.md tells operators to. The
 *   median of several processes per kind is compared, which a noisy shared machine cannot swing.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler, MIGRATION_REFUSED_MESSAGE } from "../../triggers/user-migration/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import {
  AUDIT_TABLE,
  createLegacyTable,
  ENV,
  HASHERS,
  migrationEvent,
  putLegacyUser,
} from "./legacy-directory.ts";

const TRIES = 40;
const PASSWORD = "Legacy-Passw0rd!";
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const FIRST_REQUEST = fileURLToPath(new URL("./fixtures/first-request.ts", import.meta.url));
/** Fresh processes per kind and format; their median is compared. */
const PROCESSES = 7;
const FORMATS = ["bcrypt $2b$", "pbkdf2_sha256 (Django)", "scrypt (passlib format)", "argon2id"] as const;
/** No lock may engage while the wrong passwords are timed. */
const NO_LOCK = { MIGRATION_MAX_FAILED_ATTEMPTS: "100" };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const difference = (a: number, b: number) => Math.abs(a - b) / Math.max(a, b);
const loginFor = (format: string) =>
  `timing-${format.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}@example.com`;

describe("timing of refusals", () => {
  let dynamo: LocalDynamo;
  let logs: ReturnType<typeof captureLogs>;
  const standIns: Record<string, string> = {};

  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createLegacyTable(dynamo.client);
    await createAuditTable(dynamo.client, AUDIT_TABLE);
    await putLegacyUser(dynamo.client, {
      login: "taro@example.com",
      legacyId: "L-000123",
      passwordHash: await HASHERS["bcrypt $2b$"]?.(PASSWORD),
      email: "taro@example.com",
      emailVerified: true,
    });
    for (const [n, format] of FORMATS.entries()) {
      const hash = HASHERS[format] as (password: string) => Promise<string>;
      await putLegacyUser(dynamo.client, {
        login: loginFor(format),
        legacyId: `L-T0000${n}`,
        passwordHash: await hash(PASSWORD),
        email: loginFor(format),
        emailVerified: true,
      });
      // Same algorithm and cost as the directory's records, of a string nobody knows.
      standIns[format] = await hash(`stand-in-${Math.random()}`);
    }
    logs = captureLogs();
  }, 60_000);
  afterAll(async () => {
    logs.restore();
    await dynamo.stop();
  });

  const report = (line: string) => {
    logs.restore();
    console.info(line);
    logs = captureLogs();
  };

  it(`answers unknown users and wrong passwords within 20% of each other over ${TRIES} warm tries`, async () => {
    const handler = createHandler({ ...ENV, ...NO_LOCK });
    const timeRefusal = async (userName: string, password: string) => {
      const started = performance.now();
      const outcome = await handler(migrationEvent("UserMigration_Authentication", userName, password)).catch(
        (error: Error) => error,
      );
      const elapsed = performance.now() - started;
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toBe(MIGRATION_REFUSED_MESSAGE);
      return elapsed;
    };
    const unknown = (i: number) => timeRefusal(`nobody-${i}@example.com`, PASSWORD);
    const wrong = (i: number) => timeRefusal("taro@example.com", `wrong-Passw0rd-${i}`);

    // Warm-up: module loading and first connections are measured by the fresh-process test below.
    for (let i = 0; i < 3; i++) {
      await unknown(i);
      await wrong(i);
    }

    const unknownMs: number[] = [];
    const wrongMs: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      // Alternate the order so that neither kind always runs right after the other.
      if (i % 2 === 0) {
        unknownMs.push(await unknown(i));
        wrongMs.push(await wrong(i));
      } else {
        wrongMs.push(await wrong(i));
        unknownMs.push(await unknown(i));
      }
    }
    const [unknownMedian, wrongMedian] = [median(unknownMs), median(wrongMs)];
    report(
      `warm timing over ${TRIES} tries: unknown user ${unknownMedian.toFixed(1)} ms, wrong password ${wrongMedian.toFixed(1)} ms (medians), difference ${(difference(unknownMedian, wrongMedian) * 100).toFixed(1)}%`,
    );
    expect(difference(unknownMedian, wrongMedian)).toBeLessThanOrEqual(0.2);
    // The work really is a bcrypt verification, not two equally fast shortcuts.
    expect(Math.min(unknownMedian, wrongMedian)).toBeGreaterThan(20);
  }, 60_000);

  it.each(FORMATS)(
    "answers an unknown user as slowly as a wrong %s password on the first request of a fresh process",
    async (format) => {
      const env = { ...ENV, ...NO_LOCK, LEGACY_STANDIN_HASH: standIns[format] as string };
      const firstRequest = async (userName: string, password: string) => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ["--import", "tsx", FIRST_REQUEST, JSON.stringify(env), userName, password],
          {
            cwd: REPO,
            env: {
              PATH: process.env.PATH,
              AWS_REGION: "eu-west-1",
              AWS_ACCESS_KEY_ID: "local",
              AWS_SECRET_ACCESS_KEY: "local",
              AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB,
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
              LOG_LEVEL: "ERROR",
            },
          },
        );
        const line = stdout.split("\n").find((l) => l.startsWith("RESULT ")) ?? "RESULT {}";
        const result = JSON.parse(line.slice("RESULT ".length)) as { ms: number; outcome: string };
        expect(result.outcome).toBe(MIGRATION_REFUSED_MESSAGE);
        return result.ms;
      };
      const unknownMs: number[] = [];
      const wrongMs: number[] = [];
      for (let i = 0; i < PROCESSES; i++) {
        // Alternated, like the warm tries: a slower moment of the machine hits both kinds.
        if (i % 2 === 0) {
          unknownMs.push(await firstRequest(`nobody-${i}-${loginFor(format)}`, PASSWORD));
          wrongMs.push(await firstRequest(loginFor(format), `wrong-Passw0rd-${i}`));
        } else {
          wrongMs.push(await firstRequest(loginFor(format), `wrong-Passw0rd-${i}`));
          unknownMs.push(await firstRequest(`nobody-${i}-${loginFor(format)}`, PASSWORD));
        }
      }
      const [unknownMedian, wrongMedian] = [median(unknownMs), median(wrongMs)];
      report(
        `first request, ${format}: unknown user ${unknownMedian.toFixed(1)} ms, wrong password ${wrongMedian.toFixed(1)} ms (medians of ${PROCESSES} fresh processes: ${unknownMs.map(Math.round).join(",")} vs ${wrongMs.map(Math.round).join(",")}), difference ${(difference(unknownMedian, wrongMedian) * 100).toFixed(1)}%`,
      );
      expect(difference(unknownMedian, wrongMedian)).toBeLessThanOrEqual(0.2);
    },
    60_000,
  );
});
