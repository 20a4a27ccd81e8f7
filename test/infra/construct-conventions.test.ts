/**
 * CognitoTriggerSuite as a consumer's CDK app relies on an L3 construct: it tells a pool of the app from
 * an imported one without `instanceof` (so also when the app's aws-cdk-lib is another copy than the
 * suite's), lists the policy acknowledgments it makes on the consumer's behalf and makes none when
 * asked, grants reading the audit trail, takes the consumer's own audit table, keeps its stateful
 * resources by default and lets them be deleted when asked, and lets each function be tuned without
 * touching the suite's own configuration. Construction and templates only (no bundling).
 */
import { CfnResource, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoTriggerSuite, type CognitoTriggerSuiteProps } from "../../infra/cognito-trigger-suite.ts";
import { POLICY_ACKNOWLEDGMENTS } from "../../infra/policy-acknowledgments.ts";
import { policyValidationPlugins } from "../../infra/policy-validation.ts";
import type { InvalidSettingsError } from "../../infra/settings.ts";
import { TriggerAlarms } from "../../infra/trigger-alarms.ts";
import { AUDIT_RECORD_ATTRIBUTES } from "../../triggers/lib/audit/record.ts";
import { isOptionalTrigger, TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import { SUITE_LAMBDA_CONFIG_KEYS } from "../support/lambda-config-keys.ts";
import { type SecondAwsCdkLib, secondAwsCdkLib } from "./second-aws-cdk-lib.ts";
import { testApp } from "./synth.ts";
import {
  actionsOf,
  iamStatements,
  ofType,
  type Resources,
  referencesIn,
  resourcesOf,
} from "./template-graph.ts";

const SETTINGS = { appName: "Acme Notes", allowedEmailDomains: ["example.com"] };
/** The triggers a suite attaches by default (the optional three only when asked). */
const TRIGGER_NAMES = (Object.keys(TRIGGERS) as TriggerName[]).filter((name) => !isOptionalTrigger(name));
const POOL_ID = "eu-west-1_Abc123";

type PoolKind = "owned" | "imported";

function suiteIn(stack: Stack, props: Partial<CognitoTriggerSuiteProps> = {}, pool: PoolKind = "owned") {
  const userPool =
    pool === "owned"
      ? new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS })
      : cognito.UserPool.fromUserPoolId(stack, "Pool", POOL_ID);
  return new CognitoTriggerSuite(stack, "Triggers", { userPool, settings: SETTINGS, ...props });
}

function build(props: Partial<CognitoTriggerSuiteProps> = {}, pool: PoolKind = "owned") {
  const stack = new Stack(testApp({ bundle: false }), "Test");
  const suite = suiteIn(stack, props, pool);
  return { stack, suite, resources: () => Template.fromStack(stack).toJSON().Resources as Resources };
}

/** The construct's refusal (an InvalidSettingsError), or a failed test if it accepted. */
function refusal(make: () => unknown): InvalidSettingsError {
  try {
    make();
  } catch (error) {
    expect((error as Error).name).toBe("InvalidSettingsError");
    return error as InvalidSettingsError;
  }
  throw new Error("expected the construct to refuse these props");
}

const lambdaConfigOfPool = (resources: Resources) =>
  ofType(resources, "AWS::Cognito::UserPool")[0]?.[1].Properties?.LambdaConfig as Record<string, unknown>;

const attachmentOf = (resources: Resources) =>
  ofType(resources, "Custom::CognitoTriggerSuiteAttachment")[0]?.[1].Properties as {
    Mode: string;
    LambdaConfig: Record<string, unknown>;
  };

/**
 * Makes `instanceof` answer false for these classes while `run` runs, as it does for objects of another
 * copy of aws-cdk-lib.
 */
function withoutInstanceOf<T>(classes: readonly object[], run: () => T): T {
  for (const each of classes) {
    Object.defineProperty(each, Symbol.hasInstance, { value: () => false, configurable: true });
  }
  try {
    return run();
  } finally {
    for (const each of classes) delete (each as { [Symbol.hasInstance]?: unknown })[Symbol.hasInstance];
  }
}

