/**
 * The three optional triggers in the construct: inbound federation (`inboundFederation`) and the custom
 * email and SMS senders (`customSenders`). Off by default, and then the template is the one the suite
 * always made; each one on adds its function with the LambdaConfig entry Cognito reads (V1_0), an
 * invoke permission for the pool and account, and nothing its handler does not need: the senders the
 * pool's KMS key (Cognito may create a grant on it for the pool and account only), kms:Decrypt on it,
 * the email sender SES from its one identity, the SMS sender SNS to phone numbers only, and
 * asynchronous invocation with one retry and a three-minute event age. Construction and templates only
 * (no bundling); the policy checks run in the synths at the end.
 */
import { type CfnResource, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import {
  CognitoTriggerSuite,
  type CognitoTriggerSuiteProps,
  type CustomSendersOptions,
} from "../../infra/cognito-trigger-suite.ts";
import { POLICY_ACKNOWLEDGMENTS } from "../../infra/policy-acknowledgments.ts";
import { policyValidationPlugins } from "../../infra/policy-validation.ts";
import type { TriggerSuiteSettings } from "../../infra/settings.ts";
import type { OptionalTriggerName } from "../../triggers/lib/events.ts";
import { SUITE_LAMBDA_CONFIG_KEYS } from "../support/lambda-config-keys.ts";
import { testApp } from "./synth.ts";
import {
  actionsOf,
  iamStatements,
  ofType,
  type Resources,
  referencesIn,
  resourcesOf,
  type Statement,
} from "./template-graph.ts";

const SETTINGS: TriggerSuiteSettings = { appName: "Acme Notes", allowedEmailDomains: ["example.com"] };
const SENDER_FROM = "Acme Notes <codes@mail.example.com>";
const POOL_ID = "eu-west-1_Abc123";
const BOTH: CustomSendersOptions = { email: true, sms: true };

type PoolKind = "owned" | "imported";

function build(
  props: Partial<CognitoTriggerSuiteProps> = {},
  settings: Partial<TriggerSuiteSettings> = {},
  pool: PoolKind = "owned",
) {
  const stack = new Stack(testApp({ bundle: false }), "Test");
  const userPool =
    pool === "owned"
      ? new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS })
      : cognito.UserPool.fromUserPoolId(stack, "Pool", POOL_ID);
  const suite = new CognitoTriggerSuite(stack, "Triggers", {
    userPool,
    settings: { ...SETTINGS, ...settings },
    ...props,
  });
  const template = Template.fromStack(stack);
  return { stack, suite, template, resources: template.toJSON().Resources as Resources };
}

const everythingOn = (pool: PoolKind = "owned", props: Partial<CognitoTriggerSuiteProps> = {}) =>
  build(
    { inboundFederation: true, customSenders: BOTH, ...props },
    { customSenderEmailFrom: SENDER_FROM },
    pool,
  );

/** The construct's refusal message, or a failed test if it accepted. */
function refusal(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect((error as Error).name).toBe("InvalidSettingsError");
    return (error as Error).message;
  }
  throw new Error("expected the construct to refuse these props");
}

/** A resource's properties; a failed test if the template has no such resource. */
function propsOf(resources: Resources, id: string): Record<string, unknown> {
  const props = resources[id]?.Properties;
  if (!props) throw new Error(`no resource ${id} with properties`);
  return props;
}

const variablesOf = (resources: Resources, id: string) =>
  (propsOf(resources, id).Environment as { Variables: Record<string, unknown> }).Variables;

const keyPolicyOf = (resources: Resources, id: string) =>
  (propsOf(resources, id).KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnResource);

function functionIdOf(stack: Stack, suite: CognitoTriggerSuite, trigger: OptionalTriggerName): string {
  const fn = suite.functions[trigger];
  if (!fn) throw new Error(`no ${trigger} function`);
  return idOf(stack, fn);
}

