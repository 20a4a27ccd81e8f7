/**
 * TriggerAlarms on the ten trigger functions: alarms that page on faults only (never on Lambda's
 * Errors alone, which counts every denial), with the periods, datapoints and guards the construct
 * documents, and ALARM and OK notifications to a topic of the app or an imported one. The custom
 * senders, which Cognito invokes asynchronously, also alarm on every event Lambda dropped, and their
 * alarms say what a failure means there (a message late or never delivered, not an error a user saw).
 */
import { Duration, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as sns from "aws-cdk-lib/aws-sns";
import { beforeAll, describe, expect, it } from "vitest";
import { AlarmTopic } from "../../infra/alarm-topic.ts";
import { TriggerAlarms } from "../../infra/trigger-alarms.ts";
import type { TriggerName } from "../../triggers/lib/events.ts";
import {
  type AlarmProps,
  alarmsByName,
  functionName,
  importedFunctions,
  type MetricDataQuery,
  monitoringStack,
  realFunction,
  TRIGGER_NAMES,
} from "./monitoring-fixtures.ts";

const IMPORTED_TOPIC_ARN = "arn:aws:sns:eu-west-1:111122223333:ops-alarms";

/** The triggers that write audit records (their config spec reads AUDIT_TABLE_NAME). */
const AUDIT_WRITERS: TriggerName[] = [
  "pre-sign-up",
  "pre-authentication",
  "post-authentication",
  "post-confirmation",
  "user-migration",
  "inbound-federation",
  "custom-email-sender",
  "custom-sms-sender",
];

/** The triggers Cognito invokes asynchronously. */
const ASYNCHRONOUS: TriggerName[] = ["custom-email-sender", "custom-sms-sender"];

/** What a trigger counts when it ends an invocation with an error on purpose (besides the runtime's three). */
const OWN_REFUSALS: Record<TriggerName, string[]> = {
  "pre-sign-up": ["signUpDenied"],
  "custom-message": [],
  "pre-authentication": ["signInDenied"],
  "post-authentication": ["auditFallbacks"],
  "post-confirmation": [],
  "pre-token-generation": [],
  "user-migration": ["signInDenied"],
  "inbound-federation": ["federationDenied"],
  "custom-email-sender": ["messagesFailed"],
  "custom-sms-sender": ["messagesFailed"],
};

function alarmsStack(topic: (stack: Stack) => sns.ITopic | undefined): Map<string, AlarmProps> {
  const stack = monitoringStack();
  const functions = importedFunctions(stack);
  const alarmTopic = topic(stack);
  for (const trigger of TRIGGER_NAMES) {
    new TriggerAlarms(stack, `Alarms-${trigger}`, {
      trigger,
      function: functions[trigger],
      topic: alarmTopic,
      timeout: Duration.seconds(5),
    });
  }
  return alarmsByName(Template.fromStack(stack));
}

const alarmOf = (alarms: Map<string, AlarmProps>, trigger: TriggerName, kind: string): AlarmProps => {
  const alarm = alarms.get(`${functionName(trigger)}-${kind}`);
  expect(alarm, `${trigger} ${kind}`).toBeDefined();
  return alarm as AlarmProps;
};

const dimensionOf = (trigger: TriggerName) => [{ Name: "FunctionName", Value: functionName(trigger) }];

describe("TriggerAlarms with an imported topic", () => {
  let alarms: Map<string, AlarmProps>;
  beforeAll(() => {
    alarms = alarmsStack((stack) => sns.Topic.fromTopicArn(stack, "Ops", IMPORTED_TOPIC_ARN));
  });

  it("never alarms on Lambda's Errors alone: Errors appears only with the refusals subtracted", () => {
    expect(alarms.size).toBeGreaterThan(0);
    for (const [name, alarm] of alarms) {
      expect(alarm.MetricName, name).not.toBe("Errors");
      const stats = (alarm.Metrics ?? []).flatMap((query) => (query.MetricStat ? [query.MetricStat] : []));
      if (
        stats.some((stat) => stat.Metric.Namespace === "AWS/Lambda" && stat.Metric.MetricName === "Errors")
      ) {
        expect(
          stats.some((stat) => stat.Metric.Namespace === "CognitoTriggerSuite"),
          name,
        ).toBe(true);
        const result = (alarm.Metrics ?? []).find((query) => query.ReturnData !== false && query.Expression);
        expect(result?.Expression, name).toMatch(/^errors - /);
      }
    }
  });

  it("alarm on one unexpected error or configuration refusal in a minute, from the suite's own metrics", () => {
    for (const trigger of TRIGGER_NAMES) {
      for (const kind of ["UnexpectedErrors", "ConfigRefusals"]) {
        expect(alarmOf(alarms, trigger, kind), `${trigger} ${kind}`).toMatchObject({
          Namespace: "CognitoTriggerSuite",
          MetricName: kind,
          Dimensions: dimensionOf(trigger),
          Statistic: "Sum",
          Period: 60,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          TreatMissingData: "notBreaching",
        });
      }
    }
  });

  it("alarm on one throttle in a minute", () => {
    for (const trigger of TRIGGER_NAMES) {
      expect(alarmOf(alarms, trigger, "Throttles")).toMatchObject({
        Namespace: "AWS/Lambda",
        MetricName: "Throttles",
        Dimensions: dimensionOf(trigger),
        Statistic: "Sum",
        Period: 60,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        TreatMissingData: "notBreaching",
      });
    }
  });

  it("alarm on one invocation that ran to its timeout: Duration maximum >= timeout - 100 ms", () => {
    for (const trigger of TRIGGER_NAMES) {
      expect(alarmOf(alarms, trigger, "Timeouts")).toMatchObject({
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        Dimensions: dimensionOf(trigger),
        Statistic: "Maximum",
        Period: 60,
        Threshold: 4900,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: "notBreaching",
      });
    }
  });

  it("alarm on errors the handler did not count as refusals, for 3 of 3 five-minute periods", () => {
    for (const trigger of TRIGGER_NAMES) {
      const alarm = alarmOf(alarms, trigger, "UnexplainedErrors");
      expect(alarm).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: "notBreaching",
      });
      const queries = alarm.Metrics as MetricDataQuery[];
      const refusals = ["unexpectedErrors", "malformedEvents", "configRefusals", ...OWN_REFUSALS[trigger]];
      const result = queries.find((query) => query.Expression);
      expect(result?.Expression, trigger).toBe(
        `errors - 1.01 * (${refusals.map((id) => `FILL(${id}, 0)`).join(" + ")})`,
      );
      const stats = Object.fromEntries(
        queries.flatMap((query) => (query.MetricStat ? [[query.Id, query.MetricStat]] : [])),
      );
      expect(Object.keys(stats).sort(), trigger).toEqual(["errors", ...refusals].sort());
      expect(stats.errors?.Metric).toEqual({
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: dimensionOf(trigger),
      });
      for (const id of refusals) {
        expect(stats[id]?.Metric, `${trigger} ${id}`).toEqual({
          Namespace: "CognitoTriggerSuite",
          MetricName: id.charAt(0).toUpperCase() + id.slice(1),
          Dimensions: dimensionOf(trigger),
        });
      }
      for (const stat of Object.values(stats)) expect(stat).toMatchObject({ Period: 300, Stat: "Sum" });
    }
  });

  it("alarm on a p99 over 3 s in 2 of 3 quarter hours, counting only quarter hours with 100 invocations", () => {
    for (const trigger of TRIGGER_NAMES) {
      const alarm = alarmOf(alarms, trigger, "SlowAnswers");
      expect(alarm).toMatchObject({
        Threshold: 3000,
        ComparisonOperator: "GreaterThanThreshold",
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: "notBreaching",
      });
      const queries = alarm.Metrics as MetricDataQuery[];
      expect(queries.find((query) => query.Expression)?.Expression).toBe("IF(invocations >= 100, p99, 0)");
      const stat = (id: string) => queries.find((query) => query.Id === id)?.MetricStat;
      expect(stat("invocations")).toEqual({
        Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: dimensionOf(trigger) },
        Period: 900,
        Stat: "Sum",
      });
      expect(stat("p99")).toEqual({
        Metric: { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: dimensionOf(trigger) },
        Period: 900,
        Stat: "p99",
      });
    }
  });

  it("alarm on one audit record sent to the log, on the triggers that write audit records only", () => {
    for (const trigger of TRIGGER_NAMES) {
      const alarm = alarms.get(`${functionName(trigger)}-AuditFallbacks`);
      if (!AUDIT_WRITERS.includes(trigger)) {
        expect(alarm, trigger).toBeUndefined();
        continue;
      }
      expect(alarm, trigger).toMatchObject({
        Namespace: "CognitoTriggerSuite",
        MetricName: "AuditFallbacks",
        Dimensions: dimensionOf(trigger),
        Statistic: "Sum",
        Period: 300,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        TreatMissingData: "notBreaching",
      });
    }
    const count = (trigger: TriggerName) =>
      [...alarms.keys()].filter((name) => name.startsWith(`${functionName(trigger)}-`)).length;
    for (const trigger of TRIGGER_NAMES) {
      const expected =
        6 + (AUDIT_WRITERS.includes(trigger) ? 1 : 0) + (ASYNCHRONOUS.includes(trigger) ? 1 : 0);
      expect(count(trigger), trigger).toBe(expected);
    }
  });

  it("alarm on one event Lambda dropped in a minute, on the asynchronously invoked custom senders only", () => {
    for (const trigger of TRIGGER_NAMES) {
      const alarm = alarms.get(`${functionName(trigger)}-DroppedMessages`);
      if (!ASYNCHRONOUS.includes(trigger)) {
        expect(alarm, trigger).toBeUndefined();
        continue;
      }
      expect(alarm, trigger).toMatchObject({
        Namespace: "AWS/Lambda",
        MetricName: "AsyncEventsDropped",
        Dimensions: dimensionOf(trigger),
        Statistic: "Sum",
        Period: 60,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        TreatMissingData: "notBreaching",
      });
      expect(alarm?.AlarmDescription).toContain("after 1 retry or for being older than 3 minutes");
    }
  });

  it("say what a failure means: an error a user saw, or for a custom sender a message late or never delivered", () => {
    for (const trigger of TRIGGER_NAMES) {
      const timeouts = alarmOf(alarms, trigger, "Timeouts").AlarmDescription;
      const throttles = alarmOf(alarms, trigger, "Throttles").AlarmDescription;
      if (ASYNCHRONOUS.includes(trigger)) {
        expect(timeouts, trigger).toContain("that attempt delivered no message (Lambda retries it once)");
        expect(throttles, trigger).toContain("Lambda keeps their events and retries them");
        expect(`${timeouts}${throttles}`, trigger).not.toContain("saw an error");
      } else {
        expect(timeouts, trigger).toContain("Cognito had given up and the user saw an error");
        expect(throttles, trigger).toContain("each was a user who saw an error");
      }
    }
  });

  it("say what each alarm means and what to do, within CloudWatch's 1024 characters", () => {
    for (const [name, alarm] of alarms) {
      const trigger = TRIGGER_NAMES.find((t) => name.startsWith(`${functionName(t)}-`));
      expect(alarm.AlarmDescription, name).toContain(
        `Cognito ${trigger} trigger (${functionName(trigger as TriggerName)})`,
      );
      expect(alarm.AlarmDescription, name).toContain("Do: ");
      expect(alarm.AlarmDescription.length, name).toBeLessThanOrEqual(1024);
    }
  });

  it("notify the imported topic on ALARM and on OK", () => {
    for (const [name, alarm] of alarms) {
      expect(alarm.AlarmActions, name).toEqual([IMPORTED_TOPIC_ARN]);
      expect(alarm.OKActions, name).toEqual([IMPORTED_TOPIC_ARN]);
    }
  });
});

