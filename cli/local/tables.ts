/**
 * The DynamoDB tables of the local suite, defined as infra/ defines them in AWS (key schema and the
 * audit table's time index). Tests create their tables from here too.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { AUDIT_TIME_INDEX, AUDIT_TIME_INDEX_ATTRIBUTES } from "../../triggers/lib/audit/record.ts";

export function auditTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "dayShard", AttributeType: "S" },
      { AttributeName: "at", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: AUDIT_TIME_INDEX,
        KeySchema: [
          { AttributeName: "dayShard", KeyType: "HASH" },
          { AttributeName: "at", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...AUDIT_TIME_INDEX_ATTRIBUTES] },
      },
    ],
  };
}

/**
 * Creates the table unless it exists (the local suite keeps its data across restarts), and returns
 * once it is ACTIVE: a table is CREATING for a moment after CreateTable (in dynalite too, even with
 * createTableMs 0), and a write to it then fails with ResourceNotFoundException.
 */
export async function ensureTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
): Promise<"created" | "exists"> {
  let outcome: "created" | "exists" = "exists";
  try {
    await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(definition));
    outcome = "created";
  }
  await untilActive(client, String(definition.TableName));
  return outcome;
}

async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} is still ${Table?.TableStatus} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