describe("a pool of this app, told from an imported one without instanceof", () => {
  it("attaches through the pool's LambdaConfig and checks its plan when instanceof cognito.UserPool is false", () => {
    withoutInstanceOf([cognito.UserPool], () => {
      const { stack, suite, resources } = build();
      const userPool = stack.node.findChild("Pool");
      expect(userPool instanceof cognito.UserPool).toBe(false);
      const template = resources();
      expect(Object.keys(lambdaConfigOfPool(template)).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
      expect(lambdaConfigOfPool(template).PreTokenGenerationConfig).toMatchObject({ LambdaVersion: "V2_0" });
      expect(attachmentOf(template).Mode).toBe("detach-on-delete");
      expect(suite.node.validate()).toEqual([]);
      (userPool.node.defaultChild as cognito.CfnUserPool).userPoolTier = "LITE";
      expect(suite.node.validate().join("\n")).toMatch(/the user pool is on LITE/);
    });
  });

  it("still attaches an imported pool through the custom resource", () => {
    withoutInstanceOf([cognito.UserPool], () => {
      const { resources } = build({}, "imported");
      const template = resources();
      expect(ofType(template, "AWS::Cognito::UserPool")).toEqual([]);
      const attachment = attachmentOf(template);
      expect(attachment.Mode).toBe("attach");
      expect(Object.keys(attachment.LambdaConfig).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
    });
  });

  describe("with a second copy of aws-cdk-lib, as a consumer's app may have", () => {
    let second: SecondAwsCdkLib;
    let cdk: typeof import("aws-cdk-lib");
    let cognitoB: typeof import("aws-cdk-lib/aws-cognito");
    let lambdaB: typeof import("aws-cdk-lib/aws-lambda");
    beforeAll(() => {
      second = secondAwsCdkLib();
      cdk = second.require("aws-cdk-lib");
      cognitoB = second.require("aws-cdk-lib/aws-cognito");
      lambdaB = second.require("aws-cdk-lib/aws-lambda");
    }, 60_000);
    afterAll(() => second?.cleanup());

    /** An app of the other copy (no bundling), its stack, and the suite on the pool `pool` makes. */
    function consumer(
      pool: (stack: Stack) => cognito.IUserPool,
      props: Partial<CognitoTriggerSuiteProps> = {},
    ) {
      const app = new cdk.App({ context: { "aws:cdk:bundling-stacks": [] } });
      const stack = new cdk.Stack(app, "Consumer");
      const userPool = pool(stack);
      const suite = new CognitoTriggerSuite(stack, "Triggers", { userPool, settings: SETTINGS, ...props });
      const template = () => app.synth().getStackByName("Consumer").template.Resources as Resources;
      return { stack, userPool, suite, template };
    }

    it("is another copy: its classes are not this copy's", () => {
      expect(cdk.Stack).not.toBe(Stack);
      expect(cognitoB.UserPool).not.toBe(cognito.UserPool);
    });

    it("attaches to that copy's pool through its LambdaConfig, with the pre token generation version asked for", () => {
      const { userPool, template } = consumer(
        (stack) => new cognitoB.UserPool(stack, "Pool", { featurePlan: cognitoB.FeaturePlan.ESSENTIALS }),
        { preTokenGenerationVersion: cognito.LambdaVersion.V3_0 },
      );
      expect(userPool instanceof cognito.UserPool).toBe(false);
      const resources = template();
      expect(Object.keys(lambdaConfigOfPool(resources)).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
      expect(lambdaConfigOfPool(resources).PreTokenGenerationConfig).toMatchObject({ LambdaVersion: "V3_0" });
      expect(attachmentOf(resources).Mode).toBe("detach-on-delete");
    });

    it("checks that copy's pool's feature plan", () => {
      const { suite } = consumer(
        (stack) => new cognitoB.UserPool(stack, "Pool", { featurePlan: cognitoB.FeaturePlan.LITE }),
      );
      expect(suite.node.validate().join("\n")).toMatch(/the user pool is on LITE/);
    });

    it("attaches a pool that copy imports by id through the custom resource", () => {
      const { template } = consumer((stack) => cognitoB.UserPool.fromUserPoolId(stack, "Pool", POOL_ID));
      const resources = template();
      expect(ofType(resources, "AWS::Cognito::UserPool")).toEqual([]);
      expect(attachmentOf(resources).Mode).toBe("attach");
    });

    it("TriggerAlarms takes the timeout of that copy's function", () => {
      const app = new cdk.App();
      const stack = new cdk.Stack(app, "Consumer");
      const fn = new lambdaB.Function(stack, "Fn", {
        runtime: lambdaB.Runtime.NODEJS_22_X,
        handler: "index.handler",
        code: lambdaB.Code.fromInline("exports.handler = async (event) => event;"),
        timeout: cdk.Duration.seconds(4),
      });
      new TriggerAlarms(stack, "Alarms", { trigger: "custom-message", function: fn });
      const timeoutAlarm = Object.values(
        app.synth().getStackByName("Consumer").template.Resources as Resources,
      ).find((r) => r.Type === "AWS::CloudWatch::Alarm" && r.Properties?.Statistic === "Maximum");
      expect(timeoutAlarm?.Properties?.MetricName).toBe("Duration");
      expect(timeoutAlarm?.Properties?.Threshold).toBe(3900);
    });
  });
});

/** The acknowledgments recorded in the metadata of `scope` and everything beneath it. */
function acknowledgedIn(scope: IConstruct): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push([construct.node.path, id.replace(/^Annotation::/, ""), reason]);
      }
    }
  }
  return out.sort();
}

