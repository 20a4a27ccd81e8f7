import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DynamoAuditStore } from "../../triggers/lib/audit/dynamo-store.ts";
import {
  AUDIT_TIME_INDEX,
  AUDIT_TIME_SHARDS,
  type AuditEntry,
  type AuditRecord,
  dayShards,
} from "../../triggers/lib/audit/record.ts";
import { AuditTrail } from "../../triggers/lib/audit/trail.ts";
import { createDynamoClient } from "../../triggers/lib/aws-clients.ts";
import { createLogger } from "../../triggers/lib/logger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { recordingMetrics } from "../support/capture-metrics.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";

const TABLE = "audit-test";
const log = createLogger({}, {});
const metrics = recordingMetrics();

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    event: "SIGN_IN",
    outcome: "success",
    triggerSource: "PostAuthentication_Authentication",
    userPoolId: "eu-west-1_Ab12Cd34E",
    clientId: "1h2j3k4l5m6n7o8p9q0r1s2t3u",
    userName: "taro",
    sub: "7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f",
    email: "taro@example.com",
    newDeviceUsed: true,
    requestId: "req-1",
    ...overrides,
  };
}

/** A clock that moves forward by `stepMs` each time it is read. */
function ticking(start: string, stepMs: number): () => Date {
  let t = Date.parse(start);
  return () => {
    t += stepMs;
    return new Date(t);
  };
}

describe("audit trail against dynalite", () => {
  let dynamo: LocalDynamo;

  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createAuditTable(dynamo.client, TABLE);
  });
  afterAll(async () => dynamo.stop());

  const scanAll = async () =>
    ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((item) =>
      unmarshall(item),
    );

  it("writes one record with the keys and fields of the contract", async () => {
    const now = new Date("2026-11-20T09:15:00.000Z");
    const counted = recordingMetrics();
    const trail = new AuditTrail({
      tableName: TABLE,
      retentionDays: 400,
      log,
      metrics: counted,
      now: () => now,
    });
    expect(await trail.record(entry())).toBe("written");
    expect(counted.names()).toEqual([]);

    const items = (await scanAll()).filter((i) => i.requestId === "req-1");
    expect(items).toHaveLength(1);
    const item = items[0];
    expect(item).toMatchObject({
      pk: "USER#7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f",
      sk: "2026-11-20T09:15:00.000Z#SIGN_IN#req-1",
      at: "2026-11-20T09:15:00.000Z",
      event: "SIGN_IN",
      outcome: "success",
      userPoolId: "eu-west-1_Ab12Cd34E",
      clientId: "1h2j3k4l5m6n7o8p9q0r1s2t3u",
      userName: "taro",
      email: "taro@example.com",
      triggerSource: "PostAuthentication_Authentication",
      newDeviceUsed: true,
      expiresAt: Math.floor(now.getTime() / 1000) + 400 * 86_400,
    });
    expect(item?.dayShard).toMatch(/^DAY#2026-11-20#\d+$/);
    expect(Number(item?.dayShard.split("#")[2])).toBeLessThan(AUDIT_TIME_SHARDS);
  });

  it("never overwrites: the same keys again are reported as a duplicate and the item is unchanged", async () => {
    const now = new Date("2026-11-20T10:00:00.000Z");
    const trail = new AuditTrail({ tableName: TABLE, retentionDays: 400, log, metrics, now: () => now });
    expect(await trail.record(entry({ requestId: "req-dup", reason: "first" }))).toBe("written");
    expect(await trail.record(entry({ requestId: "req-dup", reason: "second" }))).toBe("duplicate");
    const items = (await scanAll()).filter((i) => i.requestId === "req-dup");
    expect(items.map((i) => i.reason)).toEqual(["first"]);
  });

  it("keeps a once-only record to one item per user across retries at different times", async () => {
    const clock = ticking("2026-11-20T11:00:00.000Z", 1000);
    const trail = new AuditTrail({
      tableName: TABLE,
      retentionDays: 30,
      log,
      metrics,
      now: clock,
    });
    const once = entry({ event: "SIGN_UP_CONFIRMED", sub: "once-user", once: true });
    expect(await trail.record({ ...once, requestId: "a" })).toBe("written");
    expect(await trail.record({ ...once, requestId: "b" })).toBe("duplicate");
    const items = (await scanAll()).filter((i) => i.pk === "USER#once-user");
    expect(items).toHaveLength(1);
    expect(items[0]?.sk).toBe("ONCE#SIGN_UP_CONFIRMED");
  });

  it("answers at the budget for a write that is late, and the late write and its fallback line make one item", async () => {
    // The write is not cancelled when the budget runs out (trail.ts): here it lands 200 ms later.
    const dynamoStore = new DynamoAuditStore(createDynamoClient());
    let landed: Promise<unknown> | undefined;
    const lateStore = {
      put: (tableName: string, record: AuditRecord) => {
        const late = new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
          dynamoStore.put(tableName, record),
        );
        landed = late;
        return late;
      },
    };
    const logs = captureLogs();
    const counted = recordingMetrics();
    try {
      const trail = new AuditTrail({
        tableName: TABLE,
        retentionDays: 400,
        log,
        metrics: counted,
        store: lateStore,
        budgetMs: 50,
        // A day of its own, apart from the other tests' records in the time index.
        now: () => new Date("2026-01-15T08:00:00.000Z"),
      });
      const started = performance.now();
      const result = await trail.record(entry({ requestId: "req-late" }));
      const elapsed = performance.now() - started;

      expect(result).toBe("failed");
      expect(elapsed).toBeLessThan(150);
      const fallback = logs.parsed().find((line) => line.msg === "audit_fallback");
      expect(fallback?.cause).toMatchObject({ name: "BudgetExceededError" });
      expect(counted.names()).toEqual(["AuditFallbacks"]);
      await expect(landed).resolves.toBe("written");

      // Putting the fallback line back, as recovery would, finds the late write and changes nothing.
      expect(await dynamoStore.put(TABLE, fallback?.record as AuditRecord)).toBe("duplicate");
      expect((await scanAll()).filter((item) => item.requestId === "req-late")).toHaveLength(1);
    } finally {
      logs.restore();
    }
  });

  it("orders one user's history by time and spreads one day over the shards of the time index", async () => {
    const clock = ticking("2026-11-21T00:00:00.000Z", 997);
    const trail = new AuditTrail({
      tableName: TABLE,
      retentionDays: 400,
      log,
      metrics,
      now: clock,
    });
    for (let i = 0; i < 200; i++) {
      await trail.record(entry({ sub: `user-${i % 5}`, requestId: `spread-${i}` }));
    }
    const history = await dynamo.client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "USER#user-3" } },
      }),
    );
    const times = (history.Items ?? []).map((i) => unmarshall(i).at as string);
    expect(times).toHaveLength(40);
    expect(times).toEqual([...times].sort());

    const perShard = await Promise.all(
      dayShards("2026-11-21").map(async (shard) => {
        const page = await dynamo.client.send(
          new QueryCommand({
            TableName: TABLE,
            IndexName: AUDIT_TIME_INDEX,
            KeyConditionExpression: "dayShard = :d",
            ExpressionAttributeValues: { ":d": { S: shard } },
          }),
        );
        return page.Items?.length ?? 0;
      }),
    );
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(200);
    // 200 records over 16 shards: every shard used, none holding more than a quarter.
    expect(perShard.every((n) => n > 0)).toBe(true);
    expect(Math.max(...perShard)).toBeLessThan(50);
  });
});

