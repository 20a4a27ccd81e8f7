/**
 * The existing-pool custom resource end to end: the real `handler`, driven with the events
 * CloudFormation sends (Create, Update, Delete, the rollback and replacement Deletes), against
 * cognito-local's DescribeUserPool/UpdateUserPool (which, like Cognito, resets whatever UpdateUserPool
 * is not given), answering a local stand-in for CloudFormation's pre-signed ResponseURL that records
 * every PUT.
 *
 * Where cognito-local differs from Cognito, the test sets the pool state up itself, and says so:
 * - it names pools local_<id>, so their region is "local", and the function's region (AWS_REGION) is
 *   "local" here too;
 * - it does not report PreTokenGenerationConfig's ARN under the flat PreTokenGeneration key as Cognito
 *   does: pools "as Cognito reports them" are created or written back with that flat key;
 * - it keeps no feature plan, so pre token generation is attached as V1_0 (V2_0 needs ESSENTIALS).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { type LocalCognito, startCognito } from "../../../cli/local/cognito.ts";
import type { CustomResourceEvent } from "../../../infra/existing-pool/cloudformation-response.ts";
import { handler } from "../../../infra/existing-pool/handler.ts";
import { writeBack } from "../../../infra/existing-pool/lambda-config-change.ts";

const FN = "arn:aws:lambda:local:111122223333:function:";
const OURS = {
  PreSignUp: `${FN}suite-pre-sign-up`,
  CustomMessage: `${FN}suite-custom-message`,
  UserMigration: `${FN}suite-user-migration`,
  PreTokenGenerationConfig: { LambdaArn: `${FN}suite-pre-token-generation`, LambdaVersion: "V1_0" },
} satisfies LambdaConfigType;
const THEIR_PRE_SIGN_UP = `${FN}their-pre-sign-up`;
const THEIR_MIGRATION = `${FN}their-user-migration`;
const THEIR_TOKENS = `${FN}their-pre-token-generation`;
const THEIR_AUTH = `${FN}their-define-auth-challenge`;
const TAG = "cognito-trigger-suite:replaced:";
const LEGACY_ID = { Name: "legacy_id", AttributeDataType: "String", Mutable: true } as const;

interface Answer {
  Status: "SUCCESS" | "FAILED";
  Reason?: string;
  PhysicalResourceId: string;
  RequestId: string;
}

let cognito: LocalCognito;
let dataDir: string;
let responses: Server;
let responseUrl: string;
const answers = new Map<string, Answer & { method?: string }>();
let requests = 0;
let logged: MockInstance<typeof console.log>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "existing-pool-cr-"));
  cognito = await startCognito({ dataDir, lambdaEndpoint: "http://127.0.0.1:9" });
  // The handler builds its client from the standard variables, as in Lambda.
  vi.stubEnv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", cognito.endpoint);
  vi.stubEnv("AWS_REGION", "local");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  responses = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const answer = JSON.parse(body) as Answer;
      answers.set(answer.RequestId, { method: request.method, ...answer });
      response.end();
    });
  });
  await new Promise<void>((resolve) => responses.listen(0, "127.0.0.1", resolve));
  responseUrl = `http://127.0.0.1:${(responses.address() as AddressInfo).port}/answer`;
}, 30_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await cognito?.stop();
  await new Promise((resolve) => responses?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  logged = vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

/** Sends one CloudFormation request to the handler and returns the answer it PUT. */
async function send(
  type: CustomResourceEvent["RequestType"],
  properties: Record<string, unknown>,
  extra: { PhysicalResourceId?: string; OldResourceProperties?: Record<string, unknown> } = {},
): Promise<Answer> {
  const requestId = `request-${++requests}`;
  await handler({
    RequestType: type,
    ResponseURL: responseUrl,
    StackId: "arn:aws:cloudformation:local:111122223333:stack/suite/1",
    RequestId: requestId,
    LogicalResourceId: "ExistingPoolAttachment",
    ResourceProperties: { ServiceToken: `${FN}attacher`, ...properties },
    ...extra,
  });
  const answer = answers.get(requestId);
  if (!answer) throw new Error(`no answer to ${requestId}`);
  expect(answer.method).toBe("PUT");
  return answer;
}

