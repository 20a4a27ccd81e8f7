/**
 * Builds everything the bench runs into a scratch folder: each trigger's Lambda entry exactly as the
 * CDK app bundles it (infra/bundle-options.ts), the baselines with the same options, each trigger's
 * createHandler for the warm replays, post authentication with the shared client for the throughput
 * run, and the runner scripts (plain ES modules, so no TypeScript loader weighs on a cold start).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { bundle, bundleHandler, ENTRY_FILE, PROJECT_ROOT } from "../infra/bundle-options.ts";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";

export const TRIGGER_NAMES = Object.keys(TRIGGERS) as TriggerName[];

export const BASELINES = {
  empty: "bench/baselines/empty-handler.ts",
  "bare-put-item": "bench/baselines/bare-put-item.ts",
  "bare-put-item-and-send-email": "bench/baselines/bare-put-item-and-send-email.ts",
  "bare-migration": "bench/baselines/bare-migration.ts",
  "bare-decrypt-and-send-email": "bench/baselines/bare-decrypt-and-send-email.ts",
  "bare-kms-decrypt-and-send-email": "bench/baselines/bare-kms-decrypt-and-send-email.ts",
  "bare-decrypt-and-publish": "bench/baselines/bare-decrypt-and-publish.ts",
} as const;
export type BaselineName = keyof typeof BASELINES;

/** Bytes of JavaScript (source maps excluded). */
export interface BundleSizes {
  /** index.mjs alone. */
  entry: number;
  /** index.mjs and every chunk it imports statically: what a cold start reads before the first answer. */
  loaded: number;
  /** Every chunk, including those only a dynamic import() loads. */
  total: number;
  files: number;
}

export interface BuiltBundle {
  url: string;
  sizes: BundleSizes;
}

export interface BenchBuild {
  handlers: Record<TriggerName, BuiltBundle>;
  baselines: Record<BaselineName, BuiltBundle>;
  /** Each trigger's trigger.ts (createHandler), bundled with the same options, with sdk-clients.mjs beside it. */
  warm: Record<TriggerName, string>;
  /** Folder (URL, with a trailing slash) of trigger.mjs + throughput-client.mjs for post authentication. */
  throughput: string;
  runners: { coldStart: string; warm: string; throughput: string };
}

export async function buildBench(dir: string): Promise<BenchBuild> {
  const source = (path: string) => resolve(PROJECT_ROOT, path);
  const built = (outdir: string, metafile: Metafile): BuiltBundle => ({
    url: pathToFileURL(resolve(outdir, ENTRY_FILE)).href,
    sizes: sizesOf(metafile, resolve(outdir, ENTRY_FILE)),
  });

  const handlers = {} as Record<TriggerName, BuiltBundle>;
  const warm = {} as Record<TriggerName, string>;
  for (const trigger of TRIGGER_NAMES) {
    const outdir = resolve(dir, "handlers", trigger);
    handlers[trigger] = built(outdir, bundleHandler(source(`triggers/${trigger}/handler.ts`), outdir));
    const warmDir = resolve(dir, "warm", trigger);
    bundle(
      { trigger: source(`triggers/${trigger}/trigger.ts`), "sdk-clients": source("bench/sdk-clients.ts") },
      warmDir,
    );
    warm[trigger] = pathToFileURL(resolve(warmDir, "trigger.mjs")).href;
  }
  const baselines = {} as Record<BaselineName, BuiltBundle>;
  for (const [name, path] of Object.entries(BASELINES) as [BaselineName, string][]) {
    const outdir = resolve(dir, "baselines", name);
    baselines[name] = built(outdir, bundleHandler(source(path), outdir));
  }
  const throughputDir = resolve(dir, "throughput");
  bundle(
    {
      trigger: source("triggers/post-authentication/trigger.ts"),
      "throughput-client": source("bench/throughput-client.ts"),
    },
    throughputDir,
  );

  const runnersDir = resolve(dir, "runners");
  await build({
    entryPoints: {
      "cold-start": source("bench/runners/cold-start.ts"),
      warm: source("bench/runners/warm.ts"),
      throughput: source("bench/runners/throughput.ts"),
    },
    outdir: runnersDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  return {
    handlers,
    baselines,
    warm,
    throughput: `${pathToFileURL(throughputDir).href}/`,
    runners: {
      coldStart: resolve(runnersDir, "cold-start.mjs"),
      warm: resolve(runnersDir, "warm.mjs"),
      throughput: resolve(runnersDir, "throughput.mjs"),
    },
  };
}

/** Sizes from esbuild's metafile, whose output paths are relative to the project root. */
export function sizesOf(metafile: Metafile, entryPath: string): BundleSizes {
  const outputs = new Map(
    Object.entries(metafile.outputs)
      .filter(([path]) => path.endsWith(".mjs"))
      .map(([path, output]) => [resolve(PROJECT_ROOT, path), output]),
  );
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    const output = outputs.get(path);
    if (!output) throw new Error(`esbuild metafile has no output ${path}`);
    loaded.add(path);
    for (const imported of output.imports) {
      if (imported.kind === "import-statement" && !imported.external)
        visit(resolve(PROJECT_ROOT, imported.path));
    }
  };
  visit(entryPath);
  const bytes = (paths: Iterable<string>) =>
    [...paths].reduce((sum, p) => sum + (outputs.get(p)?.bytes ?? 0), 0);
  return {
    entry: outputs.get(entryPath)?.bytes ?? 0,
    loaded: bytes(loaded),
    total: bytes(outputs.keys()),
    files: outputs.size,
  };
}
