/**
 * How a trigger handler is bundled: the one definition that both the CDK app (what deploys) and
 * `npm run bench` (what is measured) use.
 *
 * ES modules with code splitting. What a handler imports lazily (the audit trail's DynamoDB store and
 * with it the AWS SDK, the SES mailer, bcryptjs, the SDK's own credential providers) lands in chunks
 * that are read only on the path that needs them, so an allowed sign-up or a custom message starts
 * without parsing the SDK. A single-file bundle (NodejsFunction's --outfile, which cannot split)
 * parses all of it on every cold start: about 50 ms more for pre sign-up here.
 *
 * Minified, tree-shaken, the AWS SDK included (not loaded unbundled from the runtime), a linked source
 * map per file without the sources, and the ES module build of packages that ship one
 * (mainFields module,main), which lets esbuild keep only what is imported (hash-wasm: argon2 alone).
 *
 * esbuild is a development dependency: the installed package ships the bundles prebuilt
 * (handler-code.ts) and never loads it, so it is required only when a bundle is built.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Metafile } from "esbuild";

export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The entry file of every bundle; Lambda's handler setting is `index.handler`. */
export const ENTRY_FILE = "index.mjs";
export const LAMBDA_HANDLER = "index.handler";

/** The options for one build. `entryPoints` maps output names to sources: `{ index: <handler.ts> }`. */
export function handlerBuildOptions(entryPoints: Record<string, string>, outdir: string): BuildOptions {
  return {
    entryPoints,
    outdir,
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    splitting: true,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    mainFields: ["module", "main"],
    external: [],
    minify: true,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "warning",
  };
}

/**
 * esbuild turns a CommonJS `require()` it cannot resolve into a stub that throws "Dynamic require of
 * ... is not supported" when an ES module bundle runs it: in a lazily loaded chunk that would only
 * fail on the path that loads it, in production. Refuse such a bundle at build time instead.
 */
const DYNAMIC_REQUIRE_STUB = "Dynamic require of";

/** Bundles `entryPoints` into `outdir` (synchronously: CDK's local bundling cannot wait). */
export function bundle(entryPoints: Record<string, string>, outdir: string): Metafile {
  const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const result = buildSync({ ...handlerBuildOptions(entryPoints, outdir), write: false });
  for (const file of result.outputFiles) {
    if (file.path.endsWith(".mjs") && file.text.includes(DYNAMIC_REQUIRE_STUB)) {
      throw new Error(
        `${file.path}: a CommonJS require() that an ES module bundle cannot run; bundle or replace the module that calls it`,
      );
    }
  }
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  if (!result.metafile) throw new Error("esbuild returned no metafile");
  return result.metafile;
}

/** The Lambda entry of one trigger, bundled on its own into `outdir` (`index.mjs` and its chunks). */
export function bundleHandler(handlerSource: string, outdir: string): Metafile {
  return bundle({ index: handlerSource }, outdir);
}