async function createPool(
  lambdaConfig: Record<string, unknown>,
  more: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const { UserPool } = await cognito.client.send(
    new CreateUserPoolCommand({
      PoolName: "theirs",
      Policies: { PasswordPolicy: { MinimumLength: 14, RequireSymbols: true, RequireNumbers: true } },
      AutoVerifiedAttributes: ["email"],
      EmailVerificationSubject: "Their subject",
      EmailVerificationMessage: "Their message {####}",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: [LEGACY_ID],
      UserPoolTags: { team: "identity" },
      LambdaConfig: lambdaConfig as LambdaConfigType,
      ...more,
    }),
  );
  return UserPool?.Id as string;
}

async function describePool(id: string): Promise<UserPoolType> {
  return (await cognito.client.send(new DescribeUserPoolCommand({ UserPoolId: id })))
    .UserPool as UserPoolType;
}

/** A change made outside the stack (console, another tool): the pool written back with this LambdaConfig. */
async function changeOutsideTheStack(id: string, lambdaConfig: Record<string, unknown>): Promise<void> {
  const current = await describePool(id);
  await cognito.client.send(new UpdateUserPoolCommand(writeBack(current, { LambdaConfig: lambdaConfig })));
}

/** Everything but the triggers and the tags (and the write's timestamp). */
function settingsOf(pool: UserPoolType) {
  const { LambdaConfig: _l, UserPoolTags: _t, LastModifiedDate: _m, ...settings } = pool;
  // The deprecated twin of Policies.PasswordPolicy.TemporaryPasswordValidityDays, which UpdateUserPool
  // refuses beside it (lambda-config-change.ts).
  const { UnusedAccountValidityDays: _twin, ...adminCreateUser } = settings.AdminCreateUserConfig ?? {};
  return { ...settings, AdminCreateUserConfig: adminCreateUser };
}

function recordTags(pool: UserPoolType): string[] {
  return Object.keys(pool.UserPoolTags ?? {}).filter((key) => key.startsWith(TAG));
}

/** A pool's pre token generation trigger as Cognito reports it: the config and its flat mirror. */
const theirTokens = {
  PreTokenGenerationConfig: { LambdaArn: THEIR_TOKENS, LambdaVersion: "V1_0" },
  PreTokenGeneration: THEIR_TOKENS,
};

describe("foreign triggers", () => {
  it("are refused by default: FAILED, naming the key, the ARN and the setting; the rollback Delete leaves the pool alone", async () => {
    const id = await createPool({
      PreSignUp: THEIR_PRE_SIGN_UP,
      DefineAuthChallenge: THEIR_AUTH,
      ...theirTokens,
    });
    const before = await describePool(id);

    const created = await send("Create", { UserPoolId: id, LambdaConfig: OURS });
    expect(created.Status).toBe("FAILED");
    expect(created.Reason).toContain(`PreSignUp is ${THEIR_PRE_SIGN_UP}`);
    expect(created.Reason).toContain(`PreTokenGenerationConfig is ${THEIR_TOKENS}`);
    expect(created.Reason).toContain("set replaceExistingTriggers to true");
    expect(created.PhysicalResourceId).toBe(`${id}/cognito-trigger-suite`);
    expect(await describePool(id)).toEqual(before);

    // CloudFormation deletes what failed to create, with the id the FAILED answer gave.
    const rollback = await send(
      "Delete",
      { UserPoolId: id, LambdaConfig: OURS },
      { PhysicalResourceId: created.PhysicalResourceId },
    );
    expect(rollback.Status).toBe("SUCCESS");
    expect(await describePool(id)).toEqual(before);
  });

  it("are replaced when allowed, recorded in tags, and restored exactly by the Delete (stack deletion or a create's rollback)", async () => {
    const id = await createPool({
      PreSignUp: THEIR_PRE_SIGN_UP,
      DefineAuthChallenge: THEIR_AUTH,
      ...theirTokens,
    });
    const before = await describePool(id);
    const properties = { UserPoolId: id, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };

    const created = await send("Create", properties);
    expect(created).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: `${id}/cognito-trigger-suite` });
    const attached = await describePool(id);
    expect(attached.LambdaConfig).toEqual({ DefineAuthChallenge: THEIR_AUTH, ...OURS });
    expect(attached.UserPoolTags).toEqual({
      team: "identity",
      [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP,
      [`${TAG}PreTokenGenerationConfig`]: `V1_0 ${THEIR_TOKENS}`,
      [`${TAG}PreTokenGeneration`]: THEIR_TOKENS,
    });
    expect(settingsOf(attached)).toEqual(settingsOf(before));
    // The log names what was replaced, and nothing of the pool's settings.
    const log = String(logged.mock.calls.at(-1)?.[0]);
    expect(JSON.parse(log)).toMatchObject({
      msg: "trigger attachment",
      requestType: "Create",
      changed: true,
    });
    expect(log).toContain('"replaced":["PreSignUp","PreTokenGenerationConfig","PreTokenGeneration"]');
    expect(log).not.toMatch(/Their subject|Policies|EmailVerification/);

    const deleted = await send("Delete", properties, { PhysicalResourceId: created.PhysicalResourceId });
    expect(deleted.Status).toBe("SUCCESS");
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual(before.LambdaConfig);
    expect(after.UserPoolTags).toEqual(before.UserPoolTags);
    expect(settingsOf(after)).toEqual(settingsOf(before));
  });

  it("an Update that stops setting a key puts back what the suite replaced there", async () => {
    const id = await createPool({ UserMigration: THEIR_MIGRATION });
    const all = { UserPoolId: id, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };
    const created = await send("Create", all);
    const { UserMigration: _dropped, ...fewer } = OURS;
    const updated = await send(
      "Update",
      { ...all, LambdaConfig: fewer },
      { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: all },
    );
    expect(updated).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: created.PhysicalResourceId });
    const pool = await describePool(id);
    expect(pool.LambdaConfig).toEqual({ ...fewer, UserMigration: THEIR_MIGRATION });
    expect(recordTags(pool)).toEqual([]);
  });

  it("a Delete leaves a replaced key someone has repointed since, and still drops its record", async () => {
    const id = await createPool({ PreSignUp: THEIR_PRE_SIGN_UP, UserMigration: THEIR_MIGRATION });
    const properties = { UserPoolId: id, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };
    const created = await send("Create", properties);
    const attached = await describePool(id);
    await changeOutsideTheStack(id, { ...attached.LambdaConfig, PreSignUp: `${FN}someone-elses` });

    await send("Delete", properties, { PhysicalResourceId: created.PhysicalResourceId });
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual({ PreSignUp: `${FN}someone-elses`, UserMigration: THEIR_MIGRATION });
    expect(after.UserPoolTags).toEqual({ team: "identity" });
  });
});

