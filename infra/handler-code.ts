/**
 * Where a function's code comes from. The installed package ships every handler prebuilt (the
 * package build bundles them with bundle-options.ts into `assets/<name>/`, beside this module's
 * folder), the way aws-cdk-lib ships its own custom-resource handlers: a consumer's synth runs no
 * bundler and needs neither esbuild nor this repository's lockfile. In the repository there are no
 * prebuilt assets, and each synth bundles the TypeScript sources with the same options, so what
 * deploys is what `npm run bench` measures.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AssetHashType, type BundlingOptions, DockerImage, type ILocalBundling } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { TriggerName } from "../triggers/lib/events.ts";
import { bundleHandler, ENTRY_FILE, PROJECT_ROOT } from "./bundle-options.ts";

/** The functions the suite deploys: the seven triggers and the existing-pool custom resource. */
export type BundleName = TriggerName | "existing-pool";

/** The prebuilt bundles of the installed package; absent in the repository. */
export const PREBUILT_ASSETS_DIR = fileURLToPath(new URL("../assets/", import.meta.url));

/** The TypeScript entry of each bundle, relative to the repository root. */
export function handlerSource(name: BundleName): string {
  return name === "existing-pool" ? "infra/existing-pool/handler.ts" : `triggers/${name}/handler.ts`;
}

/** The folder of a prebuilt bundle, if this is the installed package. */
export function prebuiltAssetDir(name: BundleName): string | undefined {
  const dir = `${PREBUILT_ASSETS_DIR}${name}`;
  return existsSync(`${dir}/${ENTRY_FILE}`) ? dir : undefined;
}

/**
 * The function's code asset: the prebuilt bundle when the package ships one, otherwise the source
 * bundled now. A package missing some of its assets is broken, not a repository: say so rather than
 * look for sources that are not there.
 */
export function handlerCode(name: BundleName): lambda.Code {
  const prebuilt = prebuiltAssetDir(name);
  if (prebuilt) return lambda.Code.fromAsset(prebuilt);
  if (existsSync(PREBUILT_ASSETS_DIR)) {
    throw new Error(
      `cognito-trigger-suite: the prebuilt ${name} handler is missing from ${PREBUILT_ASSETS_DIR}; reinstall the package`,
    );
  }
  const entry = `${PROJECT_ROOT}${handlerSource(name)}`;
  if (!existsSync(entry)) throw new Error(`cognito-trigger-suite: the ${name} handler is missing (${entry})`);
  return sourceBundledCode(entry);
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

/**
 * The folder esbuild writes (index.mjs, its chunks and source maps), hashed by that output. Local
 * bundling either succeeds or throws, so the Docker image is never pulled or run; the CDK only
 * requires one to be named.
 */
function sourceBundledCode(entry: string): lambda.Code {
  const bundling: BundlingOptions = {
    image: DockerImage.fromRegistry("local-esbuild-bundling-only"),
    local: new LocalEsbuild(entry),
  };
  return lambda.Code.fromAsset(PROJECT_ROOT, { assetHashType: AssetHashType.OUTPUT, bundling });
}
