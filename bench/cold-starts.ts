/**
 * Cold starts, interleaved: every round runs each case once in a fresh process, in a new random order,
 * so that whatever else the machine does at that moment hits all cases alike. Ratios are taken within
 * a round (a case against its baseline from the same round) and summarised by their median.
 *
 * Two clocks per run, both from the start of the process to the first answer: wall time, and CPU time
 * (all threads). Budgets are judged by CPU time. A Lambda function of 256 MB has about a seventh of a
 * vCPU, so its cold start is CPU-bound and takes about its CPU time divided by that share; wall time on
 * this two-core machine is shortened by V8's helper threads running in parallel and lengthened by
 * whatever else runs on it, which makes it the noisier and the less faithful of the two. Wall time is
 * reported beside it.
 */
import { randomUUID } from "node:crypto";
import type { BenchBuild } from "./build.ts";
import { BARE_SDK, type ColdCase, EMPTY } from "./cases.ts";
import { runChild } from "./child.ts";
import type { LocalAws } from "./local-aws.ts";
import { loadSample } from "./samples.ts";
import { type Spread, shuffle, spread } from "./stats.ts";

interface RunnerReport {
  importedMs: number;
  answeredMs: number;
  cpuMs: number;
  outcome: string;
  requests: string[];
}

export interface ColdStartResult {
  id: string;
  label: string;
  sample: string;
  /** Process start to first answer, per round (ms). */
  answeredMs: number[];
  /** Process start to the end of the import, per round (ms). */
  importedMs: number[];
  /** CPU time (all threads) from process start to first answer, per round (ms). */
  cpuMs: number[];
  answered: Spread;
  imported: Spread;
  cpu: Spread;
  requests: string[];
  /** CPU time of this case / of the empty handler, per round. */
  vsEmpty: Spread;
  /** CPU time of this case / of the bare PutItem client, per round. */
  vsBareSdk: Spread;
  /** The same ratios by wall time. */
  wallVsEmpty: Spread;
  wallVsBareSdk: Spread;
  budget?: { against: string; maxRatio: number; ratio: Spread; wallRatio: Spread; met: boolean };
}

export async function measureColdStarts(
  build: BenchBuild,
  cases: ColdCase[],
  aws: LocalAws,
  rounds: number,
  progress: (message: string) => void,
): Promise<ColdStartResult[]> {
  const samples = new Map(cases.map((c) => [c.id, loadSample(c.sample)]));
  const runs = new Map<string, RunnerReport[]>(cases.map((c) => [c.id, []]));

  const runOnce = async (coldCase: ColdCase): Promise<RunnerReport> => {
    const sample = samples.get(coldCase.id);
    if (!sample) throw new Error(`no sample for ${coldCase.id}`);
    const event = structuredClone(sample.event);
    if (coldCase.freshUser) {
      (event.request as { userAttributes: Record<string, string> }).userAttributes.sub = randomUUID();
    }
    if (coldCase.resetLegacyUsers) await aws.resetLegacyUsers();
    const url =
      "trigger" in coldCase.bundle
        ? build.handlers[coldCase.bundle.trigger].url
        : build.baselines[coldCase.bundle.baseline].url;
    const { report, stderr } = await runChild<RunnerReport>(build.runners.coldStart, [url], {
      ...aws.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...sample.env,
      BENCH_EVENT: JSON.stringify(event),
    });
    const requests = [...report.requests].sort();
    const expected = [...coldCase.expect.requests].sort();
    if (!report.outcome.startsWith(coldCase.expect.outcome) || requests.join() !== expected.join()) {
      throw new Error(
        `cold start of "${coldCase.label}" took another path than measured for: ${report.outcome}; AWS requests ${JSON.stringify(report.requests)} (expected ${coldCase.expect.outcome}, ${JSON.stringify(coldCase.expect.requests)})\n${stderr.trim().slice(-1_500)}`,
      );
    }
    return report;
  };

  // One round off the record: the file-system cache and the stand-ins' first requests are not a cold start.
  for (const coldCase of cases) await runOnce(coldCase);
  for (let round = 0; round < rounds; round++) {
    for (const coldCase of shuffle([...cases])) runs.get(coldCase.id)?.push(await runOnce(coldCase));
    if ((round + 1) % 10 === 0 || round + 1 === rounds) progress(`cold starts: round ${round + 1}/${rounds}`);
  }

  const answered = (id: string) => (runs.get(id) ?? []).map((r) => r.answeredMs);
  const cpu = (id: string) => (runs.get(id) ?? []).map((r) => r.cpuMs);
  const paired = (id: string, against: string, clock = cpu) => {
    const base = clock(against);
    return clock(id).map((ms, round) => ms / (base[round] as number));
  };
  return cases.map((coldCase) => {
    const reports = runs.get(coldCase.id) ?? [];
    const result: ColdStartResult = {
      id: coldCase.id,
      label: coldCase.label,
      sample: coldCase.sample,
      answeredMs: answered(coldCase.id),
      importedMs: reports.map((r) => r.importedMs),
      cpuMs: reports.map((r) => r.cpuMs),
      answered: spread(answered(coldCase.id)),
      imported: spread(reports.map((r) => r.importedMs)),
      cpu: spread(reports.map((r) => r.cpuMs)),
      requests: reports[0]?.requests ?? [],
      vsEmpty: spread(paired(coldCase.id, EMPTY)),
      vsBareSdk: spread(paired(coldCase.id, BARE_SDK)),
      wallVsEmpty: spread(paired(coldCase.id, EMPTY, answered)),
      wallVsBareSdk: spread(paired(coldCase.id, BARE_SDK, answered)),
    };
    if (coldCase.budget) {
      const ratio = spread(paired(coldCase.id, coldCase.budget.against));
      const wallRatio = spread(paired(coldCase.id, coldCase.budget.against, answered));
      result.budget = { ...coldCase.budget, ratio, wallRatio, met: ratio.median <= coldCase.budget.maxRatio };
    }
    return result;
  });
}
