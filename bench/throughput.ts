/** Post authentication's throughput against dynalite, next to bare PutItem calls (runners/throughput.ts). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchBuild } from "./build.ts";
import { THROUGHPUT_MIN_RATIO } from "./cases.ts";
import { runChild } from "./child.ts";
import type { LocalAws } from "./local-aws.ts";
import type { ThroughputPlan, ThroughputReport } from "./runners/throughput.ts";
import { loadSample } from "./samples.ts";
import { type Spread, spread } from "./stats.ts";

export interface ThroughputResult extends ThroughputReport {
  handler: Spread;
  bare: Spread;
  ratio: Spread;
  budget: { minRatio: number; met: boolean };
}

export async function measureThroughput(
  build: BenchBuild,
  aws: LocalAws,
  options: { concurrency: number[]; blockMs: number; pairs: number },
  scratch: string,
): Promise<ThroughputResult[]> {
  const sample = loadSample("post-authentication/sign-in");
  const plan: ThroughputPlan = { event: sample.event, env: sample.env, ...options };
  const planFile = join(scratch, "throughput.json");
  writeFileSync(planFile, JSON.stringify(plan));
  const { report } = await runChild<ThroughputReport[]>(
    build.runners.throughput,
    [build.throughput, planFile],
    { ...aws.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  );
  return report.map((r) => {
    const ratio = spread(r.ratios);
    return {
      ...r,
      handler: spread(r.handlerOpsPerSecond),
      bare: spread(r.bareOpsPerSecond),
      ratio,
      budget: { minRatio: THROUGHPUT_MIN_RATIO, met: ratio.median >= THROUGHPUT_MIN_RATIO },
    };
  });
}
