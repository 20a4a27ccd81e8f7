/**
 * `npm run build`: the npm package, in dist/.
 * - The construct, the CLI and the handlers' modules the CLI runs, compiled to ES modules with type
 *   declarations (tsconfig.package.json).
 * - Every function's bundle, built now with the options the CDK app and the bench use
 *   (infra/bundle-options.ts), each distinct file stored once in assets/files/ and each bundle's
 *   folder assets/<name>/ a list of its files (bundle-store.ts), from which the construct rebuilds it
 *   (infra/handler-code.ts): a consumer's synth bundles nothing.
 * - package.json (manifest.ts), the README and docs/.
 * The build fails if the compiled code imports a package the manifest does not declare, or the
 * manifest declares one nothing imports.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { LOCAL_POOL_PACKAGES } from "../cli/local-pool-requirements.ts";
import { bundleHandler, PROJECT_ROOT } from "../infra/bundle-options.ts";
import { type BundleName, handlerSource } from "../infra/handler-code.ts";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";
import { importedPackages } from "./bare-imports.ts";
import { checkStore, storeBundle } from "./bundle-store.ts";
import { PACKAGE_ENTRY, packageManifest, type RepositoryManifest } from "./manifest.ts";

export const DIST = join(PROJECT_ROOT, "dist");

/** The local pool's modules: the only ones that load its emulators (cli/local-pool-requirements.ts). */
const LOCAL_POOL_DIR = "cli/local/";

/** Files the compiled code reads at run time besides modules. */
const RUNTIME_FILES = ["cli/local/local.env"];

export const BUNDLES: readonly BundleName[] = [...(Object.keys(TRIGGERS) as TriggerName[]), "existing-pool"];

export interface BuildOptions {
  /** A folder to receive a copy of each bundle as esbuild wrote it, in `<name>/` (the tests compare). */
  keepBundlesIn?: string;
}

/** Builds the package into `outDir` (dist/ by default; the tests and the bench use folders of their own). */
export function buildPackage(outDir = DIST, options: BuildOptions = {}): void {
  rmSync(outDir, { recursive: true, force: true });
  compile(outDir);
  for (const file of RUNTIME_FILES) cpSync(join(PROJECT_ROOT, file), join(outDir, file));
  const assetsDir = join(outDir, "assets");
  for (const name of BUNDLES) {
    bundleHandler(join(PROJECT_ROOT, handlerSource(name)), join(assetsDir, name));
    storeBundle(assetsDir, name, options.keepBundlesIn);
  }
  checkStore(assetsDir, BUNDLES);
  const repository = JSON.parse(
    readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"),
  ) as RepositoryManifest;
  const manifest = packageManifest(repository);
  checkDependencies(outDir, manifest);
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(PROJECT_ROOT, "README.md"), join(outDir, "README.md"));
  cpSync(join(PROJECT_ROOT, "docs"), join(outDir, "docs"), { recursive: true });
  chmodSync(join(outDir, PACKAGE_ENTRY.bin), 0o755);
}

function compile(outDir: string): void {
  const tsc = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      "tsconfig.package.json",
      "--outDir",
      outDir,
    ],
    { cwd: PROJECT_ROOT, stdio: "inherit" },
  );
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.package.json failed (exit ${tsc.status})`);
}

/** Every JavaScript module of the package outside the prebuilt bundles (which carry their own code). */
function compiledModules(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return relative(root, path) === "assets" ? [] : compiledModules(root, path);
    return entry.name.endsWith(".js") ? [path] : [];
  });
}

/**
 * The manifest's dependencies are exactly what the compiled code imports, apart from the peer
 * dependencies and the local pool's emulators (development tools `local` asks for when missing).
 */
function checkDependencies(outDir: string, manifest: Record<string, unknown>): void {
  const imported = new Map<string, string>();
  for (const file of compiledModules(outDir)) {
    const path = relative(outDir, file);
    for (const name of importedPackages(readFileSync(file, "utf8"))) {
      // Only the local pool may load an emulator; anywhere else it would be a missing dependency.
      if (name in LOCAL_POOL_PACKAGES && path.startsWith(LOCAL_POOL_DIR)) continue;
      imported.set(name, path);
    }
  }
  const declared = new Set([
    ...Object.keys(manifest.dependencies as object),
    ...Object.keys(manifest.peerDependencies as object),
  ]);
  const problems = [
    ...[...imported]
      .filter(([name]) => !declared.has(name))
      .map(([name, file]) => `${file} imports ${name}, which the package does not declare`),
    ...[...declared]
      .filter((name) => !imported.has(name))
      .map((name) => `the package declares ${name}, which nothing in it imports`),
  ];
  if (problems.length > 0) throw new Error(`package dependencies:\n  ${problems.join("\n  ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  buildPackage();
  console.log(
    `built the package in ${relative(process.cwd(), DIST) || "."} (${Math.round(performance.now() - started)} ms)`,
  );
}
