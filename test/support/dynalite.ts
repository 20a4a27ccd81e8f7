/**
 * A real DynamoDB stand-in (dynalite, in memory; the same one `npm start` runs) started by the test
 * itself on a free port, with the standard SDK variables pointed at it, so the code under test runs
 * unchanged. Tables are created from the definitions the local suite uses.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { startDynamo } from "../../cli/local/dynamodb.ts";
import { auditTableDefinition } from "../../cli/local/tables.ts";

export type { LocalDynamo } from "../../cli/local/dynamodb.ts";

export function useLocalAwsEnv(endpoint: string): void {
  process.env.AWS_REGION = "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
}

export const startDynalite = () => startDynamo();

/** The audit table as infra/ defines it: pk/sk and the sharded time index. */
export async function createAuditTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(auditTableDefinition(tableName)));
}