describe("TriggerAlarms", () => {
  it("notify an AlarmTopic of the app on ALARM and on OK", () => {
    const stack = monitoringStack();
    const topic = new AlarmTopic(stack, "AlarmTopic", { email: "ops@example.com" }).topic;
    new TriggerAlarms(stack, "Alarms", {
      trigger: "pre-sign-up",
      function: importedFunctions(stack)["pre-sign-up"],
      topic,
    });
    const template = Template.fromStack(stack);
    const [topicId] = Object.keys(template.findResources("AWS::SNS::Topic"));
    const alarms = alarmsByName(template);
    expect(alarms.size).toBe(7);
    for (const [name, alarm] of alarms) {
      expect(alarm.AlarmActions, name).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, name).toEqual([{ Ref: topicId }]);
    }
  });

  it("have no actions without a topic, and say why to the Control Tower rule that wants one", () => {
    const alarms = alarmsStack(() => undefined);
    for (const [name, alarm] of alarms) {
      expect(alarm.AlarmActions, name).toBeUndefined();
      expect(alarm.OKActions, name).toBeUndefined();
    }
    const acknowledged = (withTopic: boolean) => {
      const stack = monitoringStack();
      const set = new TriggerAlarms(stack, "Alarms", {
        trigger: "custom-message",
        function: importedFunctions(stack)["custom-message"],
        topic: withTopic ? sns.Topic.fromTopicArn(stack, "Ops", IMPORTED_TOPIC_ARN) : undefined,
      });
      return set.alarms.map((alarm) =>
        alarm.node.metadata
          .filter((entry) => entry.type === "aws:cdk:acknowledged-rules")
          .flatMap((entry) => Object.keys(entry.data as Record<string, string>)),
      );
    };
    for (const rules of acknowledged(false)) {
      expect(rules.map((rule) => rule.replace(/^Annotation::/, ""))).toEqual([
        "cdk-validator-cfnguard::cloudwatch_alarm_action_check",
      ]);
    }
    for (const rules of acknowledged(true)) expect(rules).toEqual([]);
  });

  it("take the timeout from a lambda.Function, and 5 s (Cognito's limit) for an imported one", () => {
    const stack = monitoringStack();
    new TriggerAlarms(stack, "Real", {
      trigger: "custom-message",
      function: realFunction(stack, "real-custom-message", Duration.seconds(4)),
    });
    new TriggerAlarms(stack, "Imported", {
      trigger: "custom-message",
      function: importedFunctions(stack)["custom-message"],
    });
    const template = Template.fromStack(stack);
    const [realId] = Object.keys(template.findResources("AWS::Lambda::Function"));
    const timeoutAlarms = Object.values(template.findResources("AWS::CloudWatch::Alarm"))
      .map((resource) => resource.Properties as AlarmProps)
      .filter((alarm) => alarm.MetricName === "Duration" && alarm.Statistic === "Maximum");
    const thresholdFor = (value: unknown) =>
      timeoutAlarms.find((alarm) => JSON.stringify(alarm.Dimensions?.[0]?.Value) === JSON.stringify(value))
        ?.Threshold;
    expect(timeoutAlarms).toHaveLength(2);
    expect(thresholdFor({ Ref: realId })).toBe(3900);
    expect(thresholdFor(functionName("custom-message"))).toBe(4900);
  });

  it("take a slow-answer threshold and traffic guard, and refuse a threshold the timeout alarm would cover", () => {
    const stack = monitoringStack();
    const fn = importedFunctions(stack)["pre-token-generation"];
    new TriggerAlarms(stack, "Tuned", {
      trigger: "pre-token-generation",
      function: fn,
      slowAnswerThreshold: Duration.seconds(2),
      slowAnswerMinInvocations: 500,
    });
    const alarm = alarmsByName(Template.fromStack(stack)).get(
      `${functionName("pre-token-generation")}-SlowAnswers`,
    );
    expect(alarm?.Threshold).toBe(2000);
    expect(alarm?.Metrics?.find((query) => query.Expression)?.Expression).toBe(
      "IF(invocations >= 500, p99, 0)",
    );

    expect(
      () =>
        new TriggerAlarms(stack, "TooSlow", {
          trigger: "pre-token-generation",
          function: fn,
          timeout: Duration.seconds(3),
        }),
    ).toThrow(/must be longer than the slow-answer threshold/);
    expect(
      () =>
        new TriggerAlarms(stack, "NoGuard", {
          trigger: "pre-token-generation",
          function: fn,
          slowAnswerMinInvocations: 0,
        }),
    ).toThrow(/slowAnswerMinInvocations/);
  });
});
