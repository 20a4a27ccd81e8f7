/**
 * SMS multi-factor authentication as a deployment choice (`mfaFactors`): the default pool is TOTP only
 * and has no SMS role; with SMS the pool gets the role Cognito publishes SMS with (assumed only by
 * Cognito with the pool's external id, allowed only sns:Publish, denied on every SNS ARN so that only
 * direct SMS remains), the clients may write phone_number, and every policy check still passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StackConfigError } from "../../infra/stack-config.ts";
import { config, type Synthesized, synthSuite } from "./synth.ts";
import { iamStatements, ofType, type Resources } from "./template-graph.ts";

function refusal(overrides: Record<string, unknown>): string {
  try {
    config(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as Error).message;
  }
  return "";
}

describe("mfaFactors in the deployment configuration", () => {
  it("defaults to TOTP", () => {
    expect(config().mfaFactors).toEqual(["TOTP"]);
    expect(config({ mfaFactors: ["SMS", "TOTP"] }).mfaFactors).toEqual(["SMS", "TOTP"]);
    expect(config({ mfaFactors: ["SMS"] }).mfaFactors).toEqual(["SMS"]);
  });

  it.each([
    [[], "[]"],
    [["EMAIL"], '["EMAIL"]'],
    [["sms"], '["sms"]'],
    [["SMS", "SMS"], '["SMS","SMS"]'],
    ["SMS", '"SMS"'],
  ])("refuses %j with one line", (value, shown) => {
    const message = refusal({ mfaFactors: value });
    const lines = message.split("\n").filter((line) => line.startsWith("  - "));
    expect(lines).toEqual([
      `  - mfaFactors must be a non-empty list of distinct factors from TOTP, SMS (e.g. ["SMS", "TOTP"]), got ${shown}`,
    ]);
  });

  it("is refused with an existing pool, whose factors the stack does not shape", () => {
    const message = refusal({ existingUserPoolId: "eu-west-1_AbCdEf123", mfaFactors: ["SMS"] });
    expect(message).toContain(
      "mfaFactors describes the pool the stack creates; with existingUserPoolId there is none",
    );
  });
});

describe("the default (TOTP only) pool", () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthSuite(config(), { bundle: false });
  }, 120_000);
  afterAll(() => synthesized?.cleanup());

  it("offers TOTP only, with no SMS configuration or role", () => {
    const resources = synthesized.template.toJSON().Resources as Resources;
    const [[, pool] = []] = ofType(resources, "AWS::Cognito::UserPool");
    expect(pool?.Properties?.MfaConfiguration).toBe("ON");
    expect(pool?.Properties?.EnabledMfas).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(pool?.Properties).not.toHaveProperty("SmsConfiguration");
    const phoneWriters = ofType(resources, "AWS::Cognito::UserPoolClient").filter(([, client]) =>
      JSON.stringify(client.Properties?.WriteAttributes).includes("phone_number"),
    );
    expect(phoneWriters).toEqual([]);
    const trusts = JSON.stringify(
      ofType(resources, "AWS::IAM::Role").map(([, role]) => role.Properties?.AssumeRolePolicyDocument),
    );
    expect(trusts).not.toContain("cognito-idp.amazonaws.com");
  });
});

describe('mfaFactors ["SMS", "TOTP"]', () => {
  let synthesized: Synthesized;
  let resources: Resources;
  beforeAll(() => {
    // synthSuite runs every policy check (cdk-nag, the Control Tower rules, the CloudFormation
    // validator): an unacknowledged finding would throw here.
    synthesized = synthSuite(config({ mfaFactors: ["SMS", "TOTP"] }), { bundle: false });
    resources = synthesized.template.toJSON().Resources as Resources;
  }, 120_000);
  afterAll(() => synthesized?.cleanup());

  const smsRole = () => {
    const roles = ofType(resources, "AWS::IAM::Role").filter(([, role]) =>
      JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes("cognito-idp.amazonaws.com"),
    );
    expect(roles).toHaveLength(1);
    return roles[0] as [string, Resources[string]];
  };

  it("offers both factors, MFA still required", () => {
    synthesized.template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      EnabledMfas: ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
    });
  });

  it("sends SMS with the stack's role and its external id", () => {
    const [roleId] = smsRole();
    synthesized.template.hasResourceProperties("AWS::Cognito::UserPool", {
      SmsConfiguration: {
        SnsCallerArn: { "Fn::GetAtt": [roleId, "Arn"] },
        ExternalId: "SuiteUnderTest-sms-mfa",
      },
    });
  });

  it("keeps email the sign-in, verified and recovery attribute; phone_number stays optional", () => {
    const [[, pool] = []] = ofType(resources, "AWS::Cognito::UserPool");
    expect(pool?.Properties?.UsernameAttributes).toEqual(["email"]);
    expect(pool?.Properties?.AutoVerifiedAttributes).toEqual(["email"]);
    // Not in the schema: a standard attribute every pool has, and adding one to a deployed pool fails.
    expect(JSON.stringify(pool?.Properties?.Schema)).not.toContain("phone_number");
  });

  it("lets both clients write phone_number, the number SMS codes go to", () => {
    const clients = ofType(resources, "AWS::Cognito::UserPoolClient");
    expect(clients).toHaveLength(2);
    for (const [, client] of clients) {
      expect(client.Properties?.WriteAttributes).toEqual(expect.arrayContaining(["phone_number", "email"]));
    }
  });

  it("trusts only Cognito, and only with the external id", () => {
    const [, role] = smsRole();
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "cognito-idp.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "SuiteUnderTest-sms-mfa" } },
        },
      ],
    });
  });

  it("may only publish SMS: sns:Publish is its only action, denied on every SNS ARN", () => {
    const [roleId, role] = smsRole();
    expect(iamStatements(resources).filter((statement) => statement.policy === roleId)).toEqual([
      {
        policy: roleId,
        Sid: "NoTopicsOrEndpoints",
        Effect: "Deny",
        Action: "sns:Publish",
        Resource: "arn:*:sns:*:*:*",
      },
      { policy: roleId, Sid: "SmsToPhoneNumbers", Effect: "Allow", Action: "sns:Publish", Resource: "*" },
    ]);
    // Nothing else grants the role anything.
    const attached = ofType(resources, "AWS::IAM::Policy").filter(([, policy]) =>
      JSON.stringify(policy.Properties?.Roles).includes(roleId),
    );
    expect(attached).toEqual([]);
    expect(role.Properties).not.toHaveProperty("ManagedPolicyArns");
  });

  it("acknowledges the wildcard resource on the SMS role only, with its reason", () => {
    const acknowledged = synthesized.stack.node
      .findAll()
      .filter((construct) =>
        construct.node.metadata.some(
          (m) =>
            m.type === "aws:cdk:acknowledged-rules" && JSON.stringify(m.data).includes("AwsSolutions-IAM5"),
        ),
      )
      .map((construct) => construct.node.path);
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]).toMatch(/\/PoolSmsRole$/);
    const [roleConstruct] = synthesized.stack.node.findAll().filter((c) => c.node.path === acknowledged[0]);
    const reason = JSON.stringify(roleConstruct?.node.metadata);
    expect(reason).toContain("names no resource");
    expect(reason).toContain("denied");
  });
});

describe('mfaFactors ["SMS"]', () => {
  it("offers SMS only, with the SMS role, and every policy check passes", () => {
    const synthesized = synthSuite(config({ mfaFactors: ["SMS"], mfa: "OPTIONAL" }), { bundle: false });
    try {
      synthesized.template.hasResourceProperties("AWS::Cognito::UserPool", {
        MfaConfiguration: "OPTIONAL",
        EnabledMfas: ["SMS_MFA"],
        SmsConfiguration: { ExternalId: "SuiteUnderTest-sms-mfa" },
      });
    } finally {
      synthesized.cleanup();
    }
  }, 120_000);
});
