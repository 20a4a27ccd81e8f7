/**
 * How the reader uses the table: only Query through the key design unless a Scan is asked for, and a
 * small --limit reads about that many records, not the whole range. Observed with a middleware that
 * records every command sent to dynalite and what it read.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseFilter } from "../../cli/audit/filter.ts";
import { AuditReader, type ReadRequest } from "../../cli/audit/reader.ts";
import { parseRange } from "../../cli/audit/time-range.ts";
import { parseUser } from "../../cli/audit/user-lookup.ts";
import { createAuditTable, type LocalDynamo, startDynalite } from "../support/dynalite.ts";
import { expected, ids } from "./model.ts";
import { functionalRecords, NOW, seed, USERS } from "./seed.ts";

const TABLE = "audit-reader-test";
const RECORDS = functionalRecords();
let dynamo: LocalDynamo;
let client: DynamoDBClient;
const sent: Array<{ command: string; scanned: number }> = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  await createAuditTable(dynamo.client, TABLE);
  await seed(dynamo.client, TABLE, RECORDS);
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      sent.push({ command: context.commandName ?? "?", scanned: output.ScannedCount ?? 0 });
      return result;
    },
    { step: "initialize", name: "recordCommands" },
  );
});
afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});
beforeEach(() => {
  sent.length = 0;
});

function request(options: { since: string; user?: string; event?: string[]; scan?: boolean }): ReadRequest {
  return {
    range: parseRange({ since: options.since }, NOW, "24h"),
    filter: parseFilter({ event: options.event }),
    user: options.user ? parseUser(options.user) : undefined,
    scan: options.scan ?? false,
  };
}

const reader = () => new AuditReader({ client, tableName: TABLE });
const commands = () => [...new Set(sent.map((s) => s.command))];
const scanned = () => sent.reduce((sum, s) => sum + s.scanned, 0);

describe("AuditReader", () => {
  it("queries the time index and user partitions, never scanning unless asked", async () => {
    await reader().newest(request({ since: "6d" }), 1000);
    await reader().each(request({ since: "6d" }), () => {});
    await reader().newest(request({ since: "6d", user: USERS.alice.sub }), 10);
    await reader().each(request({ since: "6d", user: "bob@example.com" }), () => {});
    expect(commands()).toEqual(["QueryCommand"]);

    sent.length = 0;
    await reader().newest(request({ since: "6d", scan: true }), 10);
    expect(commands()).toEqual(["ScanCommand"]);
  });

  it("reads one Query per day shard for a range", async () => {
    await reader().each(request({ since: "24h" }), () => {});
    // 24 hours before 2026-05-10T12:00Z touch two UTC days: 2 x 16 shards.
    expect(sent).toHaveLength(32);
  });

  it("reads a sub's history from its partitions alone, whatever the range", async () => {
    const { items } = await reader().newest(request({ since: "3650d", user: USERS.dave.sub }));
    expect(ids(items)).toEqual(
      ids(expected(RECORDS, { since: new Date(0), until: NOW, user: (r) => r.userName === "dave" })),
    );
    // USER#<sub> once for its user names, then the timed and ONCE# records of USER#<sub> and
    // USER#dave (the migration, before the sub existed): two Queries per partition read.
    expect(sent).toHaveLength(6);
    expect(commands()).toEqual(["QueryCommand"]);
  });

  it("reads about --limit records for the newest few, not the whole range", async () => {
    const { items, more } = await reader().newest(request({ since: "6d" }), 5);
    expect(ids(items)).toEqual(
      ids(expected(RECORDS, { since: new Date(NOW.getTime() - 6 * 86_400_000), until: NOW }).slice(0, 5)),
    );
    expect(more).toBe(true);
    // 16 shards of the newest day, one small page each; the whole range holds 205 records.
    expect(scanned()).toBeLessThanOrEqual(16 * 2);

    sent.length = 0;
    await reader().newest(request({ since: "6d" }), 100);
    expect(scanned()).toBeLessThan(100 * 1.6 + 16);
  });

  it("keeps reading a shard with a sparse filter until it has what the merge needs", async () => {
    const { items } = await reader().newest(request({ since: "6d", event: ["MIGRATED"] }), 1);
    expect(ids(items)).toEqual(["req-migrated"]);
  });
});
