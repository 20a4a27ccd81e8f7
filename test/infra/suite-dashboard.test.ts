/**
 * SuiteDashboard: every metric of the suite's contract and the per-function Lambda metrics are on it,
 * denials by reason come from a SEARCH over the FunctionName+Reason dimension set, a graph shows only
 * the functions that count its metric, and the custom senders' dropped events (Lambda's
 * AsyncEventsDropped) have a graph of their own.
 */
import { Template } from "aws-cdk-lib/assertions";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { beforeAll, describe, expect, it } from "vitest";
import { SuiteDashboard } from "../../infra/suite-dashboard.ts";
import { METRIC } from "../../triggers/lib/metrics.ts";
import { functionName, importedFunctions, monitoringStack } from "./monitoring-fixtures.ts";

interface Widget {
  type: string;
  properties: {
    title?: string;
    markdown?: string;
    alarms?: unknown[];
    metrics?: unknown[][];
    stat?: string;
    period?: number;
  };
}

/** The dashboard body as JSON, references written as ${LogicalId}. */
function body(template: Template): { widgets: Widget[] } {
  const dashboards = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
  expect(dashboards).toHaveLength(1);
  const [dashboard] = dashboards;
  if (!dashboard) throw new Error("no dashboard");
  const value = (dashboard.Properties as { DashboardBody: unknown }).DashboardBody;
  const text = (part: unknown): string => {
    if (typeof part === "string") return part;
    const intrinsic = part as Record<string, unknown>;
    if (typeof intrinsic.Ref === "string") return `\${${intrinsic.Ref}}`;
    const getAtt = intrinsic["Fn::GetAtt"] as [string, string] | undefined;
    if (getAtt) return `\${${getAtt.join(".")}}`;
    const join = intrinsic["Fn::Join"] as [string, unknown[]] | undefined;
    if (join) return join[1].map(text).join(join[0]);
    throw new Error(`unexpected ${JSON.stringify(part)}`);
  };
  return JSON.parse(text(value));
}

const graph = (widgets: Widget[], title: string): Widget => {
  const found = widgets.find((widget) => widget.properties.title === title);
  expect(found, title).toBeDefined();
  return found as Widget;
};

/** A graph's metric rows: [namespace, name, dimension, value, ..., options] or [{ expression }]. */
const rows = (widget: Widget) => widget.properties.metrics ?? [];
const metricNames = (widget: Widget) =>
  rows(widget).flatMap((row) => (typeof row[0] === "string" ? [row[1] as string] : []));
const expressions = (widget: Widget) =>
  rows(widget).flatMap((row) => {
    const options = row[row.length - 1] as { expression?: string };
    return options?.expression ? [options.expression] : [];
  });