function countsById(made: readonly { id: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { id } of made) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

/**
 * Synthesizes the suite on an imported pool, without an alarm topic, with the suite's policy checks;
 * returns the suite and the validation report ("" when the synth passed).
 */
function checkedSynth(props: Partial<CognitoTriggerSuiteProps>) {
  const app = testApp({ bundle: false });
  const suite = suiteIn(new Stack(app, "Consumer"), props, "imported");
  Validations.of(app).addPlugins(...policyValidationPlugins(app));
  try {
    app.synth();
  } catch (error) {
    return { suite, report: (error as Error).message };
  }
  return { suite, report: "" };
}

/** Each finding of a validation report: the construct it names and the rule to acknowledge it with. */
function findingsOf(report: string): [string, string][] {
  return report
    .split("ERROR [")
    .slice(1)
    .map((finding): [string, string] => [
      /^\s+(\S+) \(/m.exec(finding)?.[1]?.replace(/\/Resource$/, "") ?? "",
      /Acknowledge with '([^']+)'/.exec(finding)?.[1] ?? "",
    ])
    .sort();
}

describe("policy acknowledgments made on the consumer's behalf", () => {
  const { functionOutsideVpc, alarmWithoutAction, importedPoolInvokePermission } = POLICY_ACKNOWLEDGMENTS;

  it("are listed, each one of POLICY_ACKNOWLEDGMENTS, exactly as the constructs carry them", () => {
    const { suite } = build({}, "imported");
    const alarmCount = Object.values(suite.alarms).reduce((sum, set) => sum + set.alarms.length, 0);
    expect(countsById(suite.policyAcknowledgments)).toEqual({
      // Seven triggers and the pool attachment's function.
      [functionOutsideVpc.id]: 8,
      [alarmWithoutAction.id]: alarmCount,
      [importedPoolInvokePermission.id]: 7,
    });
    const rules = Object.values(POLICY_ACKNOWLEDGMENTS);
    for (const made of suite.policyAcknowledgments) {
      expect(rules.find((rule) => rule.id === made.id)?.reason, made.path).toBe(made.reason);
    }
    expect(acknowledgedIn(suite)).toEqual(
      suite.policyAcknowledgments.map(({ path, id, reason }) => [path, id, reason]).sort(),
    );
  });

  it("depend on the pool and the topic: a pool of the app with a topic needs only the VPC one", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const suite = suiteIn(stack, { alarmTopic: new sns.Topic(stack, "Alarms") });
    expect(countsById(suite.policyAcknowledgments)).toEqual({ [functionOutsideVpc.id]: 8 });
  });

  it("are none with acknowledgePolicyFindings: false", () => {
    const { suite } = build({ acknowledgePolicyFindings: false }, "imported");
    expect(suite.policyAcknowledgments).toEqual([]);
    expect(acknowledgedIn(suite)).toEqual([]);
  });

  it("keep the suite's policy checks passing by default; without them the checks report exactly those findings", () => {
    const acknowledged = checkedSynth({});
    expect(acknowledged.report).toBe("");
    const { report } = checkedSynth({ acknowledgePolicyFindings: false });
    for (const rule of [functionOutsideVpc, alarmWithoutAction, importedPoolInvokePermission]) {
      expect(report, rule.id).toContain(`ERROR [${rule.control}]`);
    }
    expect(findingsOf(report)).toEqual(
      acknowledged.suite.policyAcknowledgments.map(({ path, id }): [string, string] => [path, id]).sort(),
    );
  }, 120_000);
});