const lambdaConfigOf = (resources: Resources) =>
  ofType(resources, "AWS::Cognito::UserPool")[0]?.[1].Properties?.LambdaConfig as Record<string, unknown>;

/** The statements of the policies attached to a function's role. */
function roleStatements(resources: Resources, functionId: string): Statement[] {
  const roleId = [...referencesIn(propsOf(resources, functionId).Role)][0];
  const policies = ofType(resources, "AWS::IAM::Policy")
    .filter(([, policy]) => referencesIn(policy.Properties?.Roles).has(roleId as string))
    .map(([id]) => id);
  return iamStatements(resources).filter((statement) => policies.includes(statement.policy));
}

/** A statement as written in the policy (without the id of the policy it is in). */
const asWritten = ({ policy: _policy, ...statement }: Statement) => statement;

/** A function ARN as the owned pool's LambdaConfig builds it from the function's name. */
const arnByName = (functionName: unknown) => ({
  "Fn::Join": [
    "",
    [
      "arn:",
      { Ref: "AWS::Partition" },
      ":lambda:",
      { Ref: "AWS::Region" },
      ":",
      { Ref: "AWS::AccountId" },
      `:function:${functionName}`,
    ],
  ],
});

describe("by default (no optional trigger asked for)", () => {
  it("deploys the seven core triggers only: no new function, key, invoke configuration or LambdaConfig key", () => {
    const { suite, resources } = build();
    expect(Object.keys(suite.functions).sort()).toEqual(
      [
        "custom-message",
        "post-authentication",
        "post-confirmation",
        "pre-authentication",
        "pre-sign-up",
        "pre-token-generation",
        "user-migration",
      ].sort(),
    );
    expect(suite.customSenderKey).toBeUndefined();
    expect(Object.keys(lambdaConfigOf(resources)).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
    // The logs key only.
    expect(ofType(resources, "AWS::KMS::Key")).toHaveLength(1);
    expect(ofType(resources, "AWS::Lambda::EventInvokeConfig")).toEqual([]);
    expect(ofType(resources, "AWS::Lambda::Function")).toHaveLength(8);
  });

  it("makes exactly the template the suite made before the options existed when every option is off", () => {
    const off = build({ inboundFederation: false, customSenders: { email: false, sms: false } });
    expect(off.template.toJSON()).toEqual(build().template.toJSON());
  });
});

describe("inboundFederation", () => {
  it("attaches the function under LambdaConfig.InboundFederation, V1_0, by its name (no pool -> function dependency)", () => {
    const { stack, suite, resources } = build({ inboundFederation: true });
    const id = functionIdOf(stack, suite, "inbound-federation");
    const name = propsOf(resources, id).FunctionName;
    expect(lambdaConfigOf(resources).InboundFederation).toEqual({
      LambdaArn: arnByName(name),
      LambdaVersion: "V1_0",
    });
    expect(Object.keys(lambdaConfigOf(resources)).sort()).toEqual(
      [...SUITE_LAMBDA_CONFIG_KEYS, "InboundFederation"].sort(),
    );
    // The attachment that detaches the pool on stack deletion knows it too.
    const [[attachmentId] = [""]] = ofType(resources, "Custom::CognitoTriggerSuiteAttachment");
    const attachment = propsOf(resources, attachmentId);
    expect((attachment.LambdaConfig as Record<string, unknown>).InboundFederation).toEqual({
      LambdaArn: { "Fn::GetAtt": [id, "Arn"] },
      LambdaVersion: "V1_0",
    });
  });

  it("lets Cognito invoke it only for this pool and account", () => {
    const { stack, suite, resources } = build({ inboundFederation: true });
    const id = functionIdOf(stack, suite, "inbound-federation");
    const permissions = ofType(resources, "AWS::Lambda::Permission").filter(([, p]) =>
      referencesIn(p.Properties?.FunctionName).has(id),
    );
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      {
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [id, "Arn"] },
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: { "Fn::GetAtt": [idOf(stack, stack.node.findChild("Pool")), "Arn"] },
        SourceAccount: { Ref: "AWS::AccountId" },
      },
    ]);
  });

  it("gives it the sign-up domain policy, its own settings and the audit table: log writes and PutItem, nothing else", () => {
    const { stack, suite, resources } = build(
      { inboundFederation: true },
      {
        blockedEmailDomains: ["spam.example.com"],
        federationAttributeMap: { email: ["mail"] },
        federationEmailVerified: "never",
      },
    );
    const id = functionIdOf(stack, suite, "inbound-federation");
    const variables = variablesOf(resources, id);
    expect(Object.keys(variables).sort()).toEqual([
      "ALLOWED_EMAIL_DOMAINS",
      "AUDIT_TABLE_NAME",
      "BLOCKED_EMAIL_DOMAINS",
      "FEDERATION_ATTRIBUTE_MAP",
      "FEDERATION_EMAIL_VERIFIED",
    ]);
    expect(variables.FEDERATION_EMAIL_VERIFIED).toBe("never");
    expect(JSON.parse(variables.FEDERATION_ATTRIBUTE_MAP as string)).toEqual({ email: ["mail"] });
    expect(roleStatements(resources, id).flatMap(actionsOf).sort()).toEqual([
      "dynamodb:PutItem",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]);
    // Synchronous like the core triggers: no asynchronous invocation settings, the core alarms.
    expect(ofType(resources, "AWS::Lambda::EventInvokeConfig")).toEqual([]);
    expect(suite.alarms["inbound-federation"]?.droppedMessages).toBeUndefined();
    expect(suite.customSenderKey).toBeUndefined();
  });
});

