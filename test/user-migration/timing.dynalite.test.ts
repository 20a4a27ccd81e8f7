/**
 * The answer to an unknown user must not be faster than the answer to a known user with a wrong
 * password, or response times would tell an attacker which usernames exist. Measured end to end
 * (directory read on dynalite, verification, audit write), with the bcrypt cost 10 of the sample
 * user: production work, no test-only shortcut.
 */
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

const TRIES = 50;

describe("timing of refusals", () => {
  let dynamo: LocalDynamo;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createLegacyTable(dynamo.client);
    await createAuditTable(dynamo.client, AUDIT_TABLE);
    await putLegacyUser(dynamo.client, {
      login: "taro@example.com",
      legacyId: "L-000123",
      passwordHash: await HASHERS["bcrypt $2b$"]?.("Legacy-Passw0rd!"),
      email: "taro@example.com",
      emailVerified: true,
    });
    logs = captureLogs();
  });
  afterAll(async () => {
    logs.restore();
    await dynamo.stop();
  });

  it(`answers unknown users and wrong passwords within 20% of each other over ${TRIES} tries`, async () => {
    const handler = createHandler(ENV);
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
    const unknown = (i: number) => timeRefusal(`nobody-${i}@example.com`, "Legacy-Passw0rd!");
    const wrong = (i: number) => timeRefusal("taro@example.com", `wrong-Passw0rd-${i}`);

    // Warm-up: module loading and first connections are not what an attacker measures.
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
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const [unknownMean, wrongMean] = [mean(unknownMs), mean(wrongMs)];
    const ratio = Math.abs(unknownMean - wrongMean) / Math.max(unknownMean, wrongMean);
    logs.restore();
    console.info(
      `timing over ${TRIES} tries: unknown user ${unknownMean.toFixed(1)} ms, wrong password ${wrongMean.toFixed(1)} ms, difference ${(ratio * 100).toFixed(1)}%`,
    );
    logs = captureLogs();
    expect(ratio).toBeLessThanOrEqual(0.2);
    // The work really is a bcrypt verification, not two equally fast shortcuts.
    expect(Math.min(unknownMean, wrongMean)).toBeGreaterThan(20);
  }, 60_000);
});
