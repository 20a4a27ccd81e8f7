/**
 * The EMF lines of metrics.ts: the exact document the CloudWatch "Specification: Embedded metric
 * format" asks for, written raw to stdout so that Lambda's JSON log format does not nest it (the
 * runtime patches console, not process.stdout) and log-level filtering does not drop it.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createMetrics,
  DENIAL_REASONS,
  type DenialMetric,
  type DenialReason,
  METRIC,
  METRICS_NAMESPACE,
  type MetricName,
  OTHER_REASON,
} from "../../triggers/lib/metrics.ts";
import type { EmfDocument } from "../support/capture-metrics.ts";

const LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: "suite-PostAuthentication-A1b2C3" };
const DENIALS = Object.keys(DENIAL_REASONS) as DenialMetric[];
const COUNTS = Object.values(METRIC).filter((name) => !(name in DENIAL_REASONS)) as Exclude<
  MetricName,
  DenialMetric
>[];

/** Every write to process.stdout while a test runs, as written. */
let stdout: string[];
beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown) => {
    stdout.push(String(chunk));
    return true;
  }) as typeof process.stdout.write);
});
afterEach(() => vi.restoreAllMocks());

const parse = (line: string | undefined) => JSON.parse(line ?? "null") as EmfDocument;

describe("the EMF document", () => {
  it("of a plain count is exactly the spec's structure, with one dimension set", () => {
    const before = Date.now();
    createMetrics(LAMBDA).count(METRIC.SignIns);
    const after = Date.now();

    expect(stdout).toHaveLength(1);
    const doc = parse(stdout[0]);
    expect(doc).toEqual({
      timestamp: new Date(doc._aws.Timestamp).toISOString(),
      level: "INFO",
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: "CognitoTriggerSuite",
            Dimensions: [["FunctionName"]],
            Metrics: [{ Name: "SignIns", Unit: "Count" }],
          },
        ],
      },
      FunctionName: "suite-PostAuthentication-A1b2C3",
      SignIns: 1,
    });
    // Milliseconds since the epoch (the spec's unit), not seconds.
    expect(Number.isInteger(doc._aws.Timestamp)).toBe(true);
    expect(doc._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(doc._aws.Timestamp).toBeLessThanOrEqual(after);
  });

  it("of a denial declares the total and the by-reason dimension sets in one line", () => {
    createMetrics(LAMBDA).denied(METRIC.SignInDenied, "ip-not-allowed");
    const doc = parse(stdout[0]);
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [["FunctionName"], ["FunctionName", "Reason"]],
        Metrics: [{ Name: "SignInDenied", Unit: "Count" }],
      },
    ]);
    expect(doc).toMatchObject({ FunctionName: LAMBDA.AWS_LAMBDA_FUNCTION_NAME, Reason: "ip-not-allowed" });
    expect(doc.SignInDenied).toBe(1);
  });

  it("has every metric and dimension it declares as a top-level member, for every metric", () => {
    const metrics = createMetrics(LAMBDA);
    for (const name of COUNTS) metrics.count(name);
    for (const name of DENIALS) metrics.denied(name, DENIAL_REASONS[name][0] as DenialReason<typeof name>);

    expect(stdout).toHaveLength(COUNTS.length + DENIALS.length);
    for (const line of stdout) {
      // One log event per line: a single JSON object, nothing before or after, no inner newline.
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1)).not.toContain("\n");
      const doc = parse(line);
      const [directive] = doc._aws.CloudWatchMetrics;
      expect(doc._aws.CloudWatchMetrics).toHaveLength(1);
      for (const set of directive?.Dimensions ?? []) {
        for (const dimension of set) expect(typeof doc[dimension]).toBe("string");
      }
      for (const { Name, Unit } of directive?.Metrics ?? []) {
        expect(doc[Name]).toBe(1);
        expect(Unit).toBe("Count");
      }
    }
    expect(stdout.map((line) => parse(line)._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name).sort()).toEqual(
      Object.values(METRIC).sort(),
    );
  });

  it("keeps the contract's names (infra's alarms and dashboard import them)", () => {
    expect(METRICS_NAMESPACE).toBe("CognitoTriggerSuite");
    expect(Object.values(METRIC).sort()).toEqual(
      [
        "AuditFallbacks",
        "ConfigRefusals",
        "MalformedEvents",
        "Migrations",
        "SignIns",
        "SignInDenied",
        "FederationDenied",
        "MessagesSent",
        "MessagesFailed",
        "SignUpDenied",
        "UnexpectedErrors",
        "WelcomeEmailsFailed",
        "WelcomeEmailsSent",
      ].sort(),
    );
    for (const [key, value] of Object.entries(METRIC)) expect(key).toBe(value);
  });
});

describe("Reason, a dimension value", () => {
  it("comes from a small fixed set of plain words", () => {
    const all = new Set([...Object.values(DENIAL_REASONS).flat(), OTHER_REASON]);
    expect(all.size).toBeLessThanOrEqual(20);
    for (const reason of all) expect(reason).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it("gives inbound federation's refusals pre sign-up's words: one domain policy, one vocabulary", () => {
    const signUp: readonly string[] = DENIAL_REASONS.SignUpDenied;
    for (const reason of DENIAL_REASONS.FederationDenied) expect(signUp).toContain(reason);
  });

  it("is never text the caller chose: anything outside the set is written as 'other'", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DENIALS), fc.string({ minLength: 0, maxLength: 60 }), (metric, text) => {
        stdout.length = 0;
        createMetrics(LAMBDA).denied(metric, text as DenialReason<typeof metric>);
        const allowed: readonly string[] = DENIAL_REASONS[metric];
        const { Reason } = parse(stdout[0]);
        expect(Reason).toBe(allowed.includes(text) ? text : OTHER_REASON);
      }),
    );
  });
});