describe("the optional triggers and the custom senders' key", () => {
  const versioned = (arn: string) => ({ LambdaArn: arn, LambdaVersion: "V1_0" });
  const KEY = "arn:aws:kms:local:111122223333:key/suite-0000";
  const THEIR_KEY = "arn:aws:kms:local:111122223333:key/their-1111";
  const WITH_ALL = {
    ...OURS,
    InboundFederation: versioned(`${FN}suite-inbound-federation`),
    CustomEmailSender: versioned(`${FN}suite-custom-email-sender`),
    CustomSMSSender: versioned(`${FN}suite-custom-sms-sender`),
    KMSKeyID: KEY,
  };

  it("cognito-local keeps InboundFederation, CustomEmailSender, CustomSMSSender and KMSKeyID through UpdateUserPool", async () => {
    const id = await createPool({});
    await changeOutsideTheStack(id, WITH_ALL);
    expect((await describePool(id)).LambdaConfig).toEqual(WITH_ALL);
  });

  it("replaces their sender and key as one unit when allowed, and the Delete puts them back exactly", async () => {
    const theirs = {
      DefineAuthChallenge: THEIR_AUTH,
      CustomSMSSender: versioned(`${FN}their-sms-sender`),
      KMSKeyID: THEIR_KEY,
    };
    const id = await createPool(theirs);
    const before = await describePool(id);

    const refused = await send("Create", { UserPoolId: id, LambdaConfig: WITH_ALL });
    expect(refused.Status).toBe("FAILED");
    expect(refused.Reason).toContain(`KMSKeyID is ${THEIR_KEY}`);
    expect(refused.Reason).toContain("share the pool's one KMSKeyID");
    expect(await describePool(id)).toEqual(before);

    const properties = { UserPoolId: id, LambdaConfig: WITH_ALL, ReplaceExistingTriggers: "true" };
    const created = await send("Create", properties);
    expect(created.Status).toBe("SUCCESS");
    const attached = await describePool(id);
    expect(attached.LambdaConfig).toEqual({ DefineAuthChallenge: THEIR_AUTH, ...WITH_ALL });
    expect(attached.UserPoolTags).toEqual({
      team: "identity",
      [`${TAG}CustomSMSSender`]: `V1_0 ${FN}their-sms-sender`,
      [`${TAG}KMSKeyID`]: THEIR_KEY,
    });
    expect(settingsOf(attached)).toEqual(settingsOf(before));

    const deleted = await send("Delete", properties, { PhysicalResourceId: created.PhysicalResourceId });
    expect(deleted.Status).toBe("SUCCESS");
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual(before.LambdaConfig);
    expect(after.UserPoolTags).toEqual(before.UserPoolTags);
  });

  it("an Update that drops the last sender takes the suite's key off with it", async () => {
    const id = await createPool({});
    const all = { UserPoolId: id, LambdaConfig: WITH_ALL };
    const created = await send("Create", all);
    const { CustomEmailSender: _e, CustomSMSSender: _s, KMSKeyID: _k, ...withoutSenders } = WITH_ALL;
    const updated = await send(
      "Update",
      { ...all, LambdaConfig: withoutSenders },
      { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: all },
    );
    expect(updated.Status).toBe("SUCCESS");
    expect((await describePool(id)).LambdaConfig).toEqual(withoutSenders);
  });
});

