/**
 * Where a function's code comes from. The installed package ships every handler prebuilt (the
 * package build bundles them with bundle-options.ts), the way aws-cdk-lib ships its own
 * custom-resource handlers: a consumer's synth runs no bundler and needs neither esbuild nor this
 * repository's lockfile. In the repository there are no prebuilt assets, and each synth bundles the
 * TypeScript sources with the same options, so what deploys is what `npm run bench` measures.
 *
 * The bundles share most of their files (the AWS SDK's chunks, its credential providers, their source
 * maps), so the package stores each distinct file once, in `assets/files/` beside this module's
 * folder, and each bundle's folder `assets/<name>/` holds only the list of its files
 * (packaging/bundle-store.ts writes both). At synth the bundle is put back together from that list
 * into the function's asset, byte for byte what esbuild wrote.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, type BundlingOptions, DockerImage, type ILocalBundling } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { TriggerName } from "../triggers/lib/events.ts";
import { bundleHandler, PROJECT_ROOT } from "./bundle-options.ts";

/** The functions the suite deploys: the triggers and the existing-pool custom resource. */
export type BundleName = TriggerName | "existing-pool";

/** The prebuilt bundles of the installed package; absent in the repository. */
export const PREBUILT_ASSETS_DIR = fileURLToPath(new URL("../assets/", import.meta.url));

/** The folder of `assets/` that holds every distinct file of the prebuilt bundles, once. */
export const STORED_FILES_DIR = "files";

/** The one file of a bundle's folder: the list of the bundle's files. */
export const BUNDLE_FILE_LIST = "files.json";

/** A bundle's files: each path in the bundle (`index.mjs`, `chunks/…`) → its name in the store. */
export type BundleFileList = Record<string, string>;

/** A stored file's name: a SHA-256 in hex, and the extension it had, so a listing tells code from maps. */
const STORED_NAME = /^([0-9a-f]{64})(\.[a-z]+)?$/;

/**
 * The name a file is stored under: its contents' SHA-256, not esbuild's name for it. Every bundle has
 * its own index.mjs under the same name, and equal source maps come under different chunk names; a
 * content hash names each distinct file exactly once, and lets the synth check every copy it makes.
 */
export function storedFileName(path: string, contents: Uint8Array): string {
  return `${createHash("sha256").update(contents).digest("hex")}${extname(path)}`;
}

/** The TypeScript entry of each bundle, relative to the repository root. */
export function handlerSource(name: BundleName): string {
  return name === "existing-pool" ? "infra/existing-pool/handler.ts" : `triggers/${name}/handler.ts`;
}

/** A prebuilt bundle's list of files, or undefined if `assetsDir` has no bundle of that name. */
export function readBundleFileList(
  name: BundleName,
  assetsDir = PREBUILT_ASSETS_DIR,
): BundleFileList | undefined {
  const listFile = join(assetsDir, name, BUNDLE_FILE_LIST);
  if (!existsSync(listFile)) return undefined;
  const files = parseFileList(readFileSync(listFile, "utf8"));
  if (!files) {
    throw new Error(
      `cognito-trigger-suite: ${listFile} is not a list of stored files; reinstall the package`,
    );
  }
  return files;
}

function parseFileList(json: string): BundleFileList | undefined {
  let files: unknown;
  try {
    files = JSON.parse(json);
  } catch {
    return undefined;
  }
  const valid =
    typeof files === "object" &&
    files !== null &&
    !Array.isArray(files) &&
    Object.values(files).every((stored) => typeof stored === "string" && STORED_NAME.test(stored));
  return valid ? (files as BundleFileList) : undefined;
}

/** The stored files a bundle's list names that `assetsDir` lacks. */
export function missingStoredFiles(files: BundleFileList, assetsDir = PREBUILT_ASSETS_DIR): string[] {
  return [...new Set(Object.values(files))].filter(
    (stored) => !existsSync(join(assetsDir, STORED_FILES_DIR, stored)),
  );
}