describe("customSenders", () => {
  it("attaches both senders (V1_0) and the pool's key under KMSKeyID", () => {
    const { stack, suite, resources } = everythingOn();
    const config = lambdaConfigOf(resources);
    const keyId = idOf(stack, suite.customSenderKey as kms.Key);
    for (const [trigger, key] of [
      ["custom-email-sender", "CustomEmailSender"],
      ["custom-sms-sender", "CustomSMSSender"],
    ] as const) {
      const name = propsOf(resources, functionIdOf(stack, suite, trigger)).FunctionName;
      expect(config[key], key).toEqual({ LambdaArn: arnByName(name), LambdaVersion: "V1_0" });
    }
    expect(config.KMSKeyID).toEqual({ "Fn::GetAtt": [keyId, "Arn"] });
    // Custom message stays: it still shapes what Cognito delivers itself.
    expect(Object.keys(config).sort()).toEqual(
      [
        ...SUITE_LAMBDA_CONFIG_KEYS,
        "CustomEmailSender",
        "CustomSMSSender",
        "InboundFederation",
        "KMSKeyID",
      ].sort(),
    );
  });

  it("creates a symmetric key with rotation, retained by default and destroyed with removalPolicy DESTROY", () => {
    const retained = everythingOn();
    const keyId = idOf(retained.stack, retained.suite.customSenderKey as kms.Key);
    expect(retained.resources[keyId]).toMatchObject({
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", EnableKeyRotation: true },
    });
    const destroyed = everythingOn("owned", { removalPolicy: RemovalPolicy.DESTROY });
    const destroyedId = idOf(destroyed.stack, destroyed.suite.customSenderKey as kms.Key);
    expect(destroyed.resources[destroyedId]?.DeletionPolicy).toBe("Delete");
  });

  it("lets Cognito create a grant on the key for pools of this account only; an imported pool is named exactly", () => {
    const cognitoStatement = (resources: Resources, keyId: string) =>
      keyPolicyOf(resources, keyId).filter((statement) =>
        JSON.stringify(statement.Principal).includes("cognito-idp"),
      );

    // A pool of the app: its own ARN would close a dependency cycle (the pool names the key).
    const owned = everythingOn();
    expect(
      cognitoStatement(owned.resources, idOf(owned.stack, owned.suite.customSenderKey as kms.Key)),
    ).toEqual([
      {
        Sid: "CognitoEncryptsCodesOfTheUserPool",
        Effect: "Allow",
        Principal: { Service: "cognito-idp.amazonaws.com" },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
          ArnLike: {
            "aws:SourceArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":cognito-idp:",
                  { Ref: "AWS::Region" },
                  ":",
                  { Ref: "AWS::AccountId" },
                  ":userpool/*",
                ],
              ],
            },
          },
        },
      },
    ]);
    const imported = everythingOn("imported");
    const [statement] = cognitoStatement(
      imported.resources,
      idOf(imported.stack, imported.suite.customSenderKey as kms.Key),
    );
    expect(JSON.stringify(statement?.Condition)).toContain(`:userpool/${POOL_ID}"`);
    expect(statement?.Action).toBe("kms:CreateGrant");
  });

  it("keeps grants on the key to AWS services for AWS resources (CT.KMS.PR.3), like the logs key", () => {
    const { stack, suite, resources } = everythingOn();
    const statements = keyPolicyOf(resources, idOf(stack, suite.customSenderKey as kms.Key));
    expect(statements.find((s) => s.Sid === "GrantsOnlyByAwsServicesForAwsResources")).toMatchObject({
      Effect: "Deny",
      Action: "kms:CreateGrant",
    });
  });

  it("gives the email sender exactly: its log group, PutItem, kms:Decrypt on the key, SES from its one identity, and AdminGetUser on its pool", () => {
    const { stack, suite, resources } = everythingOn();
    const id = functionIdOf(stack, suite, "custom-email-sender");
    const keyArn = { "Fn::GetAtt": [idOf(stack, suite.customSenderKey as kms.Key), "Arn"] };
    const statements = roleStatements(resources, id);
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      "cognito-idp:AdminGetUser",
      "dynamodb:PutItem",
      "kms:Decrypt",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "ses:SendEmail",
    ]);
    expect(statements.filter((s) => actionsOf(s).includes("kms:Decrypt")).map(asWritten)).toEqual([
      {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: keyArn,
      },
    ]);
    const ses = statements.find((s) => actionsOf(s).includes("ses:SendEmail"));
    expect(ses?.Condition).toEqual({ StringEquals: { "ses:FromAddress": "codes@mail.example.com" } });
    const identities = JSON.stringify(ses?.Resource);
    expect(identities).toContain(":identity/codes@mail.example.com");
    expect(identities).toContain(":identity/mail.example.com");
    const pool = stack.node.findChild("Pool") as cognito.UserPool;
    expect(
      statements.filter((s) => actionsOf(s).includes("cognito-idp:AdminGetUser")).map(asWritten),
    ).toEqual([
      {
        Sid: "LookUpAccountTakeoverRecipient",
        Effect: "Allow",
        Action: "cognito-idp:AdminGetUser",
        Resource: { "Fn::GetAtt": [idOf(stack, pool), "Arn"] },
      },
    ]);
  });

  it("lets the email sender look up users of an imported pool only, by that pool's ARN", () => {
    const { stack, suite, resources } = everythingOn("imported");
    const statements = roleStatements(resources, functionIdOf(stack, suite, "custom-email-sender"));
    const lookUp = statements.filter((s) => actionsOf(s).includes("cognito-idp:AdminGetUser"));
    expect(lookUp).toHaveLength(1);
    expect(JSON.stringify(lookUp[0]?.Resource)).toContain(`:userpool/${POOL_ID}`);
  });

  it("gives the SMS sender exactly: its log group, PutItem, kms:Decrypt on the key, and SNS to phone numbers only", () => {
    const { stack, suite, resources } = everythingOn();
    const id = functionIdOf(stack, suite, "custom-sms-sender");
    const statements = roleStatements(resources, id);
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      "dynamodb:PutItem",
      "kms:Decrypt",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "sns:Publish",
      "sns:Publish",
    ]);
    expect(statements.filter((s) => actionsOf(s).includes("sns:Publish")).map(asWritten)).toEqual([
      { Sid: "NoTopicsOrEndpoints", Effect: "Deny", Action: "sns:Publish", Resource: "arn:*:sns:*:*:*" },
      { Sid: "SmsToPhoneNumbers", Effect: "Allow", Action: "sns:Publish", Resource: "*" },
    ]);
  });

  it("names no wildcard action, and a wildcard resource only where IAM has none to name (SMS to a phone number)", () => {
    const { resources } = everythingOn();
    for (const statement of iamStatements(resources)) {
      for (const action of actionsOf(statement)) expect(action, statement.policy).not.toContain("*");
      if (statement.Effect !== "Allow") continue;
      const wildcard = resourcesOf(statement).filter((resource) => JSON.stringify(resource).includes("*"));
      if (wildcard.length > 0) expect(actionsOf(statement), statement.policy).toEqual(["sns:Publish"]);
    }
    // Only the senders may decrypt with the key.
    const decrypters = iamStatements(resources).filter((s) => actionsOf(s).some((a) => a.startsWith("kms:")));
    expect(decrypters).toHaveLength(2);
  });

  it("lets Lambda retry a failed delivery once, and drop an event older than three minutes", () => {
    const { stack, suite, resources } = everythingOn();
    const configs = ofType(resources, "AWS::Lambda::EventInvokeConfig").map(([, r]) => r.Properties);
    expect(configs).toEqual(
      (["custom-email-sender", "custom-sms-sender"] as const).map((trigger) => ({
        FunctionName: { Ref: functionIdOf(stack, suite, trigger) },
        MaximumEventAgeInSeconds: 180,
        MaximumRetryAttempts: 1,
        Qualifier: "$LATEST",
      })),
    );
    for (const trigger of ["custom-email-sender", "custom-sms-sender"] as const) {
      expect(suite.alarms[trigger]?.droppedMessages, trigger).toBeDefined();
    }
  });

  it("hands each sender the key's ARN (CUSTOM_SENDER_KMS_KEY_ARN), and the email sender its address", () => {
    const { stack, suite, resources } = everythingOn();
    const keyArn = { "Fn::GetAtt": [idOf(stack, suite.customSenderKey as kms.Key), "Arn"] };
    const environment = (trigger: OptionalTriggerName) =>
      variablesOf(resources, functionIdOf(stack, suite, trigger));
    expect(environment("custom-email-sender")).toEqual({
      APP_NAME: "Acme Notes",
      AUDIT_TABLE_NAME: expect.anything(),
      CUSTOM_SENDER_EMAIL_FROM: SENDER_FROM,
      CUSTOM_SENDER_KMS_KEY_ARN: keyArn,
    });
    expect(environment("custom-sms-sender")).toEqual({
      APP_NAME: "Acme Notes",
      AUDIT_TABLE_NAME: expect.anything(),
      CUSTOM_SENDER_KMS_KEY_ARN: keyArn,
    });
  });

  it("lets Cognito invoke each sender only for this pool and account", () => {
    const { stack, suite, resources } = everythingOn();
    const poolArn = { "Fn::GetAtt": [idOf(stack, stack.node.findChild("Pool")), "Arn"] };
    for (const trigger of ["custom-email-sender", "custom-sms-sender"] as const) {
      const id = functionIdOf(stack, suite, trigger);
      const mine = ofType(resources, "AWS::Lambda::Permission").filter(([, p]) =>
        referencesIn(p.Properties?.FunctionName).has(id),
      );
      expect(mine.map(([, p]) => p.Properties)).toEqual([
        {
          Action: "lambda:InvokeFunction",
          FunctionName: { "Fn::GetAtt": [id, "Arn"] },
          Principal: "cognito-idp.amazonaws.com",
          SourceArn: poolArn,
          SourceAccount: { Ref: "AWS::AccountId" },
        },
      ]);
    }
  });

  it("attaches one sender alone, with the key", () => {
    const { resources, suite } = build({ customSenders: { sms: true } });
    const config = lambdaConfigOf(resources);
    expect(config).toHaveProperty("CustomSMSSender");
    expect(config).not.toHaveProperty("CustomEmailSender");
    expect(config).toHaveProperty("KMSKeyID");
    expect(Object.keys(suite.functions)).not.toContain("custom-email-sender");
  });
});

