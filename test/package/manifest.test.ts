/** The npm package's manifest and the import scan the package build checks it with. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importedPackages, packageName } from "../../packaging/bare-imports.ts";
import { packageManifest, type RepositoryManifest } from "../../packaging/manifest.ts";

const repository = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as RepositoryManifest & { bin: Record<string, string> };

describe("the package manifest", () => {
  const manifest = packageManifest(repository) as Record<string, Record<string, unknown>>;

  it("keeps the repository's runtime dependencies except tsx, at the same exact versions", () => {
    const { tsx, ...runtime } = repository.dependencies;
    expect(tsx).toBeDefined();
    expect(manifest.dependencies).toEqual(runtime);
  });

  it("makes aws-cdk-lib and constructs peers from the versions the repository builds with", () => {
    expect(manifest.peerDependencies).toEqual({
      "aws-cdk-lib": `^${repository.devDependencies["aws-cdk-lib"]}`,
      constructs: `^${repository.devDependencies.constructs}`,
    });
  });

  it("exports the construct from the package root, with types, and the CLI as cognito-triggers", () => {
    expect(manifest.exports?.["."]).toEqual({ types: "./infra/index.d.ts", default: "./infra/index.js" });
    expect(manifest.bin).toEqual({ "cognito-triggers": "./cli/bin.js" });
    expect(Object.keys(repository.bin)).toEqual(["cognito-triggers"]);
    expect(manifest.engines).toEqual(repository.engines);
    expect(manifest).not.toHaveProperty("scripts");
    expect(manifest).not.toHaveProperty("devDependencies");
  });
});

describe("the handlers' imports, as the package build's dependency rule sees them", () => {
  const root = new URL("../../triggers/", import.meta.url);
  const sources = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => readFileSync(join(root.pathname, path), "utf8"))
    // Type-only imports are erased from the compiled modules the build scans.
    .map((code) => code.replace(/\b(?:import|export)\s+type\b[^;]*;/g, ""));
  const imported = new Set(sources.flatMap((code) => [...importedPackages(code)]));

  it("imports only the package's runtime dependencies (the prebuilt bundles and the CLI run them)", () => {
    expect([...imported].filter((name) => !(name in repository.dependencies))).toEqual([]);
  });

  it("imports the custom senders' Encryption SDK (its decrypt side), KMS and SNS clients itself, so the package declares them", () => {
    const senders = [
      "@aws-crypto/decrypt-node",
      "@aws-crypto/kms-keyring-node",
      "@aws-crypto/material-management-node",
      "@aws-sdk/client-kms",
      "@aws-sdk/client-sns",
    ];
    for (const name of senders) {
      expect(imported).toContain(name);
      expect(repository.dependencies).toHaveProperty([name]);
    }
  });
});

describe("the import scan", () => {
  it("names packages of static, re-exported, side-effect and literal dynamic imports, and skips built-ins and relatives", () => {
    const code = [
      'import{a as b}from"aws-cdk-lib/aws-iam";',
      'import * as x from "constructs";',
      'export { y } from "@aws-sdk/client-ses";',
      'import "hash-wasm";',
      'const m = await import("bcryptjs");',
      'import { readFile } from "node:fs/promises";',
      'import { join } from "path";',
      'import { z } from "./local.js";',
      'const { p } = await import("../parent.js");',
    ].join("\n");
    expect([...importedPackages(code)].sort()).toEqual([
      "@aws-sdk/client-ses",
      "aws-cdk-lib",
      "bcryptjs",
      "constructs",
      "hash-wasm",
    ]);
  });

  it("reduces a specifier to its package name", () => {
    expect(packageName("@aws-sdk/client-dynamodb/dist/x")).toBe("@aws-sdk/client-dynamodb");
    expect(packageName("aws-cdk-lib/aws-lambda")).toBe("aws-cdk-lib");
  });
});
