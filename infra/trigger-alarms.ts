/**
 * Alarms for one trigger function that page only on faults. A refusal (a denied sign-up, an IP denial,
 * a wrong legacy password) is a thrown error, so Lambda's `Errors` counts it: that is the suite doing its
 * job, and no alarm here watches `Errors` alone. Instead:
 *
 * - UnexpectedErrors, ConfigRefusals (the suite's own metrics, triggers/lib/metrics.ts): should never
 *   happen, so one in a minute alarms.
 * - Throttles: each throttled invocation is a user who saw an error; one alarms.
 * - Timeouts: a timed-out invocation never gets back to the handler's code, so nothing counts it but
 *   Lambda. Its `Duration` is then the function's timeout, so a maximum of at least the timeout minus a
 *   small margin means one (Lambda's metrics only: nothing to line up with another source).
 * - UnexplainedErrors: Lambda `Errors` minus the refusals the handler counted (suite-metrics.ts), i.e.
 *   runtime crashes, running out of memory, failed cold starts (and timeouts, alarmed on their own
 *   above). Two sources are compared here, and they do not line up exactly:
 *   1. they arrive at different times: the EMF metrics come through CloudWatch Logs, Lambda's directly,
 *      and CloudWatch evaluates an alarm every minute on whatever has arrived, the current unfinished
 *      period included. Until the EMF of a refusal is in, that refusal looks unexplained. This touches
 *      only the newest datapoints (the current period and, just after a boundary, the one before), so
 *      3 of 3 five-minute datapoints must breach: the oldest of them has settled (unless the EMF trails
 *      by more than five minutes).
 *   2. they are timestamped differently: Lambda's `Errors` "reflects when the function was invoked, not
 *      when the error occurred" (Lambda Developer Guide, "Types of metrics for Lambda functions"); an
 *      EMF line when it was written. A refusal that starts just before a period boundary and is counted
 *      just after it is one error too many in the first period and one too few in the next. So 1% of the
 *      refusals of a period is allowed on top before an error counts as unexplained: a lone such error
 *      never alarms in a period that had refusals, however many there were.
 *   What pages is therefore a fault that keeps happening for 15 minutes; an isolated crash does not (it
 *   shows on the dashboard). FILL(…, 0): an EMF metric has no datapoint when nothing was counted.
 * - SlowAnswers: the handlers answer within about 3 s; Cognito gives up at 5 s. A p99 of one quiet
 *   5-minute period is its maximum in disguise (one cold start is enough), so: p99 over 15 minutes, only
 *   when that quarter hour had at least 100 invocations (p99 is then an answer slower than ~99 others,
 *   not the slowest of a handful), above 3 s in 2 of 3 quarter hours. With fewer invocations the value
 *   is 0 and the alarm stays OK. CloudWatch's own guard for percentile alarms
 *   (EvaluateLowSampleCountPercentile: ignore) needs 10/(1-0.99) = 1000 samples per period for a p99 and
 *   then keeps whatever state the alarm was in ("Percentile-based alarms and low data samples",
 *   CloudWatch User Guide), so a plain metric-math guard is used instead.
 * - AuditFallbacks (functions that write audit records): a record that went to the audit_fallback log
 *   line instead of the table. Under AUDIT_FAILURE_MODE=open nothing else shows it, so one alarms.
 *
 * - DroppedMessages (the custom senders, which Cognito invokes asynchronously: asynchronous-triggers.ts):
 *   Lambda's AsyncEventsDropped, events Lambda gave up on after their retry or for being older than
 *   three minutes. Each is a message (a code) a user never got, and nothing else reports it: Cognito
 *   told the user the code was sent. One alarms. The other alarms watch the senders too, each saying
 *   what it means there: an error or a timeout is an attempt Lambda retries, not an error a user saw.
 *
 * Every metric that is missing means "no traffic" or "nothing happened": missing data is not breaching.
 */
import { CfnResource, Duration, Stack, Token } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { TriggerName } from "../triggers/lib/events.ts";
import { CUSTOM_SENDER_RETRIES, isInvokedAsynchronously } from "./asynchronous-triggers.ts";
import { POLICY_ACKNOWLEDGMENTS, PolicyAcknowledgments } from "./policy-acknowledgments.ts";
import { METRIC, refusalMetricsOf, suiteMetric, writesAuditRecords } from "./suite-metrics.ts";
import { COGNITO_TRIGGER_BUDGET } from "./trigger-function.ts";

/** The handlers are built to answer within about 3 s (Cognito gives up at 5 s). */
export const DURATION_ALARM_THRESHOLD = Duration.seconds(3);

