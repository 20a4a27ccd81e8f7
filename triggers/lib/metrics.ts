/**
 * The suite's own CloudWatch metrics, as Embedded Metric Format (EMF) lines on stdout: CloudWatch Logs
 * extracts them from the function's log group, so counting costs no SDK, no request and no wait.
 * The names below are a contract with the alarms and the dashboard in infra/: change them together.
 *
 * Why process.stdout.write and not console:
 * - The Node.js runtime replaces console.* (aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js):
 *   with the JSON log format every console line becomes {"timestamp","level","requestId","message":…},
 *   our object nested under "message", and CloudWatch extracts metrics only from a log event whose
 *   root is the EMF document ("Specification: Embedded metric format": a valid JSON object with no data
 *   before or after it, `_aws` at the root). Below AWS_LAMBDA_LOG_LEVEL the patched methods do nothing
 *   at all. process.stdout is not patched; a line that is already JSON is not encoded again ("Configuring
 *   JSON and plain text log formats"). Powertools Metrics (a Console of its own on process.stdout, since
 *   v1.15.0) and aws-embedded-metrics-node (ConsoleSink) bypass console for the same reason.
 * - Lambda still filters what reaches stdout by its "level" member, and reads a line without one (or
 *   without an RFC 3339 "timestamp") as INFO ("Log-level filtering"). So at an application log level of
 *   WARN a bare EMF line would be dropped, and the metrics with it. Each line therefore carries a
 *   timestamp and the function's own level when that is above INFO: exactly what passes the filter.
 *
 * Outside Lambda (tests, replay, the local pool) AWS_LAMBDA_FUNCTION_NAME is unset and nothing is
 * written, unless a writer is passed in; FunctionName is then "local".
 *
 * Dimension values never come from an event: FunctionName is Lambda's, and Reason is one of the fixed
 * DENIAL_REASONS (anything else is written as "other").
 */
import type { Env } from "./config.ts";

export const METRICS_NAMESPACE = "CognitoTriggerSuite";

export const METRIC = {
  /** Post authentication: a sign-in proceeded. */
  SignIns: "SignIns",
  /** Pre sign-up refused an address (+Reason). */
  SignUpDenied: "SignUpDenied",
  /** Pre authentication denied a sign-in, or user migration refused one (+Reason). */
  SignInDenied: "SignInDenied",
  /** User migration migrated a user (sign-in or forgotten password). */
  Migrations: "Migrations",
  WelcomeEmailsSent: "WelcomeEmailsSent",
  WelcomeEmailsFailed: "WelcomeEmailsFailed",
  /** Inbound federation refused a federated sign-in's address (+Reason). */
  FederationDenied: "FederationDenied",
  /** A custom sender delivered a message (email or text) Cognito handed it. */
  MessagesSent: "MessagesSent",
  /** A custom sender could not deliver a message (recorded as MESSAGE_SEND_FAILED). */
  MessagesFailed: "MessagesFailed",
  /** An audit record went to the audit_fallback log line instead of the table. */
  AuditFallbacks: "AuditFallbacks",
  /** An error that is not a UserFacingError, answered with the generic message. */
  UnexpectedErrors: "UnexpectedErrors",
  /** An event the handler cannot read (the caller's fault, not ours). */
  MalformedEvents: "MalformedEvents",
  /** A request refused because the configuration is invalid. */
  ConfigRefusals: "ConfigRefusals",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Every Reason a denial metric can carry: the audit reasons of the policy decisions, nothing else. */
export const DENIAL_REASONS = {
  SignUpDenied: [
    "email-missing",
    "email-invalid",
    "domain-blocked",
    "domain-not-allowed",
    "email-unverified",
  ],
  SignInDenied: [
    // Pre authentication (sign-in-policy.ts).
    "untrusted-client",
    "ip-missing",
    "ip-malformed",
    "ip-not-allowed",
    // User migration (password-check.ts, trigger.ts).
    "unknown-user",
    "invalid-record",
    "no-password-hash",
    "unsupported-hash",
    "wrong-password",
    "disabled",
    "no-verified-contact",
    "already-migrated",
    "hash-too-costly",
    "locked",
  ],
  // Inbound federation (the Pre sign-up domain policy, judged before the profile is written).
  FederationDenied: ["email-missing", "email-invalid", "domain-blocked", "domain-not-allowed"],
} as const;

/** Written in place of a reason that is not in DENIAL_REASONS. */
export const OTHER_REASON = "other";

export type DenialMetric = keyof typeof DENIAL_REASONS;
export type DenialReason<M extends DenialMetric> = (typeof DENIAL_REASONS)[M][number];
export type CountMetric = Exclude<MetricName, DenialMetric>;

export interface Metrics {
  count(metric: CountMetric): void;
  /** One denial, counted both in total (FunctionName) and by reason (FunctionName, Reason). */
  denied<M extends DenialMetric>(metric: M, reason: DenialReason<M>): void;
}

/** Receives one whole line, newline included. */
export type LineWriter = (line: string) => void;

const SILENT: Metrics = { count: () => {}, denied: () => {} };
const LEVELS_ABOVE_INFO: readonly string[] = ["WARN", "ERROR", "FATAL"];

export function createMetrics(env: Env, write?: LineWriter): Metrics {
  const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const out = write ?? (inLambda ? writeToStdout : undefined);
  if (!out) return SILENT;
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME || "local";
  const configured = env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? "";
  const level = LEVELS_ABOVE_INFO.includes(configured) ? configured : "INFO";

  const emit = (metric: MetricName, reason?: string) => {
    // A metric is never worth a failed sign-in.
    try {
      out(emfLine(metric, functionName, level, reason));
    } catch {}
  };
  return {
    count: (metric) => emit(metric),
    denied: (metric, reason) =>
      emit(metric, (DENIAL_REASONS[metric] as readonly string[]).includes(reason) ? reason : OTHER_REASON),
  };
}

function writeToStdout(line: string): void {
  process.stdout.write(line);
}

function emfLine(metric: MetricName, functionName: string, level: string, reason?: string): string {
  const now = Date.now();
  return `${JSON.stringify({
    timestamp: new Date(now).toISOString(),
    level,
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions:
            reason === undefined ? [["FunctionName"]] : [["FunctionName"], ["FunctionName", "Reason"]],
          Metrics: [{ Name: metric, Unit: "Count" }],
        },
      ],
    },
    FunctionName: functionName,
    ...(reason === undefined ? {} : { Reason: reason }),
    [metric]: 1,
  })}\n`;
}