/**
 * Writes a bundle's files into `outputDir` from the store. Each copy is checked against the hash it is
 * stored under, and no path may leave `outputDir`: what a function deploys is what esbuild wrote, or
 * the synth fails.
 */
export function materialiseBundle(
  files: BundleFileList,
  outputDir: string,
  assetsDir = PREBUILT_ASSETS_DIR,
): void {
  const root = resolve(outputDir);
  for (const [path, stored] of Object.entries(files)) {
    const target = resolve(root, path);
    if (!target.startsWith(`${root}${sep}`)) {
      throw new Error(`cognito-trigger-suite: a prebuilt bundle lists ${path}, outside its folder`);
    }
    const contents = readFileSync(join(assetsDir, STORED_FILES_DIR, stored));
    if (storedFileName(stored, contents) !== stored) {
      throw new Error(
        `cognito-trigger-suite: the stored file ${stored} (${path}) is damaged; reinstall the package`,
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
}

/**
 * The function's code asset: the prebuilt bundle when this is the installed package, otherwise the
 * source bundled now.
 */
export function handlerCode(name: BundleName): lambda.Code {
  if (existsSync(PREBUILT_ASSETS_DIR)) return prebuiltCode(name);
  const entry = `${PROJECT_ROOT}${handlerSource(name)}`;
  if (!existsSync(entry)) throw new Error(`cognito-trigger-suite: the ${name} handler is missing (${entry})`);
  return sourceBundledCode(entry);
}

/**
 * A prebuilt bundle as a code asset: its folder, put back together from the store. A package missing
 * a bundle or any of its files is broken, not a repository: say so in one line, before the synth
 * stages anything, rather than look for sources that are not there.
 */
export function prebuiltCode(name: BundleName, assetsDir = PREBUILT_ASSETS_DIR): lambda.Code {
  const files = readBundleFileList(name, assetsDir);
  if (!files) {
    throw new Error(
      `cognito-trigger-suite: the prebuilt ${name} handler is missing from ${assetsDir}; reinstall the package`,
    );
  }
  const missing = missingStoredFiles(files, assetsDir);
  if (missing.length > 0) {
    throw new Error(
      `cognito-trigger-suite: the prebuilt ${name} handler is incomplete: ${join(assetsDir, STORED_FILES_DIR)} lacks ${missing.join(", ")}; reinstall the package`,
    );
  }
  return bundledCode(join(assetsDir, name), new PrebuiltBundle(files, assetsDir));
}

/**
 * CDK local bundling from the store. `files` is a field (not only a closure) because the CDK caches
 * staged assets by a JSON of the bundling options: it identifies the bundle by its contents.
 */
class PrebuiltBundle implements ILocalBundling {
  constructor(
    readonly files: BundleFileList,
    readonly assetsDir: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    materialiseBundle(this.files, outputDir, this.assetsDir);
    return true;
  }
}

/**
 * CDK local bundling with the esbuild API. `entry` is a field (not only a closure) because the CDK
 * caches staged assets by a JSON of the bundling options: without it, all bundles would share one.
 */
class LocalEsbuild implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    bundleHandler(this.entry, outputDir);
    return true;
  }
}

/** The folder esbuild writes (index.mjs, its chunks and source maps). */
function sourceBundledCode(entry: string): lambda.Code {
  return bundledCode(PROJECT_ROOT, new LocalEsbuild(entry));
}

/**
 * The folder a local bundler writes, hashed by that output: the asset's hash is that of the bytes
 * that deploy. Local bundling either succeeds or throws, so the Docker image is never pulled or run;
 * the CDK only requires one to be named.
 */
function bundledCode(sourcePath: string, local: ILocalBundling): lambda.Code {
  const bundling: BundlingOptions = { image: DockerImage.fromRegistry("local-bundling-only"), local };
  return lambda.Code.fromAsset(sourcePath, { assetHashType: AssetHashType.OUTPUT, bundling });
}
