/**
 * Replays samples through the real handlers and compares each outcome with its expectation. The CLI
 * and the contract test both call `replay`, so what the test proves is what developers run.
 */
import { isDeepStrictEqual } from "node:util";
import type { Env } from "../../triggers/lib/config.ts";
import { loadTrigger } from "../triggers.ts";
import { jsonDiff } from "./diff.ts";
import { invoke, type Outcome } from "./invoke.ts";
import { notReplayableLive } from "./live.ts";
import { createOfflineServices, type Effect, type OfflineServices } from "./offline-services.ts";
import { type Attempt, newEffects, retryMismatches } from "./retries.ts";
import { findSampleFiles, loadSample, type Sample, type UnusableInput } from "./samples.ts";
import { maskSecrets } from "./secrets.ts";

export type SampleStatus = "passed" | "failed" | "pending" | "returned" | "rejected" | "skipped";

export interface SampleReport {
  path: string;
  triggerSource: string;
  description?: string;
  status: SampleStatus;
  outcome?: Outcome;
  /** What the offline stand-ins recorded; absent in live mode. */
  effects?: Effect[];
  /** Set in live mode when the expectation lists effects: they were not checked (live.ts). */
  effectsUnchecked?: true;
  /** Why the sample was not run (status "skipped"): it cannot be replayed with --live (live.ts). */
  skipped?: string;
  mismatches: string[];
  logs: string[];
  /** Every attempt in order, when the sample was replayed more than once (`repeat`). */
  attempts?: AttemptReport[];
}

export interface AttemptReport extends Attempt {
  logs: string[];
}

export interface ReplayReport {
  samples: SampleReport[];
  unusable: UnusableInput[];
  exitCode: 0 | 1 | 2;
}

export interface ReplayOptions {
  /** The environment handlers see before the env file and each sample's own `env` (default process.env). */
  baseEnv?: Env;
  envFile?: Record<string, string>;
  /** Use the real AWS clients (standard AWS_* settings) instead of the in-memory stand-ins. */
  live?: boolean;
  /** Where handlers come from; tests substitute their own. */
  loadTrigger?: typeof loadTrigger;
  /**
   * Replays each sample this many times in a row (default 1), as Cognito retries an invocation: each
   * attempt is a cold start with its own request id, against the stand-ins of the attempts before it.
   * Every attempt must answer like the first and repeat no once-only effect (see retries.ts).
   */
  repeat?: number;
  /** Builds the offline stand-ins of one sample, shared by its attempts; tests substitute their own. */
  offlineServices?: () => OfflineServices;
}

export async function replay(paths: string[], options: ReplayOptions = {}): Promise<ReplayReport> {
  const { files, unusable } = await findSampleFiles(paths);
  const samples: SampleReport[] = [];
  for (const file of files) {
    const loaded = await loadSample(file);
    if ("reason" in loaded) unusable.push(loaded);
    else samples.push(await replaySample(loaded, options));
  }
  const failed = samples.some((s) => s.status === "failed" || s.status === "rejected");
  const exitCode = unusable.length > 0 ? 2 : failed ? 1 : 0;
  return { samples, unusable, exitCode };
}

async function replaySample(sample: Sample, options: ReplayOptions): Promise<SampleReport> {
  const report: SampleReport = {
    path: sample.path,
    triggerSource: sample.triggerSource,
    status: "pending",
    mismatches: [],
    logs: [],
    ...(sample.expectation?.description ? { description: sample.expectation.description } : {}),
  };
  let createHandler: Awaited<ReturnType<typeof loadTrigger>>;
  try {
    createHandler = await (options.loadTrigger ?? loadTrigger)(sample.trigger);
  } catch (error) {
    return {
      ...report,
      status: "failed",
      mismatches: [`handler could not be loaded: ${(error as Error).message}`],
    };
  }
  if (!createHandler) return report;
  const notLive = options.live ? notReplayableLive(sample) : undefined;
  if (notLive !== undefined) return { ...report, status: "skipped", skipped: notLive };

  const env = { ...(options.baseEnv ?? process.env), ...options.envFile, ...sample.expectation?.env };
  const offline = options.live ? undefined : (options.offlineServices ?? createOfflineServices)();
  const attempts: AttemptReport[] = [];
  let effectsSoFar: Effect[] = [];
  for (let attempt = 1; attempt <= Math.max(1, options.repeat ?? 1); attempt++) {
    const { outcome, logs } = await invoke(createHandler, sample.trigger, sample.event, {
      env,
      services: offline?.services ?? {},
      samplePath: sample.path,
      attempt,
    });
    const effects = offline?.effects();
    attempts.push({ outcome, logs, ...(effects ? { effects: newEffects(effectsSoFar, effects) } : {}) });
    effectsSoFar = effects ?? [];
  }
  const [first] = attempts as [AttemptReport, ...AttemptReport[]];
  report.outcome = first.outcome;
  report.logs = first.logs;
  if (first.effects) report.effects = first.effects;
  if (attempts.length > 1) report.attempts = attempts;
  const retryProblems = retryMismatches(attempts, sample.trigger);

  if (!sample.expectation) {
    report.mismatches = retryProblems;
    if (retryProblems.length > 0) report.status = "failed";
    else report.status = first.outcome.kind === "result" ? "returned" : "rejected";
    return report;
  }
  // The first attempt is held to the expectation; the later ones to the first (retryMismatches).
  report.mismatches = [...compare(sample.expectation, first.outcome, report.effects), ...retryProblems];
  if (sample.expectation.effects !== undefined && report.effects === undefined)
    report.effectsUnchecked = true;
  report.status = report.mismatches.length === 0 ? "passed" : "failed";
  return report;
}

function compare(
  expected: NonNullable<Sample["expectation"]>,
  outcome: Outcome,
  effects?: Effect[],
): string[] {
  const mismatches: string[] = [];
  if (expected.error !== undefined) {
    if (outcome.kind === "result")
      mismatches.push(`expected the error ${JSON.stringify(expected.error)}, got a result`);
    else if (outcome.error !== expected.error) {
      mismatches.push(
        `error: expected ${JSON.stringify(expected.error)}, got ${JSON.stringify(outcome.error)}`,
      );
    }
  } else if (outcome.kind === "error") {
    mismatches.push(`expected a result, got the error ${JSON.stringify(outcome.error)}`);
  } else if (!isDeepStrictEqual(expected.result, outcome.event)) {
    // Diffs are printed, so they are computed on masked copies: a password never appears in them.
    const lines = jsonDiff(maskSecrets(expected.result), maskSecrets(outcome.event));
    mismatches.push(...(lines.length > 0 ? lines : ["a password field differs (not shown)"]));
  }
  if (expected.effects !== undefined && effects !== undefined && !sameEffects(expected.effects, effects)) {
    mismatches.push(`effects: expected ${JSON.stringify(expected.effects)}, got ${JSON.stringify(effects)}`);
  }
  return mismatches;
}

function sameEffects(expected: unknown[], actual: Effect[]): boolean {
  const key = (list: unknown[]) => list.map((e) => JSON.stringify(e)).sort();
  return isDeepStrictEqual(key(expected), key(actual));
}