describe("customSenders.kmsKey", () => {
  it("takes a key of the app: no new key, and Cognito's statement is added to that key's policy", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const key = new kms.Key(stack, "TheirKey", { enableKeyRotation: true });
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      customSenders: { sms: true, kmsKey: key },
    });
    expect(suite.customSenderKey).toBe(key);
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    // Theirs and the logs key.
    expect(ofType(resources, "AWS::KMS::Key")).toHaveLength(2);
    const policy = JSON.stringify(propsOf(resources, idOf(stack, key)).KeyPolicy);
    expect(policy).toContain("CognitoEncryptsCodesOfTheUserPool");
    expect(lambdaConfigOf(resources).KMSKeyID).toEqual({ "Fn::GetAtt": [idOf(stack, key), "Arn"] });
  });

  it("takes a key imported by ARN, and warns that its policy must let Cognito use it", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      customSenders: { sms: true, kmsKey: kms.Key.fromKeyArn(stack, "TheirKey", keyArn) },
    });
    Annotations.fromStack(stack).hasWarning(
      "/Test/Triggers",
      Match.stringLikeRegexp("customSenders.kmsKey is imported.*kms:CreateGrant"),
    );
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    expect(lambdaConfigOf(resources).KMSKeyID).toBe(keyArn);
    const decrypt = iamStatements(resources).find((s) => actionsOf(s).includes("kms:Decrypt"));
    expect(decrypt?.Resource).toBe(keyArn);
  });
});

