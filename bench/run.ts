/**
 * The bench itself (see main.ts): bundles, measures, judges, reports. Returns the exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../infra/bundle-options.ts";
import { buildBench, TRIGGER_NAMES } from "./build.ts";
import { COLD_CASES } from "./cases.ts";
import { measureColdStarts } from "./cold-starts.ts";
import { startLocalAws } from "./local-aws.ts";
import { measurePackage } from "./package-size.ts";
import { type BenchResults, renderTables, renderVerdicts, verdicts } from "./report.ts";
import { loadSample } from "./samples.ts";
import { measureThroughput } from "./throughput.ts";
import { measureWarm } from "./warm-latency.ts";

const USAGE = `usage: npm run bench -- [--rounds <n>] [--replays <n>] [--aws-replays <n>] [--quick] [--only cold|warm|throughput] [--keep] [--out <file>]`;
const PARTS = ["cold", "warm", "throughput"] as const;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number above 0, got ${value}`);
  return n;
}

export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: "string" },
      replays: { type: "string" },
      "aws-replays": { type: "string" },
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      keep: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = values.quick ?? false;
  const rounds = positiveInteger("rounds", values.rounds, quick ? 8 : 100);
  const replays = positiveInteger("replays", values.replays, quick ? 2_000 : 10_000);
  const awsReplays = positiveInteger("aws-replays", values["aws-replays"], quick ? 300 : 10_000);
  const parts = new Set(values.only ?? PARTS);
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part))
      throw new Error(`--only takes ${PARTS.join(", ")}; got ${part}`);
  }
  const out = resolve(values.out ?? join(PROJECT_ROOT, "bench", "results.json"));
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const started = Date.now();

  const scratch = mkdtempSync(join(tmpdir(), "cognito-trigger-bench-"));
  const aws = await startLocalAws({
    audit: loadSample("post-authentication/sign-in").env.AUDIT_TABLE_NAME ?? "audit",
    legacyUsers: loadSample("user-migration/authentication").env.LEGACY_USERS_TABLE_NAME ?? "legacy-users",
  });
  let results: BenchResults;
  try {
    progress("bundling with infra/bundle-options.ts");
    const build = await buildBench(scratch);
    progress("building and packing the npm package");
    const npmPackage = measurePackage();
    const coldStarts = parts.has("cold")
      ? await measureColdStarts(build, COLD_CASES, aws, rounds, progress)
      : [];
    const warm = !parts.has("warm")
      ? []
      : await measureWarm(
          build,
          TRIGGER_NAMES,
          aws,
          { noAws: replays, aws: awsReplays, hashingPerSample: quick ? 1 : 5 },
          scratch,
          progress,
        );
    if (parts.has("throughput")) progress("throughput");
    const throughput = !parts.has("throughput")
      ? []
      : await measureThroughput(
          build,
          aws,
          quick
            ? { concurrency: [1, 16], blockMs: 500, pairs: 2 }
            : { concurrency: [1, 16], blockMs: 60, pairs: 300 },
          scratch,
        );
    results = {
      sizes: {
        handlers: Object.fromEntries(
          TRIGGER_NAMES.map((t) => [t, build.handlers[t].sizes]),
        ) as BenchResults["sizes"]["handlers"],
        baselines: Object.fromEntries(
          Object.entries(build.baselines).map(([name, b]) => [name, b.sizes]),
        ) as BenchResults["sizes"]["baselines"],
        package: npmPackage,
      },
      coldStarts,
      warm,
      throughput,
    };
  } finally {
    await aws.stop();
    if (values.keep) progress(`bundles kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }

  const list = verdicts(results);
  console.log(renderTables(results, { rounds }));
  console.log("");
  console.log(renderVerdicts(list));
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        measuredAt: new Date(started).toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        machine: {
          node: process.version,
          platform: process.platform,
          arch: process.arch,
          cpus: cpus().length,
        },
        settings: { rounds, replays, awsReplays, quick, parts: [...parts] },
        verdicts: list,
        ...results,
      },
      null,
      2,
    )}\n`,
  );
  progress(`results in ${out} (${Math.round((Date.now() - started) / 1000)} s)`);
  if (list.some((v) => v.kind === "check" && !v.met)) return 2;
  return list.some((v) => !v.met) ? 1 : 0;
}
