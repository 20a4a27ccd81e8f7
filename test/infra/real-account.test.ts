/**
 * What a first deployment into a real account relies on and no offline service can show: IAM
 * conditions, encryption, threat protection, WAF logging, the runtime, and the deployment
 * configuration's fields for an existing pool. Each point is asserted on the synthesized template
 * (every policy check on, no credentials, bundling skipped: only the template's shape matters here).
 */
import { Stack } from "aws-cdk-lib";
import { Annotations, Template } from "aws-cdk-lib/assertions";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_FIELDS } from "../../cli/audit/audit-item.ts";
import { CognitoTriggerSuite } from "../../infra/cognito-trigger-suite.ts";
import { StackConfigError } from "../../infra/stack-config.ts";
import { CognitoTriggerSuiteStack } from "../../infra/suite-stack.ts";
import {
  AUDIT_RECORD_ATTRIBUTES,
  AUDIT_TIME_INDEX_ATTRIBUTES,
  buildAuditRecord,
} from "../../triggers/lib/audit/record.ts";
import { config, type Synthesized, synthSuite, testApp } from "./synth.ts";
import { actionsOf, iamStatements, ofType, type Resources, referencesIn } from "./template-graph.ts";

const WITH_ALLOWLIST = config(
  { alarmEmail: "ops@example.com", featurePlan: "PLUS" },
  { ipAllowlist: ["203.0.113.0/24"], welcomeEmailFrom: "welcome@example.com" },
);

let full: Synthesized;
let resources: Resources;

beforeAll(() => {
  full = synthSuite(WITH_ALLOWLIST, { bundle: false });
  resources = full.template.toJSON().Resources as Resources;
}, 60_000);

afterAll(() => full?.cleanup());

function synthesizedResources(stackConfig: ReturnType<typeof config>): Resources {
  const synthesized = synthSuite(stackConfig, { bundle: false });
  try {
    return synthesized.template.toJSON().Resources as Resources;
  } finally {
    synthesized.cleanup();
  }
}

function functionByDescription(from: Resources, trigger: string): Record<string, unknown> {
  const found = ofType(from, "AWS::Lambda::Function").find(
    ([, r]) => r.Properties?.Description === `Cognito user pool trigger: ${trigger}`,
  );
  expect(found, trigger).toBeDefined();
  return found?.[1].Properties ?? {};
}

function tableId(keyName: string): string {
  const found = ofType(resources, "AWS::DynamoDB::Table").find(([, r]) =>
    JSON.stringify(r.Properties?.KeySchema).includes(`"${keyName}"`),
  );
  return found?.[0] ?? "";
}

describe("IAM that enforces append-only", () => {
  it("audit writers may PutItem only the record's attributes, only audit keys, and get nothing back", () => {
    const writers = iamStatements(resources).filter(
      (s) => referencesIn(s.Resource).has(tableId("pk")) && actionsOf(s).includes("dynamodb:PutItem"),
    );
    expect(writers).toHaveLength(5);
    for (const statement of writers) {
      expect(actionsOf(statement)).toEqual(["dynamodb:PutItem"]);
      expect(statement.Condition).toEqual({
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [...AUDIT_RECORD_ATTRIBUTES] },
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["USER#*"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      });
    }
  });

  it("the attribute condition admits every record the writer builds, with every field set", () => {
    const now = new Date("2026-11-29T10:00:00.000Z");
    for (const once of [false, true]) {
      const record = buildAuditRecord(
        {
          event: "SIGN_IN",
          outcome: "success",
          reason: "x",
          triggerSource: "PostAuthentication_Authentication",
          userPoolId: "eu-west-1_Abc",
          clientId: "client",
          userName: "user",
          sub: "sub",
          email: "a@example.com",
          sourceIp: "192.0.2.1",
          newDeviceUsed: true,
          requestId: "r",
          once,
        },
        now,
        400,
      );
      for (const key of Object.keys(record)) expect(AUDIT_RECORD_ATTRIBUTES).toContain(key);
      expect(record.pk.startsWith("USER#")).toBe(true);
    }
  });

  it("user migration's UpdateItem may name only the key and the attributes migration writes, and return nothing", () => {
    const legacy = tableId("login");
    const onLegacy = iamStatements(resources).filter((s) => referencesIn(s.Resource).has(legacy));
    const byAction = Object.fromEntries(onLegacy.map((s) => [actionsOf(s).join(","), s]));
    expect(Object.keys(byAction).sort()).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(byAction["dynamodb:UpdateItem"]?.Condition).toEqual({
      // triggers/user-migration/written-attributes.ts: the mark and the failed-password counter.
      "ForAllValues:StringEquals": {
        "dynamodb:Attributes": [
          "login",
          "migratedAt",
          "migratedUserName",
          "failedAttempts",
          "failuresSince",
          "lockedUntil",
        ],
      },
      StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
    });
  });
});