describe("bad combinations fail the synth with one line each", () => {
  it("customSenders.email without customSenderEmailFrom", () => {
    const message = refusal(() => build({ customSenders: { email: true } }));
    const problems = message.split("\n").slice(1);
    expect(problems).toEqual([
      "  - customSenders.email attaches the custom email sender, which sends the pool's email itself: set customSenderEmailFrom (CUSTOM_SENDER_EMAIL_FROM) to the verified SES identity to send from",
    ]);
  });

  it("a customSenderEmailFrom the email sender's parser refuses", () => {
    const message = refusal(() =>
      build({ customSenders: { email: true } }, { customSenderEmailFrom: "not an address" }),
    );
    expect(message.split("\n").slice(1)).toEqual([
      expect.stringMatching(/^ {2}- customSenderEmailFrom \(CUSTOM_SENDER_EMAIL_FROM\) /),
    ]);
  });

  it("a custom sender key that is not a symmetric encryption key", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const key = new kms.Key(stack, "Signing", {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
    });
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    expect(
      refusal(
        () =>
          new CognitoTriggerSuite(stack, "Triggers", {
            userPool,
            settings: SETTINGS,
            customSenders: { sms: true, kmsKey: key },
          }),
      ),
    ).toContain(
      "customSenders.kmsKey is a ECC_NIST_P256 key for SIGN_VERIFY; Cognito encrypts the custom senders' codes with a symmetric encryption key only",
    );
  });

  it("a custom sender key imported by something that is not a key ARN (an alias)", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const alias = "arn:aws:kms:eu-west-1:111122223333:alias/codes";
    expect(
      refusal(
        () =>
          new CognitoTriggerSuite(stack, "Triggers", {
            userPool,
            settings: SETTINGS,
            customSenders: { sms: true, kmsKey: kms.Key.fromKeyArn(stack, "Alias", alias) },
          }),
      ),
    ).toMatch(/customSenders\.kmsKey \(CUSTOM_SENDER_KMS_KEY_ARN\) must be a KMS key ARN/);
  });

  it("a federation setting the inbound federation handler refuses, when it is attached", () => {
    expect(
      refusal(() =>
        build({ inboundFederation: true }, {
          federationEmailVerified: "sometimes",
        } as unknown as Partial<TriggerSuiteSettings>),
      ),
    ).toMatch(/federationEmailVerified \(FEDERATION_EMAIL_VERIFIED\) must be one of honour, never/);
    expect(refusal(() => build({ inboundFederation: true }, { federationAttributeMap: "email" }))).toMatch(
      /federationAttributeMap \(FEDERATION_ATTRIBUTE_MAP\)/,
    );
  });
});