/** UnexpectedErrors, ConfigRefusals, Throttles, Timeouts: one datapoint of one minute. */
export const FAULT_PERIOD = Duration.minutes(1);

/** A timed-out invocation reports a Duration of its timeout; this covers rounding either way. */
export const TIMEOUT_MARGIN = Duration.millis(100);

export const UNEXPLAINED_ERRORS = {
  period: Duration.minutes(5),
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  /** Errors allowed on top of the refusals counted, as a share of them (the timestamp skew). */
  skewAllowance: 0.01,
} as const;

export const SLOW_ANSWERS = {
  period: Duration.minutes(15),
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  minInvocations: 100,
} as const;

export const AUDIT_FALLBACK_PERIOD = Duration.minutes(5);

export interface TriggerAlarmsProps {
  /** Which trigger the function is: it decides which of the suite's metrics apply. */
  readonly trigger: TriggerName;
  readonly function: lambda.IFunction;
  /**
   * Where the alarms notify, on ALARM and on OK. A topic of this app or an imported one
   * (`Topic.fromTopicArn`); its policy must let CloudWatch publish (AlarmTopic does).
   * @default - alarms without actions (visible in the console and on the dashboard only)
   */
  readonly topic?: sns.ITopic;
  /**
   * The function's timeout, for the Timeouts alarm.
   * @default - the Timeout of the function's CloudFormation resource when it is a function of this app
   * that sets one, otherwise 5 s (Cognito's limit)
   */
  readonly timeout?: Duration;
  /** @default DURATION_ALARM_THRESHOLD (3 s) */
  readonly slowAnswerThreshold?: Duration;
  /**
   * Invocations a quarter hour needs before its p99 duration counts.
   * @default SLOW_ANSWERS.minInvocations (100)
   */
  readonly slowAnswerMinInvocations?: number;
  /**
   * Makes and records the acknowledgment of alarms without actions (policy-acknowledgments.ts).
   * @default - a PolicyAcknowledgments of its own, enabled
   */
  readonly acknowledgments?: PolicyAcknowledgments;
}

