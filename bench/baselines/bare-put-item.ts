/**
 * The bare SDK client: a DynamoDB client with default settings, created at import, and one PutItem of
 * a sign-in audit item per event. What post authentication cannot avoid paying.
 */
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { auditItem } from "./audit-item.ts";

const client = new DynamoDBClient({});

export const handler = async (event: Parameters<typeof auditItem>[0]): Promise<unknown> => {
  await client.send(
    new PutItemCommand({
      TableName: process.env.AUDIT_TABLE_NAME,
      Item: auditItem(event, "SIGN_IN", (at) => `${at}#SIGN_IN#<request>`),
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return event;
};