describe("a pool of the app with optional triggers of its own", () => {
  const theirFunction = (stack: Stack) =>
    lambda.Function.fromFunctionArn(
      stack,
      "TheirSender",
      "arn:aws:lambda:eu-west-1:111122223333:function:theirs",
    );

  it("is refused at synth when the suite would replace one, or put its key beside their sender", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const theirKey = new kms.Key(stack, "TheirKey", { enableKeyRotation: true });
    const userPool = new cognito.UserPool(stack, "Pool", {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      customSenderKmsKey: theirKey,
      lambdaTriggers: { customSmsSender: theirFunction(stack) },
    });
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: { ...SETTINGS, customSenderEmailFrom: SENDER_FROM },
      customSenders: { email: true },
    });
    const problems = suite.node.validate().join("\n");
    expect(problems).toContain(
      "the user pool already has a custom-sms-sender trigger of its own (LambdaConfig.CustomSMSSender), which would get codes encrypted with the suite's key",
    );
    expect(problems).toContain("the user pool already has a custom sender key of its own");
  });

  it("takes the pool's own key when it is passed as customSenders.kmsKey", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const theirKey = new kms.Key(stack, "TheirKey", { enableKeyRotation: true });
    const userPool = new cognito.UserPool(stack, "Pool", {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      customSenderKmsKey: theirKey,
    });
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      customSenders: { sms: true, kmsKey: theirKey },
    });
    expect(suite.node.validate()).toEqual([]);
  });

  it("leaves the pool's own sender alone when the suite attaches none", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const userPool = new cognito.UserPool(stack, "Pool", {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      customSenderKmsKey: new kms.Key(stack, "TheirKey", { enableKeyRotation: true }),
      lambdaTriggers: { customSmsSender: theirFunction(stack) },
    });
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      inboundFederation: true,
    });
    expect(suite.node.validate()).toEqual([]);
  });
});