describe("changing the pool id", () => {
  it("is a replacement: new physical id, the new pool attached, the old one left until its Delete restores it", async () => {
    const oldId = await createPool({ PreSignUp: THEIR_PRE_SIGN_UP, DefineAuthChallenge: THEIR_AUTH });
    const newId = await createPool({ UserMigration: THEIR_MIGRATION });
    const oldBefore = await describePool(oldId);
    const newBefore = await describePool(newId);
    const oldProperties = { UserPoolId: oldId, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };
    const newProperties = { ...oldProperties, UserPoolId: newId };

    const created = await send("Create", oldProperties);
    const oldAttached = await describePool(oldId);
    const updated = await send("Update", newProperties, {
      PhysicalResourceId: created.PhysicalResourceId,
      OldResourceProperties: oldProperties,
    });
    expect(updated).toMatchObject({
      Status: "SUCCESS",
      PhysicalResourceId: `${newId}/cognito-trigger-suite`,
    });
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    const newAttached = await describePool(newId);
    expect(newAttached.LambdaConfig).toEqual(OURS);
    expect(newAttached.UserPoolTags).toEqual({ team: "identity", [`${TAG}UserMigration`]: THEIR_MIGRATION });
    // The Update does not touch the old pool: its triggers stay until CloudFormation's cleanup.
    expect(await describePool(oldId)).toEqual(oldAttached);

    // The cleanup phase: Delete of the old physical id, with the old properties.
    const cleanup = await send("Delete", oldProperties, { PhysicalResourceId: created.PhysicalResourceId });
    expect(cleanup.Status).toBe("SUCCESS");
    const oldAfter = await describePool(oldId);
    expect(oldAfter.LambdaConfig).toEqual(oldBefore.LambdaConfig);
    expect(oldAfter.UserPoolTags).toEqual(oldBefore.UserPoolTags);
    expect(settingsOf(oldAfter)).toEqual(settingsOf(oldBefore));
    expect(await describePool(newId)).toEqual(newAttached);

    // And the new pool's own Delete (stack deletion, or the rollback of the update) restores it.
    await send("Delete", newProperties, { PhysicalResourceId: updated.PhysicalResourceId });
    const newAfter = await describePool(newId);
    expect(newAfter.LambdaConfig).toEqual(newBefore.LambdaConfig);
    expect(newAfter.UserPoolTags).toEqual(newBefore.UserPoolTags);
  });

  it("to a pool with a foreign trigger fails, keeping the old id; the rollback Update changes nothing", async () => {
    const oldId = await createPool({});
    const newId = await createPool({ PreSignUp: THEIR_PRE_SIGN_UP });
    const oldProperties = { UserPoolId: oldId, LambdaConfig: OURS };
    const newProperties = { UserPoolId: newId, LambdaConfig: OURS };
    const created = await send("Create", oldProperties);
    const oldAttached = await describePool(oldId);
    const newBefore = await describePool(newId);

    const updated = await send("Update", newProperties, {
      PhysicalResourceId: created.PhysicalResourceId,
      OldResourceProperties: oldProperties,
    });
    expect(updated).toMatchObject({ Status: "FAILED", PhysicalResourceId: created.PhysicalResourceId });
    expect(updated.Reason).toContain(`PreSignUp is ${THEIR_PRE_SIGN_UP}`);
    expect(await describePool(newId)).toEqual(newBefore);

    // CloudFormation rolls the resource back: an Update to the old properties.
    const rolledBack = await send("Update", oldProperties, {
      PhysicalResourceId: created.PhysicalResourceId,
      OldResourceProperties: newProperties,
    });
    expect(rolledBack).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: created.PhysicalResourceId });
    expect(await describePool(oldId)).toEqual(oldAttached);
    expect(await describePool(newId)).toEqual(newBefore);
  });
});