describe("outside Lambda", () => {
  it("writes nothing without AWS_LAMBDA_FUNCTION_NAME (tests, replay, the local pool)", () => {
    const metrics = createMetrics({ AWS_LAMBDA_LOG_FORMAT: "JSON" });
    metrics.count(METRIC.UnexpectedErrors);
    metrics.denied(METRIC.SignUpDenied, "domain-blocked");
    expect(stdout).toEqual([]);
  });

  it("writes to an injected writer, naming the function 'local'", () => {
    const lines: string[] = [];
    createMetrics({}, (line) => lines.push(line)).count(METRIC.Migrations);
    expect(stdout).toEqual([]);
    expect(parse(lines[0])).toMatchObject({ FunctionName: "local", Migrations: 1 });
  });

  it("never lets a failing writer fail the request", () => {
    const metrics = createMetrics(LAMBDA, () => {
      throw new Error("EPIPE");
    });
    expect(() => metrics.count(METRIC.SignIns)).not.toThrow();
  });
});

/**
 * What the Node.js runtime does with the JSON log format (aws-lambda-nodejs-runtime-interface-client,
 * src/LogPatch.js): console.* become functions that nest their argument under "message" beside
 * timestamp, level and requestId, and those below AWS_LAMBDA_LOG_LEVEL do nothing. process.stdout is
 * left alone.
 */
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
type Level = (typeof LEVELS)[number];

function patchConsoleLikeLambda(logLevel: Level): void {
  const threshold = LEVELS.indexOf(logLevel);
  const method = (level: Level) =>
    LEVELS.indexOf(level) >= threshold
      ? (message: unknown) => {
          const line = { timestamp: new Date().toISOString(), level, requestId: "r-1", message };
          process.stdout.write(`${JSON.stringify(line)}\n`);
        }
      : () => {};
  vi.spyOn(console, "trace").mockImplementation(method("TRACE"));
  vi.spyOn(console, "debug").mockImplementation(method("DEBUG"));
  vi.spyOn(console, "info").mockImplementation(method("INFO"));
  vi.spyOn(console, "log").mockImplementation(method("INFO"));
  vi.spyOn(console, "warn").mockImplementation(method("WARN"));
  vi.spyOn(console, "error").mockImplementation(method("ERROR"));
}

/**
 * Lambda's filter for what a function writes to stdout ("Log-level filtering"): the line's "level"
 * counts only when it is valid and the line has an RFC 3339 "timestamp"; otherwise the line is INFO.
 */
function keptByLambda(line: string, logLevel: Level): boolean {
  const { level, timestamp } = JSON.parse(line) as { level?: string; timestamp?: string };
  const valid =
    LEVELS.includes(level?.toUpperCase() as Level) &&
    typeof timestamp === "string" &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(timestamp);
  const assigned = valid ? (level?.toUpperCase() as Level) : "INFO";
  return LEVELS.indexOf(assigned) >= LEVELS.indexOf(logLevel);
}

describe("extraction-ready under Lambda's JSON log format", () => {
  it("the EMF line comes out raw, while the same object through console would be nested", () => {
    patchConsoleLikeLambda("INFO");
    const env = { ...LAMBDA, AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "INFO" };
    createMetrics(env).denied(METRIC.SignUpDenied, "domain-not-allowed");
    expect(stdout).toHaveLength(1);
    const raw = JSON.parse(stdout[0] ?? "") as Record<string, unknown>;
    expect(Object.keys(raw)).toContain("_aws");
    expect(raw).not.toHaveProperty("message");
    expect(raw.SignUpDenied).toBe(1);

    // The control: what console.log would have made of the very same document.
    console.log(raw);
    const wrapped = JSON.parse(stdout[1] ?? "") as Record<string, unknown>;
    expect(wrapped).not.toHaveProperty("_aws");
    expect((wrapped.message as Record<string, unknown>)._aws).toBeDefined();
  });

  it.each(LEVELS)("survives an application log level of %s, where console below it is silenced", (level) => {
    patchConsoleLikeLambda(level);
    const env = { ...LAMBDA, AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: level };
    createMetrics(env).count(METRIC.AuditFallbacks);
    console.info({ probe: true });

    const emf = stdout.filter((line) => line.includes('"_aws"'));
    expect(emf).toHaveLength(1);
    expect(keptByLambda(emf[0] ?? "", level)).toBe(true);
    // The line sits at INFO, or at the function's level when that is higher: never above what passes.
    expect(parse(emf[0]).level).toBe(LEVELS.indexOf(level) > LEVELS.indexOf("INFO") ? level : "INFO");
    // console.info is gone at WARN and above, as in Lambda: an EMF object sent there would be lost.
    expect(stdout.some((line) => line.includes("probe"))).toBe(
      LEVELS.indexOf(level) <= LEVELS.indexOf("INFO"),
    );
  });

  it("a bare EMF line (no level, no timestamp) would be dropped at WARN: why the line carries both", () => {
    const bare = JSON.stringify({ _aws: {}, SignIns: 1 });
    expect(keptByLambda(bare, "INFO")).toBe(true);
    expect(keptByLambda(bare, "WARN")).toBe(false);
  });
});