/** The statements of the inline policies attached to a role. */
function statementsOfRole(resources: Resources, roleId: string) {
  const policies = ofType(resources, "AWS::IAM::Policy")
    .filter(([, policy]) => referencesIn(policy.Properties?.Roles).has(roleId))
    .map(([id]) => id);
  return iamStatements(resources).filter((statement) => policies.includes(statement.policy));
}

const READ_ACTIONS = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"];

const readerPolicyStatement = (resources: Resources) =>
  iamStatements(resources).find(
    (statement) =>
      ofType(resources, "AWS::IAM::ManagedPolicy").some(([id]) => id === statement.policy) &&
      actionsOf(statement).includes("dynamodb:Query"),
  );

const functionOf = (suite: CognitoTriggerSuite, trigger: TriggerName) => {
  const fn = suite.functions[trigger];
  if (!fn) throw new Error(`the suite has no ${trigger} function`);
  return fn.node.defaultChild as lambda.CfnFunction;
};

const environmentOf = (stack: Stack, suite: CognitoTriggerSuite, trigger: TriggerName) =>
  (stack.resolve(functionOf(suite, trigger).environment) as { variables: Record<string, unknown> }).variables;

describe("grantReadAuditTrail", () => {
  it("grants a role of the consumer what the reader policy holds: read the table and its time index", () => {
    const { stack, suite } = build();
    const reviewers = new iam.Role(stack, "Reviewers", { assumedBy: new iam.AccountRootPrincipal() });
    expect(suite.grantReadAuditTrail(reviewers).success).toBe(true);
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const granted = statementsOfRole(
      resources,
      stack.getLogicalId(reviewers.node.defaultChild as CfnResource),
    );
    expect(granted).toHaveLength(1);
    expect(actionsOf(granted[0] as never).sort()).toEqual(READ_ACTIONS);
    expect(resourcesOf(granted[0] as never)).toEqual(resourcesOf(readerPolicyStatement(resources) as never));
    expect(JSON.stringify(resourcesOf(granted[0] as never))).toContain("/index/byTime");
  });
});

/** A table of the consumer's with the audit record's keys and index (docs/deploying.md). */
function consumerAuditTable(stack: Stack, id = "TheirAudit"): dynamodb.Table {
  const table = new dynamodb.Table(stack, id, {
    partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
    sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: "expiresAt",
  });
  table.addGlobalSecondaryIndex({
    indexName: "byTime",
    partitionKey: { name: "dayShard", type: dynamodb.AttributeType.STRING },
    sortKey: { name: "at", type: dynamodb.AttributeType.STRING },
  });
  return table;
}

const AUDIT_WRITERS: TriggerName[] = [
  "pre-sign-up",
  "pre-authentication",
  "post-authentication",
  "post-confirmation",
  "user-migration",
];

