/**
 * A CloudWatch dashboard of the suite's functions: what the suite did (sign-ins, migrations, welcome
 * emails, the custom senders' messages), what it refused (sign-up, sign-in and federated sign-in
 * denials, in total and by reason), what should stay at zero (unexpected errors, configuration
 * refusals, audit fallbacks, malformed events, messages Lambda dropped), and each function's Lambda
 * invocations, errors, throttles and p99 duration.
 *
 * Denials by reason are a SEARCH over the FunctionName+Reason dimension set, so a reason the handlers
 * add later appears without a change here. Graphs of the suite's own metrics show only the triggers
 * that count them (suite-metrics.ts); a trigger left out of `functions` is left off everywhere.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";
import { isInvokedAsynchronously } from "./asynchronous-triggers.ts";
import { denialsByReason, METRIC, type MetricName, metricsOf, suiteMetric } from "./suite-metrics.ts";
import { DURATION_ALARM_THRESHOLD } from "./trigger-alarms.ts";
import { COGNITO_TRIGGER_BUDGET } from "./trigger-function.ts";

export interface SuiteDashboardProps {
  /** The suite's functions by trigger (CognitoTriggerSuite.functions); a trigger left out is not shown. */
  readonly functions: Partial<Record<TriggerName, lambda.IFunction>>;
  /**
   * Letters, digits, "-" and "_" only.
   * @default - "<stack name>-cognito-triggers"
   */
  readonly dashboardName?: string;
  /**
   * Alarms shown in a status grid at the top (e.g. every TriggerAlarms' `alarms`).
   * @default - no alarm grid
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
}

const FULL_WIDTH = 24;
const HEIGHT = 6;

const DENIAL_GRAPHS = [
  [METRIC.SignUpDenied, "Sign-up denials"],
  [METRIC.SignInDenied, "Sign-in denials"],
  [METRIC.FederationDenied, "Federated sign-in denials"],
] as const;

export class SuiteDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SuiteDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const functions = (Object.keys(TRIGGERS) as TriggerName[]).flatMap((trigger) => {
      const fn = props.functions[trigger];
      return fn ? [{ trigger, fn }] : [];
    });
    if (functions.length === 0) throw new Error(`${this.node.path}: no functions to show`);

    /** One line per function that counts the metric, labelled with its trigger. */
    const perFunction = (name: MetricName, label: (trigger: TriggerName) => string = (trigger) => trigger) =>
      functions
        .filter(({ trigger }) => metricsOf(trigger).includes(name))
        .map(({ trigger, fn }) => suiteMetric(name, fn, { period, label: label(trigger) }));
    const emitting = (name: MetricName) =>
      functions.filter(({ trigger }) => metricsOf(trigger).includes(name)).map(({ fn }) => fn);
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      width: number,
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ) =>
      new cloudwatch.GraphWidget({
        title,
        left,
        width,
        height: HEIGHT,
        period,
        statistic: "Sum",
        leftYAxis: { min: 0 },
        ...extra,
      });
    /** A row of the graphs that have lines, sharing its width. */
    const row = (...graphs: [string, cloudwatch.IMetric[]][]) => {
      const shown = graphs.filter(([, metrics]) => metrics.length > 0);
      return shown.map(([title, metrics]) => graph(title, metrics, Math.floor(FULL_WIDTH / shown.length)));
    };

    this.dashboard = new cloudwatch.Dashboard(this, "Resource", {
      dashboardName: props.dashboardName ?? `${Stack.of(this).stackName}-cognito-triggers`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          "# Cognito trigger suite",
          "Denials are the suite doing its job (they are in Lambda's Errors too). Unexpected errors, " +
            `configuration refusals, audit fallbacks, malformed events${functions.some(({ trigger }) => isInvokedAsynchronously(trigger)) ? ", throttles and dropped messages" : " and throttles"} ` +
            "should stay at zero.",
        ].join("\n\n"),
        width: FULL_WIDTH,
        height: 2,
      }),
    );
    if (props.alarms && props.alarms.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({
          title: "Alarms",
          alarms: [...props.alarms],
          width: FULL_WIDTH,
          height: HEIGHT,
          sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        }),
      );
    }

    const activity = row(
      ["Sign-ins", perFunction(METRIC.SignIns)],
      ["Migrations from the legacy directory", perFunction(METRIC.Migrations)],
      [
        "Welcome emails",
        [
          ...perFunction(METRIC.WelcomeEmailsSent, () => "sent"),
          ...perFunction(METRIC.WelcomeEmailsFailed, () => "failed"),
        ],
      ],
      [
        "Custom sender messages",
        [
          ...perFunction(METRIC.MessagesSent, (trigger) => `${trigger}: sent`),
          ...perFunction(METRIC.MessagesFailed, (trigger) => `${trigger}: failed`),
        ],
      ],
    );
    const denials = row(
      ...DENIAL_GRAPHS.map(([name, title]): [string, cloudwatch.IMetric[]] => {
        const fns = emitting(name);
        const totals = perFunction(name, (trigger) => `${trigger}: all reasons`);
        return [title, fns.length > 0 ? [...totals, denialsByReason(name, fns, period)] : []];
      }),
    );
    const faults = row(
      [
        "Unexpected errors and configuration refusals (should be 0)",
        [
          ...perFunction(METRIC.UnexpectedErrors, (trigger) => `${trigger}: unexpected`),
          ...perFunction(METRIC.ConfigRefusals, (trigger) => `${trigger}: config refused`),
        ],
      ],
      [
        "Audit records sent to the log instead of the table (should be 0)",
        perFunction(METRIC.AuditFallbacks),
      ],
      ["Malformed events refused (should be 0)", perFunction(METRIC.MalformedEvents)],
      [
        "Messages Lambda dropped, never delivered (should be 0)",
        functions
          .filter(({ trigger }) => isInvokedAsynchronously(trigger))
          .map(({ trigger, fn }) =>
            fn.metric("AsyncEventsDropped", { statistic: "Sum", period, label: trigger }),
          ),
      ],
    );
    const lambdaMetric = (make: (fn: lambda.IFunction) => cloudwatch.Metric) =>
      functions.map(({ trigger, fn }) => make(fn).with({ label: trigger, period }));
    const width = FULL_WIDTH / 4;
    const lambdaRow = [
      graph(
        "Invocations",
        lambdaMetric((fn) => fn.metricInvocations({ statistic: "Sum" })),
        width,
      ),
      graph(
        "Lambda errors (denials included)",
        lambdaMetric((fn) => fn.metricErrors({ statistic: "Sum" })),
        width,
      ),
      graph(
        "Throttles",
        lambdaMetric((fn) => fn.metricThrottles({ statistic: "Sum" })),
        width,
      ),
      graph(
        "Duration p99 (ms)",
        lambdaMetric((fn) => fn.metricDuration({ statistic: "p99" })),
        width,
        {
          statistic: "p99",
          leftAnnotations: [
            { value: DURATION_ALARM_THRESHOLD.toMilliseconds(), label: "answer budget" },
            { value: COGNITO_TRIGGER_BUDGET.toMilliseconds(), label: "Cognito gives up" },
          ],
        },
      ),
    ];
    for (const widgets of [activity, denials, faults, lambdaRow]) {
      if (widgets.length > 0) this.dashboard.addWidgets(...widgets);
    }
  }
}