describe("the audit table", () => {
  it("grants a consumer's role what the reviewers' policy holds, and nothing that writes", () => {
    const stack = new Stack(testApp({ bundle: false }), "Grants");
    const pool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const suite = new CognitoTriggerSuite(stack, "Suite", {
      userPool: pool,
      settings: { appName: "A", allowedEmailDomains: ["example.com"] },
    });
    const reviewer = new iam.Role(stack, "Reviewer", { assumedBy: new iam.AccountRootPrincipal() });
    suite.auditTable.grantRead(reviewer);
    const synthesized = Template.fromStack(stack).toJSON().Resources as Resources;
    const reviewerId = stack.getLogicalId(reviewer.node.defaultChild as iam.CfnRole);
    const reviewerPolicies = ofType(synthesized, "AWS::IAM::Policy")
      .filter(([, p]) => referencesIn(p.Properties?.Roles).has(reviewerId))
      .map(([id]) => id);
    const granted = iamStatements(synthesized).filter((s) => reviewerPolicies.includes(s.policy));
    expect(granted.flatMap(actionsOf).sort()).toEqual([
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:Scan",
    ]);
    expect(JSON.stringify(granted)).toContain("/index/byTime");
  });

  it("is encrypted with the AWS managed key and its time index projects exactly what the reader shows", () => {
    const table = resources[tableId("pk")]?.Properties ?? {};
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
    const [index] = table.GlobalSecondaryIndexes as { Projection: Record<string, unknown> }[];
    expect(index?.Projection).toEqual({
      ProjectionType: "INCLUDE",
      NonKeyAttributes: [...AUDIT_TIME_INDEX_ATTRIBUTES],
    });
    const projected = new Set(["pk", "sk", "dayShard", "at", ...AUDIT_TIME_INDEX_ATTRIBUTES]);
    for (const field of AUDIT_FIELDS) expect(projected, field).toContain(field);
  });
});

describe("the functions", () => {
  it("all run the current Lambda runtime, Node.js 24, and no runtime finding is acknowledged", () => {
    const functions = ofType(resources, "AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [id, fn] of functions) expect(fn.Properties?.Runtime, id).toBe("nodejs24.x");
    const acknowledged = full.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "aws:cdk:acknowledged-rules"))
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(acknowledged.join(" ")).not.toMatch(/AwsSolutions-L1/);
  });

  it("log to groups encrypted with a retained key only CloudWatch Logs of this account may use", () => {
    const logGroups = ofType(resources, "AWS::Logs::LogGroup");
    const keys = ofType(resources, "AWS::KMS::Key").filter(([, k]) =>
      String(k.Properties?.Description).includes("log groups"),
    );
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0] as [string, (typeof keys)[0][1]];
    for (const [id, group] of logGroups) {
      expect(group.Properties?.KmsKeyId, id).toEqual({ "Fn::GetAtt": [keyId, "Arn"] });
    }
    expect(key.DeletionPolicy).toBe("Retain");
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    const policy = key.Properties?.KeyPolicy as { Statement: Record<string, unknown>[] };
    const statements = policy.Statement;
    const logs = statements.find((s) => s.Sid === "CloudWatchLogsOfThisAccount");
    expect(JSON.stringify(logs?.Principal)).toContain("logs.");
    expect(JSON.stringify(logs?.Condition)).toContain("kms:EncryptionContext:aws:logs:arn");
    expect(JSON.stringify(logs?.Condition)).toContain(":log-group:*");
    const grants = statements.find((s) => s.Sid === "GrantsOnlyByAwsServicesForAwsResources");
    expect(grants).toMatchObject({
      Effect: "Deny",
      Action: "kms:CreateGrant",
      Condition: {
        BoolIfExists: { "kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false" },
      },
    });
  });
});