describe("the consumer's own audit table (auditTable)", () => {
  it("creates no table and points the handlers, the append grants and the reader policy at the given one", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const table = consumerAuditTable(stack);
    const suite = suiteIn(stack, { auditTable: table });
    expect(suite.auditTable.table).toBe(table);
    expect(suite.auditTable.node.tryFindChild("Table")).toBeUndefined();
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const tableId = stack.getLogicalId(table.node.defaultChild as CfnResource);
    // The given table and the legacy users table, nothing else.
    expect(ofType(resources, "AWS::DynamoDB::Table").map(([id]) => id)).toHaveLength(2);
    for (const trigger of AUDIT_WRITERS) {
      expect(environmentOf(stack, suite, trigger).AUDIT_TABLE_NAME, trigger).toEqual({ Ref: tableId });
    }
    const puts = iamStatements(resources).filter((s) => actionsOf(s).includes("dynamodb:PutItem"));
    expect(puts).toHaveLength(AUDIT_WRITERS.length);
    for (const put of puts) {
      expect(actionsOf(put)).toEqual(["dynamodb:PutItem"]);
      expect(resourcesOf(put)).toEqual([{ "Fn::GetAtt": [tableId, "Arn"] }]);
      expect(put.Condition).toMatchObject({
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [...AUDIT_RECORD_ATTRIBUTES] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      });
    }
    const reader = readerPolicyStatement(resources);
    expect([...referencesIn(reader?.Resource)]).toEqual([tableId]);
    expect(JSON.stringify(reader?.Resource)).toContain("/index/byTime");
    expect(suite.node.validate()).toEqual([]);
  });

  it("takes a table imported by name: its name in the handlers' configuration, its ARNs in the grants", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const table = dynamodb.Table.fromTableName(stack, "TheirAudit", "acme-audit");
    const suite = suiteIn(stack, { auditTable: table });
    expect(environmentOf(stack, suite, "post-authentication").AUDIT_TABLE_NAME).toBe("acme-audit");
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const reader = JSON.stringify(readerPolicyStatement(resources)?.Resource);
    expect(reader).toContain(":table/acme-audit");
    expect(reader).toContain(":table/acme-audit/index/byTime");
    const put = iamStatements(resources).find((s) => actionsOf(s).includes("dynamodb:PutItem"));
    expect(JSON.stringify(put?.Resource)).toContain(":table/acme-audit");
  });

  it("grants the key of a table encrypted with a customer managed key it names", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const table = dynamodb.Table.fromTableAttributes(stack, "TheirAudit", {
      tableName: "acme-audit",
      encryptionKey: kms.Key.fromKeyArn(stack, "TheirKey", keyArn),
    });
    const suite = suiteIn(stack, { auditTable: table });
    const reviewers = new iam.Role(stack, "Reviewers", { assumedBy: new iam.AccountRootPrincipal() });
    suite.grantReadAuditTrail(reviewers);
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const keyStatements = (roleId: string) =>
      statementsOfRole(resources, roleId).filter((s) => resourcesOf(s).includes(keyArn));
    const reviewerKey = keyStatements(stack.getLogicalId(reviewers.node.defaultChild as CfnResource));
    expect(reviewerKey.flatMap(actionsOf).sort()).toEqual(["kms:Decrypt", "kms:DescribeKey"]);
    const writerRole = (suite.functions["post-authentication"].role as iam.Role).node
      .defaultChild as CfnResource;
    expect(keyStatements(stack.getLogicalId(writerRole)).flatMap(actionsOf)).toEqual(
      expect.arrayContaining(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]),
    );
  });

  it("refuses, at synth time, a table of the app whose keys or index do not fit the audit record", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const wrongKeys = new dynamodb.Table(stack, "WrongKeys", {
      partitionKey: { name: "PK", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "SK", type: dynamodb.AttributeType.STRING },
    });
    const wrong = suiteIn(stack, { auditTable: wrongKeys }).node.validate().join("\n");
    expect(wrong).toMatch(
      /key schema is PK \(HASH, S\), SK \(RANGE, S\); the handlers write pk \(HASH, S\), sk \(RANGE, S\)/,
    );
    expect(wrong).toMatch(/no global secondary index byTime \(dayShard \(HASH, S\), at \(RANGE, S\)\)/);

    const other = new Stack(testApp({ bundle: false }), "Other");
    const keysOnly = consumerAuditTable(other, "Partial");
    const partial = new dynamodb.Table(other, "NumericTime", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
    });
    partial.addGlobalSecondaryIndex({
      indexName: "byTime",
      partitionKey: { name: "dayShard", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "at", type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    const userPool = cognito.UserPool.fromUserPoolId(other, "Pool", POOL_ID);
    const made = new CognitoTriggerSuite(other, "Triggers", {
      userPool,
      settings: SETTINGS,
      auditTable: partial,
    });
    const problems = made.node.validate().join("\n");
    expect(problems).toMatch(/index byTime has the keys dayShard \(HASH, S\), at \(RANGE, N\)/);
    expect(problems).toMatch(/index byTime does not project event, outcome/);
    expect(
      new CognitoTriggerSuite(other, "Fits", {
        userPool,
        settings: SETTINGS,
        auditTable: keysOnly,
      }).node.validate(),
    ).toEqual([]);
  });

  it("sees an index added to the table after the suite was constructed", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const table = new dynamodb.Table(stack, "Later", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
    });
    const suite = suiteIn(stack, { auditTable: table });
    expect(suite.node.validate().join("\n")).toMatch(/no global secondary index byTime/);
    table.addGlobalSecondaryIndex({
      indexName: "byTime",
      partitionKey: { name: "dayShard", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "at", type: dynamodb.AttributeType.STRING },
    });
    expect(suite.node.validate()).toEqual([]);
  });
});

