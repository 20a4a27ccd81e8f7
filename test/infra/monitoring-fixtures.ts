/**
 * Small stacks for the monitoring constructs (alarms, alarm topic, dashboard): the seven trigger
 * functions imported by ARN (named `suite-<trigger>`), so that the template holds literal names and nothing
 * but what the construct under test creates.
 */
import { Duration, Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import { testApp } from "./synth.ts";

export const TRIGGER_NAMES = Object.keys(TRIGGERS) as TriggerName[];

export const functionName = (trigger: TriggerName) => `suite-${trigger}`;

export function monitoringStack(name = "MonitoringUnderTest"): Stack {
  return new Stack(testApp({ bundle: false }), name);
}

export function importedFunctions(stack: Stack): Record<TriggerName, lambda.IFunction> {
  return Object.fromEntries(
    TRIGGER_NAMES.map((trigger) => [
      trigger,
      lambda.Function.fromFunctionAttributes(stack, `Imported-${trigger}`, {
        functionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName(trigger)}`,
        sameEnvironment: true,
      }),
    ]),
  ) as Record<TriggerName, lambda.IFunction>;
}

/** A real function (for what only a lambda.Function has, e.g. its timeout). */
export function realFunction(
  stack: Stack,
  id: string,
  timeout: Duration = Duration.seconds(5),
): lambda.Function {
  return new lambda.Function(stack, id, {
    functionName: id,
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: lambda.Code.fromInline("exports.handler = async (event) => event;"),
    timeout,
  });
}

export interface AlarmProps {
  AlarmName: string;
  AlarmDescription: string;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: MetricDataQuery[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
}

export interface MetricDataQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
    Period: number;
    Stat: string;
  };
}

/** The alarms of a template by name. */
export function alarmsByName(template: Template): Map<string, AlarmProps> {
  return new Map(
    Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((resource) => {
      const props = resource.Properties as AlarmProps;
      return [props.AlarmName, props];
    }),
  );
}