describe("secure by default", () => {
  it("PLUS turns threat protection on, audit-only unless the configuration says ENFORCED", () => {
    const [, pool] = ofType(resources, "AWS::Cognito::UserPool")[0] ?? [];
    expect(pool?.Properties).toMatchObject({
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
    });
    const enforced = synthesizedResources(
      config({ featurePlan: "PLUS", threatProtection: "ENFORCED", alarmEmail: "ops@example.com" }),
    );
    const [, enforcedPool] = ofType(enforced, "AWS::Cognito::UserPool")[0] ?? [];
    expect(enforcedPool?.Properties?.UserPoolAddOns).toEqual({ AdvancedSecurityMode: "ENFORCED" });
  }, 30_000);

  it("refuses threatProtection on a plan that has none", () => {
    expect(() => config({ threatProtection: "ENFORCED" })).toThrow(
      /threatProtection needs featurePlan "PLUS"/,
    );
  });

  it("logs every request AWS WAF blocks, without credentials, to a retained, encrypted group", () => {
    const [webAclId] = ofType(resources, "AWS::WAFv2::WebACL")[0] ?? [];
    const [, logging] = ofType(resources, "AWS::WAFv2::LoggingConfiguration")[0] ?? [];
    expect(logging?.Properties).toMatchObject({
      ResourceArn: { "Fn::GetAtt": [webAclId, "Arn"] },
      RedactedFields: [{ SingleHeader: { Name: "authorization" } }, { SingleHeader: { Name: "cookie" } }],
      LoggingFilter: {
        DefaultBehavior: "DROP",
        Filters: [
          {
            Behavior: "KEEP",
            Requirement: "MEETS_ANY",
            Conditions: [{ ActionCondition: { Action: "BLOCK" } }],
          },
        ],
      },
    });
    const [groupId, group] =
      ofType(resources, "AWS::Logs::LogGroup").find(([, g]) =>
        String(JSON.stringify(g.Properties?.LogGroupName)).includes("aws-waf-logs-"),
      ) ?? [];
    // Unique to the stack instance (its id's GUID): a retained group never blocks a redeployment.
    expect(JSON.stringify(group?.Properties?.LogGroupName)).toContain('"Ref":"AWS::StackId"');
    expect(group?.DeletionPolicy).toBe("Retain");
    expect(group?.Properties?.RetentionInDays).toBe(400);
    // The destination is the group's ARN without the ":*" suffix AWS WAF refuses.
    const destination = JSON.stringify(logging?.Properties?.LogDestinationConfigs);
    expect(destination).toContain(":log-group:");
    expect(destination).toContain(groupId);
    expect(destination).not.toContain(":*");
  });

  it("with an IP allowlist, trusts the server client; without one, configures no client rules", () => {
    const preAuth = functionByDescription(resources, "pre-authentication");
    const variables = (preAuth.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables)).toContain("IP_TRUSTED_CLIENT_IDS");

    const off = synthesizedResources(
      config({}, { ipAllowlist: [], ipTrustedClientIds: ["abc123"], ipUntrustedClientPolicy: "deny" }),
    );
    const offVariables = (
      functionByDescription(off, "pre-authentication").Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(Object.keys(offVariables).sort()).toEqual(["AUDIT_TABLE_NAME"]);
  }, 30_000);

  it("says at synth that the IP client settings do nothing without a list", () => {
    const stack = new Stack(testApp({ bundle: false }), "Warned");
    const pool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    new CognitoTriggerSuite(stack, "Suite", {
      userPool: pool,
      settings: { appName: "A", allowedEmailDomains: ["example.com"], ipTrustedClientIds: ["abc123"] },
    });
    Annotations.fromStack(stack).hasWarning(
      "/Warned/Suite",
      "ipAllowlist is empty, so the IP check is off and ipTrustedClientIds has no effect [ack: cognito-trigger-suite:ip-settings-ignored]",
    );
  });
});

describe("the deployment configuration for an existing pool", () => {
  const existing = (overrides: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) =>
    config({ existingUserPoolId: "eu-west-1_AbCdEf123", ...overrides }, settings);

  it("carries smsRoleArn, ipAllowlistWebAcl and userPoolAliasAttributes through to what deploys", () => {
    const synthesized = synthesizedResources(
      existing(
        {
          smsRoleArn: "arn:aws:iam::111122223333:role/pool-sms",
          ipAllowlistWebAcl: false,
        },
        { ipAllowlist: ["203.0.113.0/24"], userPoolAliasAttributes: ["email"] },
      ),
    );
    expect(ofType(synthesized, "AWS::WAFv2::WebACL")).toHaveLength(0);
    const passRole = iamStatements(synthesized).filter((s) => actionsOf(s).includes("iam:PassRole"));
    expect(passRole).toHaveLength(1);
    expect(JSON.stringify(passRole[0]?.Resource)).toContain("role/pool-sms");
    const migration = functionByDescription(synthesized, "user-migration");
    expect((migration.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      USER_POOL_ALIAS_ATTRIBUTES: "email",
    });
  }, 30_000);

  it("refuses fields that only mean something for an existing pool when the stack creates one", () => {
    expect(() => config({ smsRoleArn: "arn:aws:iam::111122223333:role/x" })).toThrow(
      /smsRoleArn applies only with existingUserPoolId/,
    );
    expect(() => config({}, { userPoolAliasAttributes: ["email"] })).toThrow(
      /settings\.userPoolAliasAttributes applies only with existingUserPoolId/,
    );
    expect(() => existing({ smsRoleArn: "pool-sms" })).toThrow(/is not an IAM role ARN/);
  });

  it("refuses a pool of another region than the stack's, naming both", () => {
    const attempt = () =>
      new CognitoTriggerSuiteStack(testApp({ bundle: false }), "Regional", {
        config: existing(),
        env: { account: "111122223333", region: "us-east-1" },
      });
    expect(attempt).toThrow(StackConfigError);
    expect(attempt).toThrow(/eu-west-1_AbCdEf123 is in eu-west-1, but the stack deploys to us-east-1/);
  });
});