/** The logical ids of the stateful resources the suite creates, by kind. */
function statefulResources(stack: Stack, suite: CognitoTriggerSuite) {
  const id = (construct: IConstruct | undefined) => stack.getLogicalId(construct as CfnResource);
  const logGroups = suite.node
    .findAll()
    .filter(
      (c): c is CfnResource =>
        CfnResource.isCfnResource(c) &&
        c.cfnResourceType === "AWS::Logs::LogGroup" &&
        !c.node.path.startsWith(suite.poolAttachment.node.path),
    );
  return {
    tables: [id(suite.auditTable.table.node.defaultChild), id(suite.legacyUsersTable.node.defaultChild)],
    logGroups: logGroups.map((c) => stack.getLogicalId(c)),
    key: id(suite.logEncryptionKey.node.defaultChild),
  };
}

describe("removalPolicy", () => {
  const withAllowlist = { settings: { ...SETTINGS, ipAllowlist: ["203.0.113.0/24"] } };

  it("RETAIN by default: tables protected and kept, log groups (the functions' and AWS WAF's) and the key kept", () => {
    const { stack, suite, resources } = build(withAllowlist);
    const template = resources();
    const { tables, logGroups, key } = statefulResources(stack, suite);
    expect(logGroups).toHaveLength(8);
    for (const id of [...tables, ...logGroups, key]) {
      expect(template[id]?.DeletionPolicy, id).toBe("Retain");
      expect(template[id]?.UpdateReplacePolicy, id).toBe("Retain");
    }
    for (const id of tables) expect(template[id]?.Properties?.DeletionProtectionEnabled, id).toBe(true);
  });

  it("DESTROY deletes them with the stack, and turns the tables' deletion protection off", () => {
    const { stack, suite, resources } = build({ ...withAllowlist, removalPolicy: RemovalPolicy.DESTROY });
    const template = resources();
    const { tables, logGroups, key } = statefulResources(stack, suite);
    expect(logGroups).toHaveLength(8);
    for (const id of [...tables, ...logGroups, key]) {
      expect(template[id]?.DeletionPolicy, id).toBe("Delete");
      expect(template[id]?.UpdateReplacePolicy, id).toBe("Delete");
    }
    for (const id of tables) expect(template[id]?.Properties?.DeletionProtectionEnabled, id).toBe(false);
  });

  it("leaves what the consumer passes in as it is", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const auditTable = consumerAuditTable(stack);
    const key = new kms.Key(stack, "TheirKey", { enableKeyRotation: true });
    suiteIn(stack, { auditTable, logEncryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack).toJSON().Resources as Resources;
    for (const construct of [auditTable, key]) {
      const id = stack.getLogicalId(construct.node.defaultChild as CfnResource);
      expect(template[id]?.DeletionPolicy, id).toBe("Retain");
    }
  });

  it("refuses SNAPSHOT, which none of those resources supports", () => {
    expect(refusal(() => build({ removalPolicy: RemovalPolicy.SNAPSHOT })).message).toMatch(
      /removalPolicy SNAPSHOT: none of the suite's stateful resources/,
    );
  });
});