describe("settings and props for an optional trigger that is off", () => {
  it("are not required: the senders' and federation's settings are checked only when their trigger is attached", () => {
    expect(() => build()).not.toThrow();
    // A value the handler would refuse: not deployed, so not checked (and said so).
    expect(() =>
      build({}, { federationEmailVerified: "sometimes" } as unknown as Partial<TriggerSuiteSettings>),
    ).not.toThrow();
  });

  it("are a synth warning, and reach no function (a deployment may switch a trigger off and keep its settings)", () => {
    const { stack, suite, resources } = build(
      { functionOverrides: { "custom-sms-sender": { memorySize: 512 } } },
      { customSenderEmailFrom: SENDER_FROM, federationAttributeMap: { email: ["mail"] } },
    );
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning(
      "/Test/Triggers",
      Match.stringLikeRegexp(
        "customSenderEmailFrom \\(CUSTOM_SENDER_EMAIL_FROM\\) is read only by the custom-email-sender trigger, which this deployment does not attach \\(customSenders.email\\)",
      ),
    );
    annotations.hasWarning(
      "/Test/Triggers",
      Match.stringLikeRegexp("federationAttributeMap .* inbound-federation trigger.*\\(inboundFederation\\)"),
    );
    annotations.hasWarning(
      "/Test/Triggers",
      Match.stringLikeRegexp("functionOverrides names the custom-sms-sender trigger.*customSenders.sms"),
    );
    expect(suite.settings.customSenderEmailFrom).toBeUndefined();
    const text = JSON.stringify(resources);
    expect(text).not.toContain("CUSTOM_SENDER_EMAIL_FROM");
    expect(text).not.toContain("FEDERATION_ATTRIBUTE_MAP");
  });

  it("a key without a sender is a warning, and no key is used", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      customSenders: { kmsKey: new kms.Key(stack, "Unused", { enableKeyRotation: true }) },
    });
    expect(suite.customSenderKey).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      "/Test/Triggers",
      Match.stringLikeRegexp("customSenders.kmsKey is given but neither"),
    );
  });
});

