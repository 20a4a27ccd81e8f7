/**
 * The legacy user directory of the local suite: its table (keyed by the normalised login, as
 * triggers/user-migration reads it) and one user per password-hash format, seeded from the same
 * fixture that replay serves (each item's "note" names its password).
 */
import { readFile } from "node:fs/promises";
import {
  ConditionalCheckFailedException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";

const FIXTURE = new URL("../replay/fixtures/legacy-users.json", import.meta.url);

export function legacyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "login", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "login", KeyType: "HASH" }],
  };
}

export interface SeededUser {
  login: string;
  note?: string;
}

/** The sample users; none in the npm package, which leaves the repository's sample data out. */
export async function legacyFixtureUsers(): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await readFile(FIXTURE, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return (JSON.parse(text) as { items: Record<string, unknown>[] }).items;
}

/** Puts each fixture user unless it is already there, so a restart never undoes a migration mark. */
export async function seedLegacyUsers(client: DynamoDBClient, tableName: string): Promise<SeededUser[]> {
  const users = await legacyFixtureUsers();
  for (const item of users) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ConditionExpression: "attribute_not_exists(login)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return users.map((u) => ({
    login: String(u.login),
    ...(typeof u.note === "string" ? { note: u.note } : {}),
  }));
}
