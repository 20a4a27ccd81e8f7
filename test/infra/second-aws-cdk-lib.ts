/**
 * A second copy of aws-cdk-lib, as a consumer's CDK app has one when its aws-cdk-lib is not the copy the
 * suite imports (another version, installed beside the suite's). The installed package is linked file
 * by file into a temporary node_modules (hard links, or copies across file systems), so Node loads it
 * as modules of their own: its classes are not this copy's, and `instanceof` between the two fails as
 * it would in the consumer's app. Everything else in that node_modules (constructs, aws-cdk-lib's
 * unbundled dependencies) links to the installed package, as a peer dependency resolves.
 */
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface SecondAwsCdkLib {
  /** Loads modules of the second copy: `require("aws-cdk-lib/aws-cognito")`. */
  readonly require: NodeJS.Require;
  cleanup(): void;
}

export function secondAwsCdkLib(): SecondAwsCdkLib {
  const installed = dirname(createRequire(import.meta.url).resolve("aws-cdk-lib/package.json"));
  const nodeModules = dirname(installed);
  const root = mkdtempSync(join(tmpdir(), "second-aws-cdk-lib-"));
  const target = join(root, "node_modules");
  mkdirSync(target);
  try {
    linkTree(installed, join(target, "aws-cdk-lib"));
    for (const entry of readdirSync(nodeModules)) {
      if (entry === "aws-cdk-lib" || entry.startsWith(".")) continue;
      symlinkSync(join(nodeModules, entry), join(target, entry));
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    require: createRequire(join(target, "index.js")),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

function linkTree(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const destination = join(to, entry);
    const stat = lstatSync(source);
    if (stat.isDirectory()) linkTree(source, destination);
    else if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), destination);
    else {
      try {
        linkSync(source, destination);
      } catch {
        copyFileSync(source, destination);
      }
    }
  }
}
