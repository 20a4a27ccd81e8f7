/**
 * Post authentication through its real path (default DynamoDB client from the standard AWS variables)
 * into dynalite, with a recording proxy in between so that every request the handler makes is seen.
 */
import { QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AUDIT_TIME_INDEX, dayShards } from "../../triggers/lib/audit/record.ts";
import { createHandler } from "../../triggers/post-authentication/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { postAuthentication, ticking } from "./events.ts";
import { type LocalServer, startRecordingProxy } from "./local-servers.ts";

const TABLE = "audit-post-auth";
const ENV = { AUDIT_TABLE_NAME: TABLE, AUDIT_RETENTION_DAYS: "400" };

describe("post authentication audit records in DynamoDB", () => {
  let dynamo: LocalDynamo;
  let proxy: LocalServer;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createAuditTable(dynamo.client, TABLE);
    proxy = await startRecordingProxy(dynamo.endpoint);
    // The handler's client is created on first use from these variables, once for this whole file.
    useLocalAwsEnv(proxy.endpoint);
    logs = captureLogs();
  });
  afterAll(async () => {
    logs.restore();
    await proxy.stop();
    await dynamo.stop();
  });
  beforeEach(() => {
    proxy.operations.length = 0;
  });

  const query = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName">) =>
    ((await dynamo.client.send(new QueryCommand({ TableName: TABLE, ...input }))).Items ?? []).map((i) =>
      unmarshall(i),
    );

  it("writes one SIGN_IN record with every field, in exactly one PutItem and no other request", async () => {
    const now = new Date("2026-11-20T09:15:00.000Z");
    const handler = createHandler(ENV, { now: () => now });
    const event = postAuthentication({ sub: "fields-user" });

    expect(await handler(structuredClone(event), { awsRequestId: "req-fields" })).toEqual(event);

    expect(proxy.operations).toEqual(["DynamoDB_20120810.PutItem"]);
    const items = await query({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: "USER#fields-user" } },
    });
    expect(items).toEqual([
      {
        pk: "USER#fields-user",
        sk: "2026-11-20T09:15:00.000Z#SIGN_IN#req-fields",
        dayShard: expect.stringMatching(/^DAY#2026-11-20#([0-9]|1[0-5])$/),
        at: "2026-11-20T09:15:00.000Z",
        expiresAt: now.getTime() / 1000 + 400 * 86_400,
        event: "SIGN_IN",
        outcome: "success",
        sub: "fields-user",
        userName: "fields-user",
        email: "alex.morgan@example.com",
        clientId: "6a3l0kq7h2b1vgd9f8e0s4r2tn",
        userPoolId: "ap-northeast-1_Ab12Cd34E",
        triggerSource: "PostAuthentication_Authentication",
        newDeviceUsed: true,
        requestId: "req-fields",
      },
    ]);
  });

  it("reuses one client and one connection for every sign-in of the execution environment", async () => {
    const before = proxy.connections();
    const first = createHandler(ENV);
    const second = createHandler(ENV);
    for (let i = 0; i < 5; i++) {
      await first(postAuthentication({ sub: "reuse" }), { awsRequestId: `reuse-a-${i}` });
      await second(postAuthentication({ sub: "reuse" }), { awsRequestId: `reuse-b-${i}` });
    }
    expect(proxy.operations).toEqual(Array(10).fill("DynamoDB_20120810.PutItem"));
    expect(proxy.connections() - before).toBeLessThanOrEqual(1);
  });

  it("never overwrites: a retried write of the same record leaves the first one as it was", async () => {
    const now = new Date("2026-11-20T10:00:00.000Z");
    const handler = createHandler({ ...ENV, AUDIT_FAILURE_MODE: "closed" }, { now: () => now });
    const first = postAuthentication({ sub: "retried", newDeviceUsed: true });
    const retry = postAuthentication({ sub: "retried", newDeviceUsed: false });

    expect(await handler(structuredClone(first), { awsRequestId: "req-retry" })).toEqual(first);
    // Same time and request id: the same keys. Already recorded is not a failure, even in closed mode.
    expect(await handler(structuredClone(retry), { awsRequestId: "req-retry" })).toEqual(retry);

    expect(proxy.operations).toEqual(["DynamoDB_20120810.PutItem", "DynamoDB_20120810.PutItem"]);
    const items = (await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items?.map((i) =>
      unmarshall(i),
    );
    expect(items?.filter((i) => i.pk === "USER#retried").map((i) => i.newDeviceUsed)).toEqual([true]);
    expect(logs.parsed().some((l) => l.msg === "audit record already present" && l.sk)).toBe(true);
  });

  it("keeps one user's sign-ins in time order", async () => {
    const handler = createHandler(ENV, { now: ticking("2026-11-19T23:59:58.000Z", 61_000) });
    for (let i = 0; i < 12; i++) {
      await handler(postAuthentication({ sub: "history-user", newDeviceUsed: i === 0 }), {
        awsRequestId: `h-${i}`,
      });
    }
    const history = await query({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: "USER#history-user" } },
    });
    expect(history.map((i) => i.requestId)).toEqual(Array.from({ length: 12 }, (_, i) => `h-${i}`));
    expect(history.map((i) => i.at)).toEqual(history.map((i) => i.at).sort());
    expect(history[0]?.newDeviceUsed).toBe(true);
  });

  it("spreads the sign-ins of one day over the time-index shards", async () => {
    const handler = createHandler(ENV, { now: ticking("2026-11-22T00:00:00.000Z", 397_000) });
    for (let i = 0; i < 200; i++) {
      await handler(postAuthentication({ sub: `day-user-${i % 40}` }), { awsRequestId: `day-${i}` });
    }
    const perShard = await Promise.all(
      dayShards("2026-11-22").map(
        async (shard) =>
          (
            await query({
              IndexName: AUDIT_TIME_INDEX,
              KeyConditionExpression: "dayShard = :d",
              ExpressionAttributeValues: { ":d": { S: shard } },
            })
          ).length,
      ),
    );
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(200);
    // 200 records over 16 shards: every shard used, none holding a quarter of the day.
    expect(perShard.every((n) => n > 0)).toBe(true);
    expect(Math.max(...perShard)).toBeLessThan(50);
  });
});