export class TriggerAlarms extends Construct {
  readonly unexpectedErrors: cloudwatch.Alarm;
  readonly configRefusals: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly timeouts: cloudwatch.Alarm;
  readonly unexplainedErrors: cloudwatch.Alarm;
  readonly slowAnswers: cloudwatch.Alarm;
  /** Only for a trigger that writes audit records. */
  readonly auditFallbacks: cloudwatch.Alarm | undefined;
  /** Only for a trigger Cognito invokes asynchronously (the custom senders). */
  readonly droppedMessages: cloudwatch.Alarm | undefined;
  /** Every alarm above. */
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: TriggerAlarmsProps) {
    super(scope, id);
    const { trigger, function: fn } = props;
    const timeout = props.timeout ?? functionTimeout(fn) ?? COGNITO_TRIGGER_BUDGET;
    const timeoutThreshold = timeout.toMilliseconds() - TIMEOUT_MARGIN.toMilliseconds();
    const slowThreshold = (props.slowAnswerThreshold ?? DURATION_ALARM_THRESHOLD).toMilliseconds();
    const minInvocations = props.slowAnswerMinInvocations ?? SLOW_ANSWERS.minInvocations;
    if (timeoutThreshold <= slowThreshold) {
      throw new Error(
        `${this.node.path}: the timeout (${timeout.toHumanString()}) must be longer than the slow-answer threshold plus ${TIMEOUT_MARGIN.toMilliseconds()} ms`,
      );
    }
    if (!Number.isInteger(minInvocations) || minInvocations < 1) {
      throw new Error(`${this.node.path}: slowAnswerMinInvocations must be a whole number of at least 1`);
    }

    const who = `Cognito ${trigger} trigger (${fn.functionName})`;
    const words = isInvokedAsynchronously(trigger) ? ASYNCHRONOUS_WORDING : SYNCHRONOUS_WORDING;
    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      options: {
        threshold: number;
        comparisonOperator?: cloudwatch.ComparisonOperator;
        evaluationPeriods?: number;
        datapointsToAlarm?: number;
        description: string;
      },
    ) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${fn.functionName}-${alarmId}`,
        alarmDescription: `${who}: ${options.description}`,
        metric,
        threshold: options.threshold,
        comparisonOperator:
          options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    this.unexpectedErrors = alarm(
      "UnexpectedErrors",
      suiteMetric(METRIC.UnexpectedErrors, fn, { period: FAULT_PERIOD }),
      {
        threshold: 1,
        description: `the handler failed on an error it does not expect and ${words.unexpected}. This should never happen. Do: in Logs Insights on the function's log group, \`filter message.msg = "unexpected error"\` shows the error and its stack; fix the cause (a bug, a missing permission, an AWS outage) and redeploy. Refusals are not counted here.`,
      },
    );
    this.configRefusals = alarm(
      "ConfigRefusals",
      suiteMetric(METRIC.ConfigRefusals, fn, { period: FAULT_PERIOD }),
      {
        threshold: 1,
        description: `its configuration is invalid, so it refuses every request (fail closed): ${words.refusesAll}. Do: the function's log has one line "configuration invalid: refusing every request" naming the key and what is wrong with it; correct that setting in the deployment configuration and redeploy.`,
      },
    );
    this.throttles = alarm("Throttles", fn.metricThrottles({ period: FAULT_PERIOD, statistic: "Sum" }), {
      threshold: 1,
      description: `Lambda throttled invocations${words.throttled}. Do: check the account's concurrency (ConcurrentExecutions against the Lambda quota) and the function's reserved concurrency (reservedConcurrentExecutions); raise the one that ran out.`,
    });
    this.timeouts = alarm("Timeouts", fn.metricDuration({ period: FAULT_PERIOD, statistic: "Maximum" }), {
      threshold: timeoutThreshold,
      description: `an invocation ran to its ${timeout.toHumanString()} timeout (Duration maximum >= ${timeoutThreshold} ms): ${words.timedOut}, and the handler never got to count it. Do: in the function's log, find the requests that did not finish and what they waited on (${words.dependencies}); check those services and their throttling, and the function's memory (a cold start of user migration hashes passwords).`,
    });
    this.unexplainedErrors = alarm("UnexplainedErrors", unexplainedErrors(trigger, fn), {
      threshold: 1,
      evaluationPeriods: UNEXPLAINED_ERRORS.evaluationPeriods,
      datapointsToAlarm: UNEXPLAINED_ERRORS.datapointsToAlarm,
      description: `for 15 minutes, Lambda counted errors that the handler did not count as refusals: crashes of the runtime, running out of memory, failed cold starts or timeouts. ${words.unexplained} Do: in the function's log, look for errors of the Lambda runtime (Runtime.*, out of memory, init errors) rather than the handler's lines; a failed cold start after a deploy means the bundle or its configuration is broken: roll back.`,
    });
    this.slowAnswers = alarm("SlowAnswers", slowAnswers(fn, minInvocations), {
      threshold: slowThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: SLOW_ANSWERS.evaluationPeriods,
      datapointsToAlarm: SLOW_ANSWERS.datapointsToAlarm,
      description: `its p99 duration was over ${slowThreshold} ms in 2 of the last 3 quarter hours that had at least ${minInvocations} invocations each: ${words.slow}. Do: look at the latency and throttling of the AWS calls it makes (${words.calls}), at cold starts and at the function's memory.`,
    });
    this.auditFallbacks = writesAuditRecords(trigger)
      ? alarm("AuditFallbacks", suiteMetric(METRIC.AuditFallbacks, fn, { period: AUDIT_FALLBACK_PERIOD }), {
          threshold: 1,
          description:
            'audit records could not be written to the audit table and went to the function\'s log instead (under auditFailureMode "open" the user got through regardless). Do: find them in Logs Insights with `filter message.msg = "audit_fallback"` (message.cause says why), fix the table or the permission, and put the records back into the table from those lines.',
        })
      : undefined;

    this.droppedMessages = isInvokedAsynchronously(trigger)
      ? alarm(
          "DroppedMessages",
          fn.metric("AsyncEventsDropped", { period: FAULT_PERIOD, statistic: cloudwatch.Stats.SUM }),
          {
            threshold: 1,
            description: `Lambda dropped events Cognito had handed the function, after ${CUSTOM_SENDER_RETRIES.retryAttempts} retry or for being older than ${CUSTOM_SENDER_RETRIES.maxEventAge.toHumanString()}: each is a message with a code that a user never got, while Cognito told them it was sent. Do: the function's other alarms and its log say why the attempts failed (timeouts, crashes, throttles, KMS refusing to decrypt); fix that. The user must ask for a new code.`,
          },
        )
      : undefined;

    this.alarms = [
      this.unexpectedErrors,
      this.configRefusals,
      this.throttles,
      this.timeouts,
      this.unexplainedErrors,
      this.slowAnswers,
      ...(this.auditFallbacks ? [this.auditFallbacks] : []),
      ...(this.droppedMessages ? [this.droppedMessages] : []),
    ];

    if (props.topic) {
      const action = new actions.SnsAction(props.topic);
      for (const each of this.alarms) {
        each.addAlarmAction(action);
        each.addOkAction(action);
      }
    } else {
      const acknowledgments = props.acknowledgments ?? new PolicyAcknowledgments();
      for (const each of this.alarms) {
        acknowledgments.acknowledge(each, POLICY_ACKNOWLEDGMENTS.alarmWithoutAction);
      }
    }
  }
}

