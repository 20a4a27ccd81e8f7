/**
 * What user migration cannot avoid paying: a DynamoDB client with default settings, created at import,
 * the legacy record read (GetItem), on sign-in the same bcrypt verification with the same library, the
 * once-only migratedAt mark (UpdateItem) and the MIGRATED audit item (PutItem). bcrypt only: the
 * samples the bench measures use bcrypt hashes.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import bcrypt from "bcryptjs";
import { auditItem } from "./audit-item.ts";

const client = new DynamoDBClient({});

interface MigrationEvent {
  userName: string;
  request: { password?: string };
  response?: unknown;
}

export const handler = async (event: MigrationEvent): Promise<unknown> => {
  const login = event.userName.trim().toLowerCase();
  const table = process.env.LEGACY_USERS_TABLE_NAME;
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { login: { S: login } } }));
  if (!Item) throw new Error("unknown legacy user");
  const password = event.request.password;
  if (password !== undefined) {
    const hash = Item.passwordHash?.S ?? "";
    if (!hash.startsWith("$2")) throw new Error("the bare baseline verifies bcrypt hashes only");
    if (!(await bcrypt.compare(password, hash))) throw new Error("wrong password");
  }
  await client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { login: { S: login } },
      UpdateExpression: "SET migratedAt = :at",
      ConditionExpression: "attribute_exists(#login) AND attribute_not_exists(migratedAt)",
      ExpressionAttributeNames: { "#login": "login" },
      ExpressionAttributeValues: { ":at": { S: new Date().toISOString() } },
    }),
  );
  await client.send(
    new PutItemCommand({
      TableName: process.env.AUDIT_TABLE_NAME,
      Item: auditItem({ userName: event.userName }, "MIGRATED", (at) => `${at}#MIGRATED#<request>`),
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  event.response = {
    userAttributes: { email: Item.email?.S ?? "", email_verified: "true" },
    finalUserStatus: "CONFIRMED",
    messageAction: "SUPPRESS",
  };
  return event;
};
