/**
 * The suite's own metrics (triggers/lib/metrics.ts: Embedded Metric Format, namespace
 * CognitoTriggerSuite, dimension FunctionName, the denials also FunctionName+Reason) as CloudWatch
 * metrics for the alarms and the dashboard, and which trigger counts what. The names come from
 * metrics.ts itself, so the emitter and what reads its metrics cannot drift apart.
 */
import type { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { TriggerName } from "../triggers/lib/events.ts";
import {
  DENIAL_REASONS,
  type DenialMetric,
  METRIC,
  METRICS_NAMESPACE,
  type MetricName,
} from "../triggers/lib/metrics.ts";
import { handlerKeys } from "./handler-config.ts";

export { METRIC, METRICS_NAMESPACE, type MetricName };

export const FUNCTION_NAME_DIMENSION = "FunctionName";
export const REASON_DIMENSION = "Reason";

/** Counted by the runtime every handler is built with (define-trigger.ts), so by every function. */
const RUNTIME_METRICS: readonly MetricName[] = [
  METRIC.UnexpectedErrors,
  METRIC.MalformedEvents,
  METRIC.ConfigRefusals,
];

/** What each trigger counts besides the runtime's metrics and AuditFallbacks. */
const OWN_METRICS: Readonly<Record<TriggerName, readonly MetricName[]>> = {
  "pre-sign-up": [METRIC.SignUpDenied],
  "custom-message": [],
  "pre-authentication": [METRIC.SignInDenied],
  "post-authentication": [METRIC.SignIns],
  "post-confirmation": [METRIC.WelcomeEmailsSent, METRIC.WelcomeEmailsFailed],
  "pre-token-generation": [],
  "user-migration": [METRIC.Migrations, METRIC.SignInDenied],
  "inbound-federation": [METRIC.FederationDenied],
  "custom-email-sender": [METRIC.MessagesSent, METRIC.MessagesFailed],
  "custom-sms-sender": [METRIC.MessagesSent, METRIC.MessagesFailed],
};

/**
 * The metrics that count an invocation the handler ended with an error on purpose, each such
 * invocation exactly once: the runtime's refusals (invalid configuration, malformed event, unexpected
 * error, all answered with the generic message) and the trigger's own. Lambda counts these invocations
 * in its `Errors` metric too, so `Errors` minus these is what the handler never got to count: a
 * timeout, a crash of the runtime, running out of memory, a failed cold start.
 * - Post authentication throws only when an audit write failed under AUDIT_FAILURE_MODE=closed, and
 *   always counts that one AuditFallbacks first. (Under `open` an AuditFallbacks ends in no error; it
 *   can then hide an unexplained error of the same minutes, while its own alarm is paging anyway.)
 * - Elsewhere AuditFallbacks comes on top of a refusal already counted (pre sign-up, pre
 *   authentication, user migration, inbound federation, the custom senders) or of no error at all
 *   (post confirmation never fails the user), so it does not explain an error there.
 * - The custom senders count every message they could not deliver (MessagesFailed), and end the
 *   invocation with an error exactly when another attempt may succeed (a throttled or failing service:
 *   the error is what makes Lambda retry). So MessagesFailed explains their errors; a failure no retry
 *   cures (no address, a refused recipient) ends without one and can hide an unexplained error of the
 *   same minutes, as AuditFallbacks can for post authentication.
 */
const REFUSAL_METRICS: Readonly<Record<TriggerName, readonly MetricName[]>> = {
  "pre-sign-up": [METRIC.SignUpDenied],
  "custom-message": [],
  "pre-authentication": [METRIC.SignInDenied],
  "post-authentication": [METRIC.AuditFallbacks],
  "post-confirmation": [],
  "pre-token-generation": [],
  "user-migration": [METRIC.SignInDenied],
  "inbound-federation": [METRIC.FederationDenied],
  "custom-email-sender": [METRIC.MessagesFailed],
  "custom-sms-sender": [METRIC.MessagesFailed],
};

/** Whether the trigger writes audit records (and so may count AuditFallbacks): read from its config spec. */
export function writesAuditRecords(trigger: TriggerName): boolean {
  return handlerKeys(trigger).includes("AUDIT_TABLE_NAME");
}

/** Every metric the trigger's function counts. */
export function metricsOf(trigger: TriggerName): MetricName[] {
  return [
    ...OWN_METRICS[trigger],
    ...(writesAuditRecords(trigger) ? [METRIC.AuditFallbacks] : []),
    ...RUNTIME_METRICS,
  ];
}

/** The metrics that explain the function's Lambda `Errors` (see REFUSAL_METRICS). */
export function refusalMetricsOf(trigger: TriggerName): MetricName[] {
  return [...RUNTIME_METRICS, ...REFUSAL_METRICS[trigger]];
}

/** The denial metrics the trigger counts (they also carry a Reason). */
export function denialMetricsOf(trigger: TriggerName): DenialMetric[] {
  return metricsOf(trigger).filter((name): name is DenialMetric => name in DENIAL_REASONS);
}

export interface SuiteMetricOptions {
  readonly period: Duration;
  /** @default "Sum" (every suite metric is a count of 1 per event) */
  readonly statistic?: string;
  /** @default - the metric's name */
  readonly label?: string;
}

/** One suite metric of one function, in total (dimension FunctionName only). */
export function suiteMetric(
  name: MetricName,
  fn: lambda.IFunction,
  options: SuiteMetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { [FUNCTION_NAME_DIMENSION]: fn.functionName },
    statistic: options.statistic ?? cloudwatch.Stats.SUM,
    period: options.period,
    label: options.label,
  });
}

/**
 * A denial metric of the given functions by Reason: a SEARCH over the FunctionName+Reason dimension set,
 * so that a reason the handlers add later appears on its own, with no change here. Graphs only (an
 * alarm cannot use SEARCH).
 */
export function denialsByReason(
  name: DenialMetric,
  functions: readonly lambda.IFunction[],
  period: Duration,
): cloudwatch.SearchExpression {
  const names = functions.map((fn) => `${FUNCTION_NAME_DIMENSION}="${fn.functionName}"`).join(" OR ");
  return new cloudwatch.SearchExpression({
    expression:
      `SEARCH('{${METRICS_NAMESPACE},${FUNCTION_NAME_DIMENSION},${REASON_DIMENSION}} ` +
      `MetricName="${name}" (${names})', 'Sum', ${period.toSeconds()})`,
    // Each line is then named by its dimension values: the function and the reason.
    label: "",
    period,
  });
}
