/**
 * The retries of retries.test.ts against real local services instead of the in-memory stand-ins:
 * every post-confirmation, user-migration and inbound-federation sample replayed three times in a row
 * (`replay --live --repeat 3`) through the handlers' own SDK clients, against dynalite (the audit table
 * and the legacy directory, seeded from the replay fixture) and aws-ses-v2-local. Each sample starts
 * from fresh tables and an empty mailbox. A recording proxy in front of dynalite shows what DynamoDB
 * itself accepted: one claim and one migratedAt mark succeed, the retries' conditional writes are
 * refused, and no audit item is ever written twice; a federation refusal is audited once per attempt.
 *
 * The custom senders (whose samples' codes only the KMS stand-in decrypts, so `replay --live` skips
 * them) are invoked directly, with their own KMS, SES and SNS clients pointed at the KMS stand-in,
 * aws-ses-v2-local and a tiny SNS, each behind a fault proxy: an invocation that met a throttled call
 * has sent nothing and asked for Lambda's retry, the retry of the same event delivers exactly one
 * message, and an event delivered once more is sent once more (at least once: a sender remembers
 * nothing between invocations).
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KmsStandIn } from "../../cli/kms-stand-in.ts";
import { legacyTableDefinition, seedLegacyUsers } from "../../cli/local/legacy-users.ts";
import { auditTableDefinition, ensureTable } from "../../cli/local/tables.ts";
import { replay } from "../../cli/replay/run.ts";
import { createHandler as createEmailSender } from "../../triggers/custom-email-sender/trigger.ts";
import { createHandler as createSmsSender } from "../../triggers/custom-sms-sender/trigger.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { EVENTS_DIR, sampleEvent, sampleExpectation } from "../support/samples.ts";
import { type LocalSes, startSesLocal, useLocalSesEnv } from "../support/ses-local.ts";
import { type LocalSns, startSns } from "../support/sns.ts";

const SAMPLES = ["post-confirmation", "user-migration", "inbound-federation"].flatMap((trigger) =>
  readdirSync(join(EVENTS_DIR, trigger))
    .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
    .map((name) => `${trigger}/${name.slice(0, -".json".length)}`),
);

/** Migration refusals that count a failed password on an existing, unmigrated, unlocked record. */
const COUNTED_FAILURES = new Set(["wrong-password", "hash-too-costly"]);

let dynamo: LocalDynamo;
let proxy: FaultProxy;
let ses: LocalSes;
let sns: LocalSns;
let kms: { endpoint: string; close(): Promise<void> };
/** In front of SES, KMS and SNS: no fault unless a test puts a rule in. */
let faults: { ses: FaultProxy; kms: FaultProxy; sns: FaultProxy };

beforeAll(async () => {
  [dynamo, ses, sns, kms] = await Promise.all([
    startDynalite(),
    startSesLocal(),
    startSns(),
    new KmsStandIn().listen(),
  ]);
  proxy = await startFaultProxy({ protocol: "dynamodb", upstream: dynamo.endpoint });
  faults = {
    ses: await startFaultProxy({ protocol: "ses", upstream: ses.endpoint }),
    kms: await startFaultProxy({ protocol: "kms", upstream: kms.endpoint }),
    sns: await startFaultProxy({ protocol: "sns", upstream: sns.endpoint }),
  };
  useLocalAwsEnv(proxy.endpoint);
  useLocalSesEnv(faults.ses.endpoint);
  process.env.AWS_ENDPOINT_URL_KMS = faults.kms.endpoint;
  process.env.AWS_ENDPOINT_URL_SNS = faults.sns.endpoint;
});
afterAll(async () => {
  await Promise.all([proxy.stop(), faults.ses.stop(), faults.kms.stop(), faults.sns.stop()]);
  await Promise.all([dynamo.stop(), ses.stop(), sns.stop(), kms.close()]);
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

describe.each([
  ["custom-email-sender/sign-up", "ses", { operation: "SendEmail" }, "send-failed"],
  ["custom-email-sender/sign-up", "kms", { operation: "Decrypt" }, "decrypt-failed"],
  ["custom-sms-sender/sign-up", "sns", { operation: "Publish" }, "send-failed"],
  ["custom-sms-sender/sign-up", "kms", { operation: "Decrypt" }, "decrypt-failed"],
] as const)("%s with %s throttled, then retried by Lambda", (sample, service, rule, reason) => {
  const expectation = sampleExpectation(sample);
  const table = expectation.env.AUDIT_TABLE_NAME as string;
  const create = sample.startsWith("custom-email-sender") ? createEmailSender : createSmsSender;
  const delivered = async () =>
    (await ses.emails()).length + sns.requests.filter((form) => form.get("Action") === "Publish").length;
  const records = async () =>
    ((await dynamo.client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((item) =>
      unmarshall(item),
    );

  beforeEach(async () => {
    await freshServices(expectation.env);
    sns.requests.length = 0;
  });

  it("sends nothing on the failed attempt, exactly one message on its retry, and one more only if the event comes again", async () => {
    const handler = create(expectation.env);
    const logs = captureLogs();
    try {
      faults[service].rules.push({ ...rule, fault: "throttled" });
      await expect(handler(sampleEvent(sample), { awsRequestId: "attempt-1" })).rejects.toThrow(
        GENERIC_USER_MESSAGE,
      );
      expect(await delivered()).toBe(0);
      expect((await records()).map((r) => [r.event, r.reason, r.requestId])).toEqual([
        ["MESSAGE_SEND_FAILED", reason, "attempt-1"],
      ]);

      faults[service].rules.length = 0;
      await expect(handler(sampleEvent(sample), { awsRequestId: "attempt-2" })).resolves.toEqual(
        sampleEvent(sample),
      );
      expect(await delivered()).toBe(1);
      expect(await records()).toHaveLength(1);

      // Lambda's at-least-once delivery of a successful invocation: nothing remembers the first.
      await handler(sampleEvent(sample), { awsRequestId: "attempt-3" });
      expect(await delivered()).toBe(2);
    } finally {
      faults[service].rules.length = 0;
      logs.restore();
    }
  });
});