describe("SuiteDashboard of all ten functions", () => {
  let template: Template;
  let widgets: Widget[];
  beforeAll(() => {
    const stack = monitoringStack();
    const alarm = new cloudwatch.Alarm(stack, "SomeAlarm", {
      metric: new cloudwatch.Metric({ namespace: "N", metricName: "M" }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    new SuiteDashboard(stack, "Dashboard", { functions: importedFunctions(stack), alarms: [alarm] });
    template = Template.fromStack(stack);
    widgets = body(template).widgets;
  });

  it("is named after the stack by default", () => {
    template.hasResourceProperties("AWS::CloudWatch::Dashboard", {
      DashboardName: "MonitoringUnderTest-cognito-triggers",
    });
  });

  it("graphs every metric of the suite's contract", () => {
    const shown = new Set(widgets.flatMap(metricNames));
    for (const name of Object.values(METRIC)) expect(shown.has(name), name).toBe(true);
  });

  it("shows sign-up and sign-in denials in total and by reason, with a SEARCH over FunctionName+Reason", () => {
    const signUp = graph(widgets, "Sign-up denials");
    expect(metricNames(signUp)).toEqual(["SignUpDenied"]);
    expect(expressions(signUp)).toEqual([
      `SEARCH('{CognitoTriggerSuite,FunctionName,Reason} MetricName="SignUpDenied" (FunctionName="${functionName("pre-sign-up")}")', 'Sum', 300)`,
    ]);
    const signIn = graph(widgets, "Sign-in denials");
    expect(metricNames(signIn)).toEqual(["SignInDenied", "SignInDenied"]);
    expect(expressions(signIn)).toEqual([
      `SEARCH('{CognitoTriggerSuite,FunctionName,Reason} MetricName="SignInDenied" (FunctionName="${functionName("pre-authentication")}" OR FunctionName="${functionName("user-migration")}")', 'Sum', 300)`,
    ]);
    // The totals: the FunctionName dimension alone, one line per function that denies.
    const dimensionValues = rows(signIn)
      .filter((row) => typeof row[0] === "string")
      .map((row) => row.slice(2, 4));
    expect(dimensionValues).toEqual([
      ["FunctionName", functionName("pre-authentication")],
      ["FunctionName", functionName("user-migration")],
    ]);
    const federated = graph(widgets, "Federated sign-in denials");
    expect(metricNames(federated)).toEqual(["FederationDenied"]);
    expect(expressions(federated)).toEqual([
      `SEARCH('{CognitoTriggerSuite,FunctionName,Reason} MetricName="FederationDenied" (FunctionName="${functionName("inbound-federation")}")', 'Sum', 300)`,
    ]);
  });

  it("shows each suite metric only for the functions that count it", () => {
    const functionsOf = (title: string) =>
      rows(graph(widgets, title))
        .filter((row) => typeof row[0] === "string")
        .map((row) => row[3]);
    expect(functionsOf("Sign-ins")).toEqual([functionName("post-authentication")]);
    expect(functionsOf("Migrations from the legacy directory")).toEqual([functionName("user-migration")]);
    expect(functionsOf("Welcome emails")).toEqual([
      functionName("post-confirmation"),
      functionName("post-confirmation"),
    ]);
    const senders = [functionName("custom-email-sender"), functionName("custom-sms-sender")];
    // Sent, then failed, of each sender.
    expect(functionsOf("Custom sender messages")).toEqual([...senders, ...senders]);
    expect(metricNames(graph(widgets, "Custom sender messages"))).toEqual([
      "MessagesSent",
      "MessagesSent",
      "MessagesFailed",
      "MessagesFailed",
    ]);
    expect(functionsOf("Audit records sent to the log instead of the table (should be 0)")).toEqual(
      [
        "pre-sign-up",
        "pre-authentication",
        "post-authentication",
        "post-confirmation",
        "user-migration",
        "inbound-federation",
        "custom-email-sender",
        "custom-sms-sender",
      ].map((trigger) => `suite-${trigger}`),
    );
    expect(functionsOf("Malformed events refused (should be 0)")).toHaveLength(10);
    expect(functionsOf("Unexpected errors and configuration refusals (should be 0)")).toHaveLength(20);
  });

  it("shows the events Lambda dropped, never delivered, of the custom senders only", () => {
    const dropped = graph(widgets, "Messages Lambda dropped, never delivered (should be 0)");
    expect(rows(dropped).map((row) => row.slice(0, 4))).toEqual([
      ["AWS/Lambda", "AsyncEventsDropped", "FunctionName", functionName("custom-email-sender")],
      ["AWS/Lambda", "AsyncEventsDropped", "FunctionName", functionName("custom-sms-sender")],
    ]);
  });

  it("shows invocations, errors, throttles and p99 duration of every function", () => {
    for (const [title, metric] of [
      ["Invocations", "Invocations"],
      ["Lambda errors (denials included)", "Errors"],
      ["Throttles", "Throttles"],
      ["Duration p99 (ms)", "Duration"],
    ]) {
      const widget = graph(widgets, title as string);
      const lambdaRows = rows(widget).filter((row) => row[0] === "AWS/Lambda");
      expect(lambdaRows, title).toHaveLength(10);
      for (const row of lambdaRows) expect(row[1], title).toBe(metric);
    }
    const p99 = graph(widgets, "Duration p99 (ms)");
    for (const row of rows(p99)) {
      const options = row[row.length - 1] as { stat?: string };
      expect(options.stat ?? p99.properties.stat).toBe("p99");
    }
  });

  it("puts the alarms it is given in a status grid", () => {
    const grid = widgets.find((widget) => widget.type === "alarm");
    expect(grid?.properties.alarms).toHaveLength(1);
  });
});

describe("SuiteDashboard", () => {
  it("takes a name, and leaves out the graphs of triggers it was not given", () => {
    const stack = monitoringStack();
    const functions = importedFunctions(stack);
    new SuiteDashboard(stack, "Dashboard", {
      dashboardName: "acme-sign-in",
      functions: { "pre-token-generation": functions["pre-token-generation"] },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties("AWS::CloudWatch::Dashboard", { DashboardName: "acme-sign-in" });
    const titles = body(template).widgets.map((widget) => widget.properties.title);
    expect(titles).not.toContain("Sign-ins");
    expect(titles).not.toContain("Sign-up denials");
    expect(titles).not.toContain("Audit records sent to the log instead of the table (should be 0)");
    expect(titles).not.toContain("Custom sender messages");
    expect(titles).not.toContain("Messages Lambda dropped, never delivered (should be 0)");
    expect(titles).toContain("Unexpected errors and configuration refusals (should be 0)");
    expect(titles).toContain("Duration p99 (ms)");
  });

  it("refuses to be built without functions", () => {
    const stack = monitoringStack();
    expect(() => new SuiteDashboard(stack, "Dashboard", { functions: {} })).toThrow(/no functions/);
  });
});
