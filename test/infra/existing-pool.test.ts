/**
 * Attaching the suite to a pool created elsewhere (imported by id): the custom resource reads the pool
 * and writes it back with only LambdaConfig changed, because UpdateUserPool resets whatever it is not
 * given. Checked three ways: the request it builds (pure), the stack it synthesizes, and the custom
 * resource handler end to end against cognito-local, which resets unspecified settings the same way.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalCognito, startCognito } from "../../cli/local/cognito.ts";
import type { CustomResourceEvent } from "../../infra/existing-pool/cloudformation-response.ts";
import { handler } from "../../infra/existing-pool/handler.ts";
import {
  featurePlanProblem,
  lambdaConfigChange,
  writeBack,
} from "../../infra/existing-pool/lambda-config-change.ts";
import { SUITE_LAMBDA_CONFIG_KEYS } from "../support/lambda-config-keys.ts";
import { config, synthSuite } from "./synth.ts";
import { iamStatements, ofType, type Resources, referencesIn } from "./template-graph.ts";

const OURS = {
  PreSignUp: "arn:aws:lambda:eu-west-1:111122223333:function:suite-pre-sign-up",
  UserMigration: "arn:aws:lambda:eu-west-1:111122223333:function:suite-user-migration",
  PreTokenGenerationConfig: {
    LambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:suite-pre-token-generation",
    LambdaVersion: "V1_0",
  },
} satisfies LambdaConfigType;
const THEIRS = "arn:aws:lambda:eu-west-1:111122223333:function:their-define-auth-challenge";

describe("the UpdateUserPool request", () => {
  const pool: UserPoolType = {
    Id: "eu-west-1_Abc123",
    Name: "theirs",
    Arn: "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Abc123",
    Policies: { PasswordPolicy: { MinimumLength: 14, TemporaryPasswordValidityDays: 2 } },
    MfaConfiguration: "OPTIONAL",
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 2 },
    // The flat key as Cognito mirrors it from an earlier attachment of the suite's own function.
    LambdaConfig: {
      DefineAuthChallenge: THEIRS,
      PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
    },
    SchemaAttributes: [{ Name: "email" }],
    UserPoolTier: "ESSENTIALS",
    DeletionProtection: "ACTIVE",
    EstimatedNumberOfUsers: 12,
  };

  it("repeats every updatable setting and changes only LambdaConfig", () => {
    const { request, changed } = lambdaConfigChange(pool, OURS);
    expect(changed).toBe(true);
    expect(request).toEqual({
      UserPoolId: "eu-west-1_Abc123",
      PoolName: "theirs",
      Policies: pool.Policies,
      MfaConfiguration: "OPTIONAL",
      // The deprecated twin of TemporaryPasswordValidityDays, which UpdateUserPool refuses beside it.
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: "ESSENTIALS",
      DeletionProtection: "ACTIVE",
      // Their trigger kept; the flat PreTokenGeneration dropped so the V2/V3 config takes effect.
      LambdaConfig: { DefineAuthChallenge: THEIRS, ...OURS },
    });
    expect(pool.AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(2);
  });

  it("removes what the suite set before only while it still points at the suite", () => {
    const current = { ...pool, LambdaConfig: { ...OURS, PreSignUp: "arn:someone-else" } };
    const { request } = lambdaConfigChange(current, {}, OURS);
    expect(request.LambdaConfig).toEqual({ PreSignUp: "arn:someone-else" });
  });

  it("refuses V2_0/V3_0 pre token generation unless the pool is on ESSENTIALS or PLUS", () => {
    const v2 = { PreTokenGenerationConfig: { LambdaArn: "arn:x", LambdaVersion: "V2_0" as const } };
    expect(featurePlanProblem({ ...pool, UserPoolTier: "LITE" }, v2)).toMatch(
      /needs the ESSENTIALS or PLUS feature plan/,
    );
    expect(featurePlanProblem({ ...pool, UserPoolTier: undefined }, v2)).toMatch(/an unknown plan/);
    expect(featurePlanProblem({ ...pool, UserPoolTier: "PLUS" }, v2)).toBeUndefined();
    expect(featurePlanProblem({ ...pool, UserPoolTier: "LITE" }, OURS)).toBeUndefined();
  });
});

describe("the stack with existingUserPoolId", () => {
  it("creates no pool and attaches all seven triggers through the custom resource, least privilege", () => {
    const synthesized = synthSuite(config({ existingUserPoolId: "eu-west-1_Abc123" }), { bundle: false });
    try {
      const resources = synthesized.template.toJSON().Resources as Resources;
      expect(ofType(resources, "AWS::Cognito::UserPool")).toEqual([]);
      const [[attachmentId, attachment] = []] = ofType(resources, "Custom::CognitoTriggerSuiteAttachment");
      const lambdaConfig = attachment?.Properties?.LambdaConfig as Record<string, unknown>;
      expect(attachment?.Properties?.UserPoolId).toBe("eu-west-1_Abc123");
      // Foreign triggers refused by default; user migration needs custom:legacy_id on the pool.
      expect(attachment?.Properties).toMatchObject({
        Mode: "attach",
        ReplaceExistingTriggers: "false",
        RequiredAttributes: ["custom:legacy_id"],
      });
      expect(Object.keys(lambdaConfig).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
      expect(lambdaConfig.PreTokenGenerationConfig).toMatchObject({ LambdaVersion: "V2_0" });

      const permissions = ofType(resources, "AWS::Lambda::Permission");
      expect(permissions).toHaveLength(7);
      for (const [id, permission] of permissions) {
        expect(JSON.stringify(permission.Properties?.SourceArn)).toContain(":userpool/eu-west-1_Abc123");
        expect([attachment?.DependsOn ?? []].flat()).toContain(id);
      }
      const attacher = iamStatements(resources).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith("cognito-idp:")),
      );
      expect(attacher).toHaveLength(1);
      expect([attacher[0]?.Action].flat().sort()).toEqual([
        "cognito-idp:DescribeUserPool",
        "cognito-idp:TagResource",
        "cognito-idp:UntagResource",
        "cognito-idp:UpdateUserPool",
      ]);
      expect(JSON.stringify(attacher[0]?.Resource)).toContain(":userpool/eu-west-1_Abc123");
      expect(referencesIn(attachment?.Properties?.ServiceToken).size).toBe(1);
      expect(attachmentId).toBeDefined();
      expect(synthesized.template.findOutputs("SpaClientId")).toEqual({});
    } finally {
      synthesized.cleanup();
    }
  }, 60_000);
});

describe("the custom resource handler against cognito-local", () => {
  let cognito: LocalCognito;
  let dataDir: string;
  let responses: Server;
  let responseUrl: string;
  const answers: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "existing-pool-"));
    cognito = await startCognito({ dataDir, lambdaEndpoint: "http://127.0.0.1:9" });
    // The handler builds its client from the standard variables, as in Lambda.
    vi.stubEnv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", cognito.endpoint);
    // cognito-local names its pools local_<id>: their region is "local", and so is the function's here.
    vi.stubEnv("AWS_REGION", "local");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
    // CloudFormation's side of the protocol: record each answer the handler PUTs.
    responses = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        answers.push({ method: request.method, ...JSON.parse(body) });
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

  async function theirPool(): Promise<string> {
    const { UserPool } = await cognito.client.send(
      new CreateUserPoolCommand({
        PoolName: "theirs",
        Policies: { PasswordPolicy: { MinimumLength: 14, RequireSymbols: true, RequireNumbers: true } },
        AutoVerifiedAttributes: ["email"],
        EmailVerificationSubject: "Their subject",
        EmailVerificationMessage: "Their message {####}",
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        LambdaConfig: { DefineAuthChallenge: THEIRS },
      }),
    );
    return UserPool?.Id as string;
  }

  async function describePool(id: string): Promise<UserPoolType> {
    return (await cognito.client.send(new DescribeUserPoolCommand({ UserPoolId: id })))
      .UserPool as UserPoolType;
  }

  function event(
    type: CustomResourceEvent["RequestType"],
    props: Record<string, unknown>,
    old?: Record<string, unknown>,
  ) {
    return {
      RequestType: type,
      ResponseURL: responseUrl,
      StackId: "arn:aws:cloudformation:eu-west-1:111122223333:stack/test/1",
      RequestId: `request-${answers.length}`,
      LogicalResourceId: "Attachment",
      ResourceProperties: props,
      ...(old
        ? { OldResourceProperties: old, PhysicalResourceId: `${props.UserPoolId}/cognito-trigger-suite` }
        : {}),
      ...(type === "Delete" ? { PhysicalResourceId: `${props.UserPoolId}/cognito-trigger-suite` } : {}),
    } as CustomResourceEvent;
  }

  it("shows why: a plain UpdateUserPool with only LambdaConfig resets the pool's other settings", async () => {
    const id = await theirPool();
    await cognito.client.send(new UpdateUserPoolCommand({ UserPoolId: id, LambdaConfig: OURS }));
    const pool = await describePool(id);
    expect(pool.EmailVerificationSubject).toBeUndefined();
    expect(pool.AdminCreateUserConfig).toBeUndefined();
  });

  it("creates: sets the suite's triggers, keeps theirs and every other setting, answers SUCCESS", async () => {
    const id = await theirPool();
    const before = await describePool(id);
    await handler(event("Create", { UserPoolId: id, LambdaConfig: OURS }));
    expect(answers.at(-1)).toMatchObject({
      method: "PUT",
      Status: "SUCCESS",
      PhysicalResourceId: `${id}/cognito-trigger-suite`,
      LogicalResourceId: "Attachment",
    });
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual({ DefineAuthChallenge: THEIRS, ...OURS });
    for (const key of [
      "Policies",
      "AutoVerifiedAttributes",
      "EmailVerificationSubject",
      "EmailVerificationMessage",
    ] as const) {
      expect(after[key], key).toEqual(before[key]);
    }
    // Kept too, without the deprecated twin of Policies.PasswordPolicy.TemporaryPasswordValidityDays.
    const { UnusedAccountValidityDays: _twin, ...adminCreateUser } = before.AdminCreateUserConfig ?? {};
    expect(after.AdminCreateUserConfig).toEqual(adminCreateUser);
    expect(after.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBeDefined();
  });

  it("updates: drops a trigger the suite no longer sets; deletes: removes only what is still the suite's", async () => {
    const id = await theirPool();
    await handler(event("Create", { UserPoolId: id, LambdaConfig: OURS }));
    const { UserMigration: _dropped, ...fewer } = OURS;
    await handler(
      event("Update", { UserPoolId: id, LambdaConfig: fewer }, { UserPoolId: id, LambdaConfig: OURS }),
    );
    expect((await describePool(id)).LambdaConfig).toEqual({ DefineAuthChallenge: THEIRS, ...fewer });

    // Someone repoints PreSignUp meanwhile (keeping every other setting); the stack is then deleted.
    const current = await describePool(id);
    await cognito.client.send(
      new UpdateUserPoolCommand(
        writeBack(current, {
          LambdaConfig: {
            ...current.LambdaConfig,
            PreSignUp: "arn:aws:lambda:eu-west-1:111122223333:function:theirs",
          },
        }),
      ),
    );
    await handler(event("Delete", { UserPoolId: id, LambdaConfig: fewer }));
    expect(answers.at(-1)).toMatchObject({ Status: "SUCCESS" });
    const after = await describePool(id);
    expect(after.LambdaConfig).toEqual({
      DefineAuthChallenge: THEIRS,
      PreSignUp: "arn:aws:lambda:eu-west-1:111122223333:function:theirs",
    });
    expect(after.EmailVerificationSubject).toBe("Their subject");
  });

  it("answers FAILED, with the reason, and leaves the pool alone when the plan does not allow V2_0", async () => {
    const id = await theirPool();
    const v2 = {
      ...OURS,
      PreTokenGenerationConfig: { ...OURS.PreTokenGenerationConfig, LambdaVersion: "V2_0" },
    };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await handler(event("Create", { UserPoolId: id, LambdaConfig: v2 }));
    expect(answers.at(-1)).toMatchObject({
      Status: "FAILED",
      Reason: expect.stringMatching(/ESSENTIALS or PLUS/),
    });
    expect(String(logged.mock.calls[0]?.[0])).toMatch(
      /"msg":"trigger attachment failed".*ESSENTIALS or PLUS/,
    );
    logged.mockRestore();
    expect((await describePool(id)).LambdaConfig).toEqual({ DefineAuthChallenge: THEIRS });
  });

  it("answers SUCCESS to a Delete of a pool that no longer exists", async () => {
    await handler(event("Delete", { UserPoolId: "local_gone0000", LambdaConfig: OURS }));
    expect(answers.at(-1)).toMatchObject({ Status: "SUCCESS" });
  });
});
