/**
 * AlarmTopic: an encrypted topic CloudWatch can actually deliver to. The topic policy keeps the TLS
 * Deny that enforceSSL writes and adds the Allow for CloudWatch alarms of this account; the key policy
 * lets CloudWatch use the key under the same conditions. And the monitoring constructs together pass
 * cdk-nag's AwsSolutions checks, as every synth of the suite runs them.
 */
import { Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { AlarmTopic } from "../../infra/alarm-topic.ts";
import { SuiteDashboard } from "../../infra/suite-dashboard.ts";
import { TriggerAlarms } from "../../infra/trigger-alarms.ts";
import { importedFunctions, monitoringStack, TRIGGER_NAMES } from "./monitoring-fixtures.ts";
import { testApp } from "./synth.ts";

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The conditions both statements carry: alarms of this account (and region), nothing else. */
const THIS_ACCOUNTS_ALARMS = {
  StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
  ArnLike: {
    "aws:SourceArn": {
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          ":cloudwatch:",
          { Ref: "AWS::Region" },
          ":",
          { Ref: "AWS::AccountId" },
          ":alarm:*",
        ],
      ],
    },
  },
};

/** The properties of the one resource of the type in the template. */
function onlyOne<T>(template: Template, type: string): T {
  const found = Object.values(template.findResources(type));
  expect(found, type).toHaveLength(1);
  const [resource] = found;
  if (!resource) throw new Error(`no ${type}`);
  return resource.Properties as T;
}

const mentionsCloudWatch = (statement: PolicyStatement) =>
  JSON.stringify(statement.Principal ?? "").includes("cloudwatch.amazonaws.com");

describe("AlarmTopic", () => {
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    stack = monitoringStack();
    new AlarmTopic(stack, "AlarmTopic", { email: "ops@example.com" });
    template = Template.fromStack(stack);
  });

  const topicPolicy = () =>
    onlyOne<{ PolicyDocument: { Statement: PolicyStatement[] } }>(template, "AWS::SNS::TopicPolicy")
      .PolicyDocument.Statement;
  const keyPolicy = () =>
    onlyOne<{ KeyPolicy: { Statement: PolicyStatement[] } }>(template, "AWS::KMS::Key").KeyPolicy.Statement;

  it("encrypts the topic with its own key, rotated", () => {
    const [keyId] = Object.keys(template.findResources("AWS::KMS::Key"));
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
    });
  });

  it("lets CloudWatch alarms of this account publish, and keeps the Deny of publishing without TLS", () => {
    const [topicId] = Object.keys(template.findResources("AWS::SNS::Topic"));
    const statements = topicPolicy();
    const tlsDeny = statements.find((s) => s.Effect === "Deny");
    expect(tlsDeny).toMatchObject({
      Action: "sns:Publish",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
      Resource: { Ref: topicId },
    });
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      {
        Sid: "CloudWatchAlarmsOfThisAccountPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: { Ref: topicId },
        Condition: THIS_ACCOUNTS_ALARMS,
      },
    ]);
  });

  it("lets CloudWatch use the key only to publish (Decrypt, GenerateDataKey*), for alarms of this account", () => {
    const forCloudWatch = keyPolicy().filter(mentionsCloudWatch);
    expect(forCloudWatch).toEqual([
      {
        Sid: "CloudWatchAlarmsOfThisAccountUseKey",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: THIS_ACCOUNTS_ALARMS,
      },
    ]);
  });

  it("subscribes the email address", () => {
    const [topicId] = Object.keys(template.findResources("AWS::SNS::Topic"));
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
      TopicArn: { Ref: topicId },
    });
  });

  it("keeps the logical ids of a topic created as `new sns.Topic(stack, id)`, its policy and subscription", () => {
    // What suite-stack.ts created before: replacing it would drop the confirmed subscription.
    const before = monitoringStack("Before");
    const old = new sns.Topic(before, "AlarmTopic", { enforceSSL: true });
    old.addSubscription(new subscriptions.EmailSubscription("ops@example.com"));
    const idsOf = (t: Template, type: string) => Object.keys(t.findResources(type)).sort();
    const was = Template.fromStack(before);
    for (const type of ["AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription"]) {
      expect(idsOf(template, type), type).toEqual(idsOf(was, type));
    }
  });

  it("refuses a key whose policy it cannot change", () => {
    const other = monitoringStack("ImportedKey");
    const imported = kms.Key.fromKeyArn(
      other,
      "Key",
      "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555",
    );
    expect(() => new AlarmTopic(other, "AlarmTopic", { masterKey: imported })).toThrow(
      /masterKey's policy cannot be changed/,
    );
  });

  it("takes a key of the app and adds the CloudWatch statement to its policy", () => {
    const other = monitoringStack("OwnKey");
    const key = new kms.Key(other, "SharedKey", { enableKeyRotation: true });
    new AlarmTopic(other, "AlarmTopic", { masterKey: key });
    const own = Template.fromStack(other);
    const statements = onlyOne<{ KeyPolicy: { Statement: PolicyStatement[] } }>(own, "AWS::KMS::Key")
      .KeyPolicy.Statement;
    expect(statements.filter(mentionsCloudWatch)).toHaveLength(1);
  });
});

/** Synthesizes with cdk-nag's AwsSolutions pack; returns the error message ("" when it passes). */
function nagFindings(build: (stack: Stack) => void): string {
  const app = testApp({ bundle: false });
  build(new Stack(app, "Monitoring"));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("cdk-nag AwsSolutions checks", () => {
  it("pass on the alarm topic, the alarms of all seven triggers and the dashboard", () => {
    const findings = nagFindings((stack) => {
      const topic = new AlarmTopic(stack, "AlarmTopic", { email: "ops@example.com" }).topic;
      const functions = importedFunctions(stack);
      const alarms = TRIGGER_NAMES.flatMap(
        (trigger) =>
          new TriggerAlarms(stack, `Alarms-${trigger}`, { trigger, function: functions[trigger], topic })
            .alarms,
      );
      new SuiteDashboard(stack, "Dashboard", { functions, alarms });
    });
    expect(findings).toBe("");
  });

  it("would fail on a topic without the TLS Deny (SNS3) or a key without rotation (KMS5): the pass above means something", () => {
    const findings = nagFindings((stack) => {
      new sns.Topic(stack, "Plain");
      new kms.Key(stack, "Unrotated", { enableKeyRotation: false });
    });
    expect(findings).toMatch(/AwsSolutions-SNS3/);
    expect(findings).toMatch(/AwsSolutions-KMS5/);
  });
});