describe("a pool imported by id", () => {
  it("gets the optional triggers and the key through the attachment's LambdaConfig", () => {
    const { stack, suite, resources } = everythingOn("imported");
    const attachment = ofType(resources, "Custom::CognitoTriggerSuiteAttachment")[0]?.[1].Properties as {
      Mode: string;
      LambdaConfig: Record<string, unknown>;
    };
    expect(attachment.Mode).toBe("attach");
    const versioned = (trigger: OptionalTriggerName) => ({
      LambdaArn: { "Fn::GetAtt": [functionIdOf(stack, suite, trigger), "Arn"] },
      LambdaVersion: "V1_0",
    });
    expect(attachment.LambdaConfig).toMatchObject({
      InboundFederation: versioned("inbound-federation"),
      CustomEmailSender: versioned("custom-email-sender"),
      CustomSMSSender: versioned("custom-sms-sender"),
      KMSKeyID: { "Fn::GetAtt": [idOf(stack, suite.customSenderKey as kms.Key), "Arn"] },
    });
    expect(Object.keys(attachment.LambdaConfig).sort()).toEqual(
      [
        ...SUITE_LAMBDA_CONFIG_KEYS,
        "CustomEmailSender",
        "CustomSMSSender",
        "InboundFederation",
        "KMSKeyID",
      ].sort(),
    );
  });
});

/** Synthesizes with the suite's policy checks; the validation report ("" when the synth passed). */
function checkedSynth(props: Partial<CognitoTriggerSuiteProps>) {
  const app = testApp({ bundle: false });
  const stack = new Stack(app, "Consumer");
  const suite = new CognitoTriggerSuite(stack, "Triggers", {
    userPool: cognito.UserPool.fromUserPoolId(stack, "Pool", POOL_ID),
    settings: { ...SETTINGS, customSenderEmailFrom: SENDER_FROM },
    inboundFederation: true,
    customSenders: BOTH,
    ...props,
  });
  Validations.of(app).addPlugins(...policyValidationPlugins(app));
  try {
    app.synth();
  } catch (error) {
    return { suite, report: (error as Error).message };
  }
  return { suite, report: "" };
}

describe("the policy checks with everything on", () => {
  it("pass (cdk-nag, Control Tower); the SMS sender's phone-number statement is the one new acknowledgment", () => {
    const acknowledged = checkedSynth({});
    expect(acknowledged.report).toBe("");
    const sms = acknowledged.suite.policyAcknowledgments.filter(
      (made) => made.id === POLICY_ACKNOWLEDGMENTS.smsToPhoneNumbers.id,
    );
    expect(sms.map((made) => made.path)).toEqual(["Consumer/Triggers/CustomSmsSender/Role/DefaultPolicy"]);
    // Without it, cdk-nag reports that statement, and only there.
    const { report } = checkedSynth({ acknowledgePolicyFindings: false });
    expect(report).toContain("AwsSolutions-IAM5[Resource::*]");
    const iam5 = report.split("ERROR [").filter((finding) => finding.includes("AwsSolutions-IAM5"));
    expect(iam5).toHaveLength(1);
    expect(iam5[0]).toContain("Consumer/Triggers/CustomSmsSender/Role/DefaultPolicy");
  }, 120_000);
});
