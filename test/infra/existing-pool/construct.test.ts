/**
 * ExistingPoolTriggers on its own, in both modes: the custom resource's properties (strings, as
 * CloudFormation hands them over), its IAM (the one pool, nothing else), and the dependency on the
 * functions' invoke permissions that makes CloudFormation detach before it deletes the functions.
 * test/infra/existing-pool.test.ts checks the construct inside the whole stack.
 */
import { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import {
  ExistingPoolTriggers,
  type ExistingPoolTriggersProps,
} from "../../../infra/existing-pool-triggers.ts";
import { testApp } from "../synth.ts";
import { iamStatements, ofType, type Resources } from "../template-graph.ts";

const FN = "arn:aws:lambda:eu-west-1:111122223333:function:";
const CONFIG = {
  PreSignUp: `${FN}suite-pre-sign-up`,
  UserMigration: `${FN}suite-user-migration`,
  PreTokenGenerationConfig: { LambdaArn: `${FN}suite-pre-token-generation`, LambdaVersion: "V2_0" },
};

type Options = Partial<Omit<ExistingPoolTriggersProps, "userPool" | "dependsOn">>;

function synth(owned: boolean, options: Options | ((stack: Stack) => Options) = {}) {
  const stack = new Stack(testApp({ bundle: false }), "Test", {
    env: { account: "111122223333", region: "eu-west-1" },
  });
  const userPool = owned
    ? new cognito.UserPool(stack, "Pool", { deletionProtection: true })
    : cognito.UserPool.fromUserPoolId(stack, "Pool", "eu-west-1_Abc123");
  const permission = new lambda.CfnPermission(stack, "InvokedByUserPool", {
    action: "lambda:InvokeFunction",
    functionName: CONFIG.PreSignUp,
    principal: "cognito-idp.amazonaws.com",
    sourceArn: userPool.userPoolArn,
  });
  new ExistingPoolTriggers(stack, "Attach", {
    userPool,
    lambdaConfig: CONFIG,
    dependsOn: [permission],
    ...(typeof options === "function" ? options(stack) : options),
  });
  const resources = Template.fromStack(stack).toJSON().Resources as Resources;
  const [[, attachment] = []] = ofType(resources, "Custom::CognitoTriggerSuiteAttachment");
  const permissionId = ofType(resources, "AWS::Lambda::Permission")[0]?.[0];
  return { resources, attachment, permissionId };
}

describe("ExistingPoolTriggers", () => {
  it("attaches by default: refuses foreign triggers, requires custom:legacy_id for user migration", () => {
    const { attachment, resources, permissionId } = synth(false);
    expect(attachment?.Properties).toEqual({
      ServiceToken: expect.anything(),
      UserPoolId: "eu-west-1_Abc123",
      LambdaConfig: CONFIG,
      Mode: "attach",
      ReplaceExistingTriggers: "false",
      RequiredAttributes: ["custom:legacy_id"],
    });
    expect([attachment?.DependsOn].flat()).toContain(permissionId);
    const cognitoStatements = iamStatements(resources).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith("cognito-idp:")),
    );
    expect(cognitoStatements).toHaveLength(1);
    expect([cognitoStatements[0]?.Action].flat().sort()).toEqual([
      "cognito-idp:DescribeUserPool",
      "cognito-idp:TagResource",
      "cognito-idp:UntagResource",
      "cognito-idp:UpdateUserPool",
    ]);
    expect(JSON.stringify(cognitoStatements[0]?.Resource)).toContain(":userpool/eu-west-1_Abc123");
    expect(JSON.stringify(cognitoStatements[0]?.Resource)).not.toContain("*");
  });

  it("passes replaceExistingTriggers and requiredAttributes as given, and encrypts its logs with the given key", () => {
    const { attachment, resources } = synth(false, (stack) => ({
      replaceExistingTriggers: true,
      requiredAttributes: [],
      logEncryptionKey: new kms.Key(stack, "Key"),
    }));
    expect(attachment?.Properties).toMatchObject({ ReplaceExistingTriggers: "true", RequiredAttributes: [] });
    const [[, logGroup] = []] = ofType(resources, "AWS::Logs::LogGroup");
    const [[keyId] = []] = ofType(resources, "AWS::KMS::Key");
    expect(logGroup?.Properties?.KmsKeyId).toEqual({ "Fn::GetAtt": [keyId, "Arn"] });
  });

  it("detach-on-delete for an owned pool: scoped to that pool, deleted before the invoke permissions", () => {
    const { attachment, resources, permissionId } = synth(true, { mode: "detach-on-delete" });
    const [[poolId] = []] = ofType(resources, "AWS::Cognito::UserPool");
    expect(attachment?.Properties).toMatchObject({
      UserPoolId: { Ref: poolId },
      LambdaConfig: CONFIG,
      Mode: "detach-on-delete",
    });
    // CloudFormation deletes in reverse dependency order: the attachment (detach) first.
    expect([attachment?.DependsOn].flat()).toContain(permissionId);
    const cognitoStatements = iamStatements(resources).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith("cognito-idp:")),
    );
    expect(cognitoStatements.map((s) => s.Resource)).toEqual([{ "Fn::GetAtt": [poolId, "Arn"] }]);
  });
});
