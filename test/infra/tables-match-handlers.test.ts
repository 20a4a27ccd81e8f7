/**
 * The tables the construct creates fit the code that uses them: each is created in dynalite exactly as
 * the synthesized template declares it (keys, index), then the handlers' real DynamoDB stores write and
 * read it. A key-schema mismatch fails here instead of on the first sign-in in AWS.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditTable } from "../../infra/audit-table.ts";
import { LegacyUsersTable } from "../../infra/legacy-users-table.ts";
import { DynamoAuditStore } from "../../triggers/lib/audit/dynamo-store.ts";
import { AUDIT_TIME_INDEX, buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { DynamoLegacyUserStore } from "../../triggers/user-migration/dynamo-legacy-store.ts";
import { type LocalDynamo, startDynalite } from "../support/dynalite.ts";
import { testApp } from "./synth.ts";

let dynamo: LocalDynamo;
let declared: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  const stack = new Stack(testApp({ bundle: false }), "Tables");
  new AuditTable(stack, "Audit");
  new LegacyUsersTable(stack, "Legacy");
  const resources = Template.fromStack(stack).findResources("AWS::DynamoDB::Table");
  declared = Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [id.startsWith("Audit") ? "audit" : "legacy", r.Properties]),
  );
  dynamo = await startDynalite();
}, 60_000);

afterAll(() => dynamo?.stop());

/** CreateTable input from the template's properties (the API and CloudFormation share these names). */
function createTableInput(name: string, props: Record<string, unknown>): CreateTableCommandInput {
  const gsis = props.GlobalSecondaryIndexes as CreateTableCommandInput["GlobalSecondaryIndexes"];
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput["AttributeDefinitions"],
    KeySchema: props.KeySchema as CreateTableCommandInput["KeySchema"],
    ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}),
  };
}

describe("the audit table", () => {
  it("takes the audit trail's conditional PutItem and serves the sharded time index", async () => {
    await dynamo.client.send(new CreateTableCommand(createTableInput("audit", declared.audit ?? {})));
    const store = new DynamoAuditStore(dynamo.client);
    const now = new Date("2026-11-20T10:00:00.000Z");
    const record = buildAuditRecord(
      {
        event: "SIGN_IN",
        outcome: "success",
        triggerSource: "PostAuthentication_Authentication",
        userPoolId: "p",
        sub: "s-1",
        requestId: "r-1",
      },
      now,
      400,
    );
    expect(await store.put("audit", record)).toBe("written");
    expect(await store.put("audit", record)).toBe("duplicate");

    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: "audit",
        IndexName: AUDIT_TIME_INDEX,
        KeyConditionExpression: "dayShard = :shard AND begins_with(#at, :day)",
        ExpressionAttributeNames: { "#at": "at" },
        ExpressionAttributeValues: { ":shard": { S: record.dayShard }, ":day": { S: "2026-11-20" } },
      }),
    );
    expect(Items?.map((item) => item.sk?.S)).toEqual([record.sk]);
  });
});

describe("the legacy users table", () => {
  it("is read and marked by the migration trigger's store, by login", async () => {
    await dynamo.client.send(new CreateTableCommand(createTableInput("legacy", declared.legacy ?? {})));
    await dynamo.client.send(
      new PutItemCommand({
        TableName: "legacy",
        Item: { login: { S: "alice@example.com" }, hash: { S: "$2b$10$x" } },
      }),
    );
    const store = new DynamoLegacyUserStore(dynamo.client);
    expect(await store.get("legacy", "alice@example.com")).toMatchObject({
      login: "alice@example.com",
    });
    expect(await store.get("legacy", "bob@example.com")).toBeUndefined();
    expect(await store.markMigrated("legacy", "alice@example.com", "2026-11-20T10:00:00.000Z")).toBe(
      "marked",
    );
    expect(await store.markMigrated("legacy", "alice@example.com", "2026-11-21T10:00:00.000Z")).toBe(
      "unchanged",
    );
  });
});