/** What an alarm means for the user, by how Cognito invokes the trigger (see the file comment). */
interface Wording {
  readonly unexpected: string;
  readonly refusesAll: string;
  readonly throttled: string;
  readonly timedOut: string;
  readonly unexplained: string;
  readonly slow: string;
  /** What an unfinished request may have waited on. */
  readonly dependencies: string;
  /** The AWS calls it makes. */
  readonly calls: string;
}

/** Cognito waits for the answer: every failure is an error a user sees. */
const SYNCHRONOUS_WORDING: Wording = {
  unexpected: "answered with the generic message, so a user could not sign up or sign in",
  refusesAll: "nobody can get through this trigger",
  throttled: ", and each was a user who saw an error",
  timedOut: "Cognito had given up and the user saw an error",
  unexplained: "Users saw errors.",
  slow: "at least 1 in 100 users waits that long, and Cognito gives up at 5 s",
  dependencies: "the audit table, the legacy users table, SES",
  calls: "DynamoDB, SES",
};

/** Cognito does not wait (the custom senders): a failure is a message late or never delivered. */
const ASYNCHRONOUS_WORDING: Wording = {
  unexpected: "did not deliver a message (Lambda retries it once, then drops it)",
  refusesAll: "no message of this channel reaches its user",
  throttled:
    ": Lambda keeps their events and retries them, but drops those older than the codes they carry are good for (DroppedMessages)",
  timedOut: "that attempt delivered no message (Lambda retries it once)",
  unexplained: "Messages were retried late or dropped.",
  slow: "at least 1 in 100 users waits that long for their code on top of Cognito's own delay",
  dependencies: "KMS, SES or SNS, the audit table",
  calls: "KMS, SES or SNS, DynamoDB",
};

/**
 * The Timeout of the function's own CloudFormation resource, for a function of this app. Read from the
 * resource rather than by `instanceof lambda.Function`, which fails for a function made with another
 * copy of aws-cdk-lib than this one (a consumer's app may install its own beside the suite's).
 */
function functionTimeout(fn: lambda.IFunction): Duration | undefined {
  const resource = fn.node.defaultChild;
  if (
    !resource ||
    !CfnResource.isCfnResource(resource) ||
    resource.cfnResourceType !== "AWS::Lambda::Function"
  ) {
    return undefined;
  }
  const seconds = Stack.of(fn).resolve((resource as lambda.CfnFunction).timeout);
  return typeof seconds === "number" && !Token.isUnresolved(seconds) ? Duration.seconds(seconds) : undefined;
}

/** Lambda Errors minus the refusals the handler counted, less the skew allowance (see the file comment). */
function unexplainedErrors(trigger: TriggerName, fn: lambda.IFunction): cloudwatch.MathExpression {
  const { period, skewAllowance } = UNEXPLAINED_ERRORS;
  const usingMetrics: Record<string, cloudwatch.IMetric> = {
    errors: fn.metricErrors({ period, statistic: "Sum" }),
  };
  const refusals = refusalMetricsOf(trigger).map((name) => {
    const id = name.charAt(0).toLowerCase() + name.slice(1);
    usingMetrics[id] = suiteMetric(name, fn, { period });
    return `FILL(${id}, 0)`;
  });
  return new cloudwatch.MathExpression({
    expression: `errors - ${1 + skewAllowance} * (${refusals.join(" + ")})`,
    usingMetrics,
    period,
    label: "Errors the handler did not count as refusals",
  });
}

/** p99 duration, or 0 for a period with too few invocations for a p99 to mean anything. */
function slowAnswers(fn: lambda.IFunction, minInvocations: number): cloudwatch.MathExpression {
  const { period } = SLOW_ANSWERS;
  return new cloudwatch.MathExpression({
    expression: `IF(invocations >= ${minInvocations}, p99, 0)`,
    usingMetrics: {
      invocations: fn.metricInvocations({ period, statistic: "Sum" }),
      p99: fn.metricDuration({ period, statistic: "p99" }),
    },
    period,
    label: `p99 duration (ms) of quarter hours with at least ${minInvocations} invocations`,
  });
}