describe("audit trail fallback", () => {
  let logs: ReturnType<typeof captureLogs>;
  afterEach(() => logs?.restore());

  it("with dynalite stopped, returns 'failed' within 3.5 s and logs the whole record", async () => {
    const dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await dynamo.stop();

    logs = captureLogs();
    // A client built like the handlers' own (same timeouts and retries), for the endpoint set above.
    const store = new DynamoAuditStore(createDynamoClient());
    const counted = recordingMetrics();
    const trail = new AuditTrail({
      tableName: TABLE,
      retentionDays: 400,
      log: createLogger({}, {}),
      metrics: counted,
      store,
    });
    const started = performance.now();
    const result = await trail.record(entry({ requestId: "req-down", sourceIp: "203.0.113.7" }));
    const elapsed = performance.now() - started;

    expect(result).toBe("failed");
    expect(elapsed).toBeLessThan(3_500);
    const fallback = logs.parsed().find((line) => line.msg === "audit_fallback");
    expect(fallback?.level).toBe("ERROR");
    expect(fallback?.record).toMatchObject({
      ...entry({ requestId: "req-down", sourceIp: "203.0.113.7" }),
      pk: "USER#7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f",
    });
    const record = fallback?.record as Record<string, unknown>;
    expect(record.sk).toMatch(/#SIGN_IN#req-down$/);
    expect(record.expiresAt).toEqual(expect.any(Number));
    // Counted once, and the metric line carries nothing of the record.
    expect(counted.names()).toEqual(["AuditFallbacks"]);
    expect(counted.lines.join("")).not.toMatch(/taro|203\.0\.113\.7|req-down/);
  });

  it("with a server that accepts and never answers, gives up at the budget and logs the record", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent: Server = createServer(() => {
      /* never answers */
    });
    silent.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    useLocalAwsEnv(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);

    logs = captureLogs();
    // A client built like the handlers' own (same timeouts and retries), for the endpoint set above.
    const store = new DynamoAuditStore(createDynamoClient());
    const counted = recordingMetrics();
    const trail = new AuditTrail({
      tableName: TABLE,
      retentionDays: 400,
      log: createLogger({}, {}),
      metrics: counted,
      store,
    });
    const started = performance.now();
    const result = await trail.record(entry({ requestId: "req-slow" }));
    const elapsed = performance.now() - started;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));

    expect(result).toBe("failed");
    expect(elapsed).toBeLessThan(3_500);
    const fallback = logs.parsed().find((line) => line.msg === "audit_fallback");
    expect(fallback?.record).toMatchObject({ requestId: "req-slow", event: "SIGN_IN" });
    expect(counted.names()).toEqual(["AuditFallbacks"]);
  });
});

describe("the DynamoDB form of a record", () => {
  it("is what the generic marshaller would write, attribute for attribute", async () => {
    const { marshall } = await import("@aws-sdk/util-dynamodb");
    const { toItem } = await import("../../triggers/lib/audit/dynamo-store.ts");
    const { buildAuditRecord } = await import("../../triggers/lib/audit/record.ts");
    const record = buildAuditRecord(
      entry({ sourceIp: "2001:db8::1", reason: "ip-not-allowed", newDeviceUsed: false }),
      new Date("2026-11-20T09:15:00.000Z"),
      400,
    );
    expect(toItem(record)).toEqual(marshall(record, { removeUndefinedValues: true }));
  });
});
