/**
 * The legacy user directory of the local suite: its table and one seeded user per password-hash
 * format, so that migration on first sign-in can be tried by hand and in the demo.
 * PROVISIONAL: aligned with triggers/user-migration once its record format lands.
 */
import type { CreateTableCommandInput, DynamoDBClient } from "@aws-sdk/client-dynamodb";

export function legacyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "username", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "username", KeyType: "HASH" }],
  };
}

export async function seedLegacyUsers(_client: DynamoDBClient, _tableName: string): Promise<void> {}
