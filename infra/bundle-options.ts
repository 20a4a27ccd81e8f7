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
import { builtinModules, createRequire } from "node:module";
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
    // A require() of a computed name cannot be bundled or checked: refuse it (see requiresOtherThanBuiltins).
    logOverride: { "unsupported-require-call": "error" },
  };
}

/**
 * CommonJS packages in a bundle (the Encryption SDK the custom senders decrypt with, and what it
 * depends on) require() Node's built-ins, and an ES module has no `require`: the files of such a bundle
 * start with Node's. Only those: creating a `require` in every file of every bundle costs each handler's
 * cold start a little, for nothing, where no code asks for one.
 */
const NODE_REQUIRE =
  'import{createRequire as __nodeRequire}from"node:module";const require=__nodeRequire(import.meta.url);';

/** Whether the bundle leaves a CommonJS require() of a built-in to run time. */
function requiresBuiltins(metafile: Metafile): boolean {
  return Object.values(metafile.inputs).some(({ imports }) =>
    imports.some((i) => i.kind === "require-call" && i.external),
  );
}

/**
 * A CommonJS `require()` esbuild leaves to run time goes to the `require` of NODE_REQUIRE, which finds
 * Node's built-ins and nothing else: the function ships no node_modules. A bundle that would require
 * anything else would fail only on the path that loads it, in production; refuse it at build time.
 */
function requiresOtherThanBuiltins(metafile: Metafile): string[] {
  const builtins = new Set(builtinModules);
  return Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
    imports
      .filter((i) => i.kind === "require-call" && i.external)
      .filter((i) => !i.path.startsWith("node:") && !builtins.has(i.path))
      .map((i) => `${input} requires ${i.path}`),
  );
}

/** Bundles `entryPoints` into `outdir` (synchronously: CDK's local bundling cannot wait). */
export function bundle(entryPoints: Record<string, string>, outdir: string): Metafile {
  const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const options = { ...handlerBuildOptions(entryPoints, outdir), write: false as const };
  const plain = buildSync(options);
  if (!plain.metafile) throw new Error("esbuild returned no metafile");
  // Built again with Node's `require` only when the first build shows code that needs one.
  const result = requiresBuiltins(plain.metafile)
    ? buildSync({ ...options, banner: { js: NODE_REQUIRE } })
    : plain;
  if (!result.metafile) throw new Error("esbuild returned no metafile");
  const unresolvable = requiresOtherThanBuiltins(result.metafile);
  if (unresolvable.length > 0) {
    throw new Error(
      `a CommonJS require() that the bundle cannot satisfy at run time; bundle or replace the module that calls it:\n  ${unresolvable.join("\n  ")}`,
    );
  }
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  return result.metafile;
}

/** The Lambda entry of one trigger, bundled on its own into `outdir` (`index.mjs` and its chunks). */
export function bundleHandler(handlerSource: string, outdir: string): Metafile {
  return bundle({ index: handlerSource }, outdir);
}