describe("functionOverrides", () => {
  it("sets memory, reserved concurrency and added variables per function; the per-function value wins", () => {
    const { stack, suite } = build({
      reservedConcurrentExecutions: 20,
      functionOverrides: {
        "pre-token-generation": {
          memorySize: 512,
          reservedConcurrentExecutions: 50,
          environment: { OTEL_SERVICE_NAME: "auth-tokens" },
        },
        "custom-message": { reservedConcurrentExecutions: 0 },
      },
    });
    const settingsOf = (trigger: TriggerName) => {
      const fn = functionOf(suite, trigger);
      return [stack.resolve(fn.memorySize), stack.resolve(fn.reservedConcurrentExecutions)];
    };
    expect(settingsOf("pre-token-generation")).toEqual([512, 50]);
    expect(settingsOf("custom-message")).toEqual([256, 0]);
    expect(settingsOf("pre-sign-up")).toEqual([256, 20]);
    expect(settingsOf("user-migration")).toEqual([1024, 20]);
    expect(environmentOf(stack, suite, "pre-token-generation")).toEqual({
      OTEL_SERVICE_NAME: "auth-tokens",
      CLAIMS_CONFIG: "{}",
    });
    for (const trigger of TRIGGER_NAMES.filter((name) => name !== "pre-token-generation")) {
      expect(environmentOf(stack, suite, trigger), trigger).not.toHaveProperty("OTEL_SERVICE_NAME");
    }
  });

  it.each([
    ["custom-message", "APP_NAME"],
    ["post-authentication", "AUDIT_TABLE_NAME"],
    ["user-migration", "LEGACY_USERS_TABLE_NAME"],
    // Not a key this function reads: still the suite's, set only through settings.
    ["pre-token-generation", "IP_ALLOWLIST"],
  ] as [TriggerName, string][])("refuses an added %s variable %s, a key the suite sets", (trigger, key) => {
    const error = refusal(() => build({ functionOverrides: { [trigger]: { environment: { [key]: "x" } } } }));
    expect(error.problems.join("\n")).toContain(`functionOverrides["${trigger}"].environment sets ${key}`);
  });

  it("refuses reserved concurrency Lambda would refuse, for every function and per function", () => {
    for (const value of [-1, 2.5]) {
      expect(refusal(() => build({ reservedConcurrentExecutions: value })).message).toContain(
        `reservedConcurrentExecutions is ${value}; Lambda takes a whole number of 0 or more`,
      );
    }
    const error = refusal(() =>
      build({ functionOverrides: { "pre-sign-up": { reservedConcurrentExecutions: -3 } } }),
    );
    expect(error.message).toContain('functionOverrides["pre-sign-up"].reservedConcurrentExecutions is -3');
  });

  it("refuses memory sizes Lambda would refuse", () => {
    for (const size of [10_241, 200.5]) {
      expect(
        refusal(() => build({ functionOverrides: { "user-migration": { memorySize: size } } })).message,
      ).toContain(`memorySize of user-migration is ${size} MB; Lambda allows 128 to 10240`);
    }
  });

  it("refuses an override of a trigger that does not exist", () => {
    const overrides = { "pre-signup": { memorySize: 512 } } as CognitoTriggerSuiteProps["functionOverrides"];
    expect(refusal(() => build({ functionOverrides: overrides })).message).toMatch(
      /functionOverrides names "pre-signup", which is not a trigger/,
    );
  });

  it("refuses additions that take a function's environment past Lambda's 4 KB", () => {
    const error = refusal(() =>
      build({ functionOverrides: { "custom-message": { environment: { BANNER: "x".repeat(4_090) } } } }),
    );
    expect(error.message).toMatch(
      /the custom-message function's environment with functionOverrides\["custom-message"\]\.environment would be \d+ bytes; Lambda allows 4096/,
    );
  });
});
