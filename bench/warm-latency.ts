/** Warm latency per trigger: one child process per trigger replays all of its samples (runners/warm.ts). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TriggerName } from "../triggers/lib/events.ts";
import type { BenchBuild } from "./build.ts";
import { hashes, needsFreshUser, WARM_P99_MAX_MS } from "./cases.ts";
import { runChild } from "./child.ts";
import type { LocalAws } from "./local-aws.ts";
import type { PathKind, WarmGroupReport, WarmPlan } from "./runners/warm.ts";
import { samplesOf } from "./samples.ts";

export interface WarmResult {
  trigger: TriggerName;
  groups: (WarmGroupReport & { budget?: { maxP99Ms: number; met: boolean } })[];
  /** Samples whose outcome (answered or refused) differs from their expectation in events/. */
  unexpectedOutcomes: string[];
}

export interface WarmReplays {
  /** Replays per trigger of the paths without AWS calls (the budgeted ones). */
  noAws: number;
  /** Replays per trigger of the paths that call the AWS stand-ins. */
  aws: number;
  /** Replays per sample of the paths that verify a password hash (each takes 50-500 ms by design). */
  hashingPerSample: number;
}

export async function measureWarm(
  build: BenchBuild,
  triggers: TriggerName[],
  aws: LocalAws,
  replays: WarmReplays,
  scratch: string,
  progress: (message: string) => void,
): Promise<WarmResult[]> {
  const results: WarmResult[] = [];
  for (const trigger of triggers) {
    const plan: WarmPlan = {
      samples: samplesOf(trigger).map((s) => ({
        name: s.name,
        event: s.event,
        env: s.env,
        hashing: hashes(trigger, s.event),
        freshUser: needsFreshUser(trigger, s.event),
        refused: s.refused,
      })),
      replays: {
        "no-aws": { total: replays.noAws, warmup: 2_000 },
        aws: { total: replays.aws, warmup: 200 },
        hashing: { perSample: replays.hashingPerSample, warmup: 0 },
        "config-refused": { total: replays.aws, warmup: 200 },
      } satisfies Record<PathKind, unknown>,
    };
    const planFile = join(scratch, `warm-${trigger}.json`);
    writeFileSync(planFile, JSON.stringify(plan));
    await aws.resetLegacyUsers();
    const { report } = await runChild<{
      groups: WarmGroupReport[];
      outcomes: { name: string; outcome: string; refused: boolean }[];
    }>(build.runners.warm, [build.warm[trigger], planFile], {
      ...aws.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    await aws.clearEmails();
    results.push({
      trigger,
      groups: report.groups.map((group) =>
        group.kind === "no-aws"
          ? { ...group, budget: { maxP99Ms: WARM_P99_MAX_MS, met: group.p99Ms <= WARM_P99_MAX_MS } }
          : group,
      ),
      unexpectedOutcomes: report.outcomes
        .filter((o) => o.refused !== o.outcome.startsWith("threw"))
        .map((o) => `${o.name}: ${o.outcome}`),
    });
    progress(`warm latency: ${trigger}`);
  }
  return results;
}
