/**
 * What post confirmation cannot avoid paying: a DynamoDB and an SES client with default settings,
 * created at import, then the once-only claim (one conditional PutItem) and one SendEmail.
 */
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { auditItem } from "./audit-item.ts";

const dynamo = new DynamoDBClient({});
const ses = new SESClient({});

export const handler = async (event: Parameters<typeof auditItem>[0]): Promise<unknown> => {
  await dynamo.send(
    new PutItemCommand({
      TableName: process.env.AUDIT_TABLE_NAME,
      Item: auditItem(event, "SIGN_UP_CONFIRMED", () => "ONCE#SIGN_UP_CONFIRMED"),
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  const to = event.request?.userAttributes?.email ?? "";
  await ses.send(
    new SendEmailCommand({
      Source: process.env.WELCOME_EMAIL_FROM,
      Destination: { ToAddresses: [to] },
      Message: {
        Subject: { Data: "Welcome", Charset: "UTF-8" },
        Body: {
          Html: { Data: "<p>Welcome</p>", Charset: "UTF-8" },
          Text: { Data: "Welcome", Charset: "UTF-8" },
        },
      },
    }),
  );
  return event;
};
