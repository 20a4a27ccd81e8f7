import { afterEach, beforeEach, expect, vi } from "vitest";
import { createMetrics, type Metrics } from "../../triggers/lib/metrics.ts";
import { captureLogs } from "./capture-logs.ts";

/** One EMF document as metrics.ts writes it. */
export interface EmfDocument {
  timestamp: string;
  level: string;
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  FunctionName: string;
  Reason?: string;
  [member: string]: unknown;
}

export interface CapturedMetrics {
  /** Every EMF line, exactly as written (newline included). */
  lines: string[];
  documents(): EmfDocument[];
  /** "SignIns", or "SignInDenied/ip-not-allowed" for a metric with a reason, in order. */
  names(): string[];
}

function captured(lines: string[]): CapturedMetrics {
  const documents = () => lines.map((line) => JSON.parse(line) as EmfDocument);
  return {
    lines,
    documents,
    names: () =>
      documents().map((doc) => {
        const name = doc._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name ?? "?";
        return doc.Reason === undefined ? name : `${name}/${doc.Reason}`;
      }),
  };
}

/**
 * Collects the EMF lines handlers write to process.stdout (what Lambda reads), and passes anything
 * else through. Handlers emit only when AWS_LAMBDA_FUNCTION_NAME is in their env, as in Lambda.
 */
export function captureStdoutMetrics(): CapturedMetrics & { restore(): void } {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === "string" && chunk.includes('"_aws"')) {
      lines.push(chunk);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return { ...captured(lines), restore: () => spy.mockRestore() };
}

/** A Metrics for code handed one directly (the audit trail): the real emitter, writing to a list. */
export function recordingMetrics(): Metrics & CapturedMetrics {
  const lines: string[] = [];
  return {
    ...createMetrics({ AWS_LAMBDA_FUNCTION_NAME: "test-function" }, (line) => lines.push(line)),
    ...captured(lines),
  };
}

/**
 * The whole document one metric must be, member for member: comparing with toEqual proves that no
 * other member (and so no text from an event) rides along. Only the clock fields are left open, unless
 * `clock` gives them (for a comparison without expect's matchers).
 */
export function emfDocument(
  name: string,
  functionName: string,
  reason?: string,
  clock?: { timestamp: string; Timestamp: number },
): Record<string, unknown> {
  return {
    timestamp: clock ? clock.timestamp : expect.any(String),
    level: "INFO",
    _aws: {
      Timestamp: clock ? clock.Timestamp : expect.any(Number),
      CloudWatchMetrics: [
        {
          Namespace: "CognitoTriggerSuite",
          Dimensions:
            reason === undefined ? [["FunctionName"]] : [["FunctionName"], ["FunctionName", "Reason"]],
          Metrics: [{ Name: name, Unit: "Count" }],
        },
      ],
    },
    FunctionName: functionName,
    ...(reason === undefined ? {} : { Reason: reason }),
    [name]: 1,
  };
}

/**
 * The logs and EMF lines of each test of the calling file: captured before every test and restored
 * after it. Read `output.logs` and `output.metrics` inside a test.
 */
export function captureOutputOfEachTest(): {
  logs: ReturnType<typeof captureLogs>;
  metrics: ReturnType<typeof captureStdoutMetrics>;
} {
  const output = {} as ReturnType<typeof captureOutputOfEachTest>;
  beforeEach(() => {
    output.logs = captureLogs();
    output.metrics = captureStdoutMetrics();
  });
  afterEach(() => {
    output.metrics.restore();
    output.logs.restore();
  });
  return output;
}
