/**
 * The retries of retries.test.ts against real local services instead of the in-memory stand-ins:
 * every post-confirmation and user-migration sample replayed three times in a row (`replay --live
 * --repeat 3`) through the handlers' own SDK clients, against dynalite (the audit table and the legacy
 * directory, seeded from the replay fixture) and aws-ses-v2-local. Each sample starts from fresh tables
 * and an empty mailbox. A recording proxy in front of dynalite shows what DynamoDB itself accepted:
 * one claim and one migratedAt mark succeed, the retries' conditional writes are refused, and no audit
 * item is ever written twice.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyTableDefinition, seedLegacyUsers } from "../../cli/local/legacy-users.ts";
import { auditTableDefinition, ensureTable } from "../../cli/local/tables.ts";
import { replay } from "../../cli/replay/run.ts";
import { type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { EVENTS_DIR, sampleExpectation } from "../support/samples.ts";
import { type LocalSes, startSesLocal, useLocalSesEnv } from "../support/ses-local.ts";

const SAMPLES = ["post-confirmation", "user-migration"].flatMap((trigger) =>
  readdirSync(join(EVENTS_DIR, trigger))
    .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
    .map((name) => `${trigger}/${name.slice(0, -".json".length)}`),
);

/** Migration refusals that count a failed password on an existing, unmigrated, unlocked record. */
const COUNTED_FAILURES = new Set(["wrong-password", "hash-too-costly"]);

let dynamo: LocalDynamo;
let proxy: FaultProxy;
let ses: LocalSes;

beforeAll(async () => {
  [dynamo, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  proxy = await startFaultProxy({ protocol: "dynamodb", upstream: dynamo.endpoint });
  useLocalAwsEnv(proxy.endpoint);
  useLocalSesEnv(ses.endpoint);
});
afterAll(async () => {
  await proxy.stop();
  await Promise.all([dynamo.stop(), ses.stop()]);
});

/** Fresh tables (as named by the sample's env) and an empty mailbox. */
async function freshServices(env: Record<string, string>): Promise<void> {
  for (const table of [env.AUDIT_TABLE_NAME, env.LEGACY_USERS_TABLE_NAME]) {
    if (!table) continue;
    await dynamo.client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await tableGone(table);
  }
  if (env.AUDIT_TABLE_NAME) await ensureTable(dynamo.client, auditTableDefinition(env.AUDIT_TABLE_NAME));
  if (env.LEGACY_USERS_TABLE_NAME) {
    await ensureTable(dynamo.client, legacyTableDefinition(env.LEGACY_USERS_TABLE_NAME));
    await seedLegacyUsers(dynamo.client, env.LEGACY_USERS_TABLE_NAME);
  }
  await ses.clear();
  proxy.requests.length = 0;
}

/**
 * DeleteTable returns while the table is still DELETING (dynalite removes it on a timer, as DynamoDB
 * does), and ensureTable would then find the old table "existing" just before it vanishes.
 */
async function tableGone(table: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await dynamo.client.send(new DescribeTableCommand({ TableName: table }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${table} was not deleted within 2 s`);
}

describe.each(SAMPLES)("%s replayed three times against dynalite and aws-ses-v2-local", (sample) => {
  it("answers as expected every time and does each once-only thing once", async () => {
    const expectation = sampleExpectation(sample);
    await freshServices(expectation.env);

    const report = await replay([join(EVENTS_DIR, `${sample}.json`)], {
      baseEnv: { AWS_REGION: "eu-west-1" },
      live: true,
      repeat: 3,
    });
    const [result] = report.samples;
    expect(result?.mismatches).toEqual([]);
    expect(result?.status).toBe("passed");
    expect(result?.attempts).toHaveLength(3);

    const expected = (kind: string) => (expectation.effects ?? []).filter((e) => kind in e);
    const succeeded = (operation: string) =>
      proxy.requests.filter((r) => r.operation === operation && r.status === 200).length;

    // One welcome email per expected one, whatever the retries did.
    const emails = await ses.emails();
    expect(emails.map((e) => e.destination.to)).toEqual(expected("email").map((e) => [e.email]));

    // One migratedAt mark: the first UpdateItem succeeds, the retries' conditional ones are refused
    // (or not made: a retry finds the record marked with its own userName). A failed password on a
    // record that can be counted is one counter write per attempt (user-migration/failed-attempts.ts).
    const marks = expected("legacyMigrated");
    const counted = expected("audit").some((e) => COUNTED_FAILURES.has(e.reason as string)) ? 3 : 0;
    expect(succeeded("UpdateItem")).toBe(marks.length + counted);
    for (const { legacyMigrated } of marks) {
      const { Item } = await dynamo.client.send(
        new GetItemCommand({
          TableName: expectation.env.LEGACY_USERS_TABLE_NAME,
          Key: { login: { S: legacyMigrated as string } },
        }),
      );
      expect(Item?.migratedAt?.S).toEqual(expect.any(String));
    }

    // No audit item written twice: as many successful puts as items, each item its first attempt's.
    const items = (
      (await dynamo.client.send(new ScanCommand({ TableName: expectation.env.AUDIT_TABLE_NAME }))).Items ?? []
    ).map((item) => unmarshall(item));
    expect(succeeded("PutItem")).toBe(items.length);
    const claims = items.filter((item) => item.event === "SIGN_UP_CONFIRMED");
    expect(claims.map((c) => c.requestId)).toEqual(
      expected("audit").some((e) => e.audit === "SIGN_UP_CONFIRMED")
        ? [`replay-${sample.split("/")[1]}`]
        : [],
    );
    // Every other record is one per invocation (a retry is audited as what it is).
    const perInvocation = expected("audit").filter((e) => e.audit !== "SIGN_UP_CONFIRMED");
    expect(items.filter((item) => item.event !== "SIGN_UP_CONFIRMED")).toHaveLength(3 * perInvocation.length);
  });
});
