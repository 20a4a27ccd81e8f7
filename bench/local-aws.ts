/**
 * The AWS stand-ins the measured handlers talk to, in this process (the bench's child processes reach
 * them over HTTP through the standard AWS_ENDPOINT_URL_* variables): dynalite with the audit and
 * legacy-user tables as infra/ defines them, seeded with the replay fixture, aws-ses-v2-local, the KMS
 * stand-in the custom senders' codes are encrypted with (the samples' key), a Publish-only SNS, and an
 * AdminGetUser-only Cognito with replay's pool users.
 */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { KmsStandIn } from "../cli/kms-stand-in.ts";
import { startDynamo } from "../cli/local/dynamodb.ts";
import { legacyFixtureUsers, legacyTableDefinition } from "../cli/local/legacy-users.ts";
import { startSes } from "../cli/local/ses.ts";
import { auditTableDefinition, ensureTable } from "../cli/local/tables.ts";
import { startSns } from "../test/support/sns.ts";
import { startCognito } from "./local-cognito.ts";

export interface LocalAws {
  /** The variables a child process needs to reach the stand-ins with the SDK's default settings. */
  env: Record<string, string>;
  /** Puts every legacy user back as the fixture has it, so the next migration is a first one again. */
  resetLegacyUsers(): Promise<void>;
  clearEmails(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalAws(tables: { audit: string; legacyUsers: string }): Promise<LocalAws> {
  const dynamo = await startDynamo();
  const ses = await startSes();
  const kms = await new KmsStandIn().listen();
  // It keeps nothing: the texts carry codes, and a run sends thousands.
  const sns = await startSns({ keepRequests: false });
  const cognito = await startCognito();
  await ensureTable(dynamo.client, auditTableDefinition(tables.audit));
  await ensureTable(dynamo.client, legacyTableDefinition(tables.legacyUsers));
  const users = await legacyFixtureUsers();
  const resetLegacyUsers = async () => {
    for (const user of users) {
      await dynamo.client.send(
        new PutItemCommand({
          TableName: tables.legacyUsers,
          Item: marshall(user, { removeUndefinedValues: true }),
        }),
      );
    }
  };
  await resetLegacyUsers();
  return {
    env: {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    },
    resetLegacyUsers,
    clearEmails: () => ses.clear(),
    stop: async () => {
      await cognito.stop();
      await sns.stop();
      await kms.close();
      await ses.stop();
      await dynamo.stop();
    },
  };
}