describe("delete", () => {
  it("removes the flat PreTokenGeneration Cognito reports beside the config when it is the suite's", async () => {
    const id = await createPool({ DefineAuthChallenge: THEIR_AUTH });
    const properties = { UserPoolId: id, LambdaConfig: OURS };
    const created = await send("Create", properties);
    // cognito-local does not mirror the config's ARN into the flat key; Cognito does: so does the test.
    await changeOutsideTheStack(id, {
      ...(await describePool(id)).LambdaConfig,
      PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
    });

    await send("Delete", properties, { PhysicalResourceId: created.PhysicalResourceId });
    expect((await describePool(id)).LambdaConfig).toEqual({ DefineAuthChallenge: THEIR_AUTH });
  });

  it("answers SUCCESS for a pool that no longer exists", async () => {
    const id = await createPool({});
    await cognito.client.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    const deleted = await send(
      "Delete",
      { UserPoolId: id, LambdaConfig: OURS },
      { PhysicalResourceId: `${id}/cognito-trigger-suite` },
    );
    expect(deleted).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: `${id}/cognito-trigger-suite` });
  });
});

describe("deploy-time checks", () => {
  it("a pool without custom:legacy_id fails, saying what writes it and how to add it; with it, the create succeeds", async () => {
    const id = await createPool({}, { Schema: [] });
    const before = await describePool(id);
    const properties = { UserPoolId: id, LambdaConfig: OURS, RequiredAttributes: ["custom:legacy_id"] };

    const failed = await send("Create", properties);
    expect(failed.Status).toBe("FAILED");
    expect(failed.Reason).toContain(
      `User pool ${id} has no attribute custom:legacy_id: user migration writes it`,
    );
    expect(failed.Reason).toContain(`aws cognito-idp add-custom-attributes --user-pool-id ${id}`);
    await send("Delete", properties, { PhysicalResourceId: failed.PhysicalResourceId });
    expect(await describePool(id)).toEqual(before);

    await cognito.client.send(
      new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [LEGACY_ID] }),
    );
    expect(await send("Create", properties)).toMatchObject({ Status: "SUCCESS" });
    expect((await describePool(id)).LambdaConfig).toEqual(OURS);
  });

  it("a pool of another region than the functions' fails naming both, and is not touched", async () => {
    const id = await createPool({});
    const before = await describePool(id);
    vi.stubEnv("AWS_REGION", "eu-west-1");
    try {
      const failed = await send("Create", { UserPoolId: id, LambdaConfig: OURS });
      expect(failed.Status).toBe("FAILED");
      expect(failed.Reason).toContain(
        `User pool ${id} is in region local, but the suite's functions are in eu-west-1`,
      );
      const rollback = await send(
        "Delete",
        { UserPoolId: id, LambdaConfig: OURS },
        { PhysicalResourceId: failed.PhysicalResourceId },
      );
      expect(rollback.Status).toBe("SUCCESS");
    } finally {
      vi.stubEnv("AWS_REGION", "local");
    }
    expect(await describePool(id)).toEqual(before);
  });
});

describe("detach-on-delete (a pool the stack owns)", () => {
  it("leaves the pool to CloudFormation on Create and Update; Delete removes only the suite's triggers", async () => {
    // As CloudFormation's pool resource sets it (and Cognito reports it), beside their own trigger.
    const id = await createPool({
      ...OURS,
      PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
      DefineAuthChallenge: THEIR_AUTH,
    });
    const before = await describePool(id);
    const properties = { UserPoolId: id, LambdaConfig: OURS, Mode: "detach-on-delete" };

    const created = await send("Create", properties);
    expect(created).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: `${id}/cognito-trigger-suite` });
    const updated = await send(
      "Update",
      { ...properties, RequiredAttributes: ["custom:legacy_id"] },
      { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: properties },
    );
    expect(updated).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: created.PhysicalResourceId });
    expect(await describePool(id)).toEqual(before);

    // Someone points Custom message elsewhere; then the stack is destroyed (the pool is retained).
    await changeOutsideTheStack(id, { ...before.LambdaConfig, CustomMessage: `${FN}their-custom-message` });
    const deleted = await send("Delete", properties, { PhysicalResourceId: created.PhysicalResourceId });
    expect(deleted.Status).toBe("SUCCESS");
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual({
      DefineAuthChallenge: THEIR_AUTH,
      CustomMessage: `${FN}their-custom-message`,
    });
    expect(after.UserPoolTags).toEqual(before.UserPoolTags);
    expect(settingsOf(after)).toEqual(settingsOf(before));
  });
});
