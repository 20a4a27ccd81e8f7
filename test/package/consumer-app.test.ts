/**
 * The npm package as a CDK user gets it: built (packaging/build.ts), packed, installed from the
 * tarball into a fresh app in a temporary folder, next to the aws-cdk-lib, constructs and cdk-nag the
 * app brings itself. That app is plain JavaScript (test/package/consumer/): it synthesizes a pool of
 * its own (ES modules) and a pool imported by id (CommonJS), with cdk-nag's checks on; a TypeScript
 * version of it type-checks against the package's declarations. The consumer's synth must find every
 * handler prebuilt: no esbuild, tsx or TypeScript is installed with the package.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackage } from "../../packaging/build.ts";
import { TRIGGERS } from "../../triggers/lib/events.ts";
import { SUITE_LAMBDA_CONFIG_KEYS } from "../support/lambda-config-keys.ts";
import { npm, runCommand } from "./run-command.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSUMER_FILES = fileURLToPath(new URL("./consumer/", import.meta.url));
const repository = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
/** What a CDK app brings itself, at the versions this repository builds with. */
const APP_DEPENDENCIES = ["aws-cdk-lib", "constructs", "cdk-nag"].map(
  (name) => `${name}@${repository.devDependencies[name]}`,
);

interface PackedFile {
  path: string;
  size: number;
}
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

let app: string;
let packed: PackedFile[];

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "consumer-app-"));
  const dist = join(app, "package");
  buildPackage(dist);
  const pack = await npm(["pack", dist, "--pack-destination", app, "--json"], ROOT);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [tarball] = JSON.parse(pack.stdout) as { filename: string; files: PackedFile[] }[];
  if (!tarball) throw new Error("npm pack reported no tarball");
  packed = tarball.files;

  await cp(CONSUMER_FILES, app, { recursive: true });
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer-app", private: true, type: "module" }),
  );
  const install = await npm(
    ["install", "--prefer-offline", `./${tarball.filename}`, ...APP_DEPENDENCIES],
    app,
  );
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 600_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

async function synth(appFile: string, env: NodeJS.ProcessEnv = {}) {
  const outdir = join(app, `out-${appFile}-${Object.keys(env).join("-")}`);
  const run = await runCommand(process.execPath, [appFile], {
    cwd: app,
    env: { CDK_OUTDIR: outdir, ...env },
  });
  const templateFile = readdirSync(outdir).find((name) => name.endsWith(".template.json"));
  const template =
    run.code === 0 && templateFile
      ? (JSON.parse(readFileSync(join(outdir, templateFile), "utf8")) as Template)
      : undefined;
  return { ...run, outdir, template };
}

function resourcesOf(template: Template | undefined, type: string) {
  return Object.values(template?.Resources ?? {}).filter((resource) => resource.Type === type);
}

describe("the npm package", () => {
  it("holds the compiled construct, CLI and prebuilt handlers, and no tests, fixtures, sources, local data or secrets", () => {
    const paths = packed.map((file) => file.path);
    expect(paths).toContain("package.json");
    expect(paths).toContain("infra/index.js");
    expect(paths).toContain("infra/index.d.ts");
    expect(paths).toContain("cli/bin.js");
    for (const name of [...Object.keys(TRIGGERS), "existing-pool"])
      expect(paths).toContain(`assets/${name}/index.mjs`);
    const unexpected = paths.filter(
      (path) =>
        /(^|\/)(test|tests|fixtures|bench|events|cdk\.out|\.local|\.cognito|node_modules)\//.test(path) ||
        /\.test\.|\.pem$|\.key$|(^|\/)\.env|\.tgz$|tsconfig|legacy-users\.json$/.test(path) ||
        (path.endsWith(".ts") && !path.endsWith(".d.ts")) ||
        !/\.(js|mjs|map|d\.ts|md|json|env)$/.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(paths.filter((path) => path.endsWith(".json"))).toEqual(["package.json"]);
  });

  it("ships every function's bundle ready to run: each assets/<name>/index.mjs loads and exports handler", async () => {
    const names = [...Object.keys(TRIGGERS), "existing-pool"];
    // Without configuration the handlers log (on stderr) that they refuse every request; a file holds the answer.
    const script = `import { writeFileSync } from "node:fs";
const types = {};
for (const name of ${JSON.stringify(names)}) {
  types[name] = typeof (await import(\`./node_modules/cognito-trigger-suite/assets/\${name}/index.mjs\`)).handler;
}
writeFileSync("handler-types.json", JSON.stringify(types));`;
    await writeFile(join(app, "load-assets.mjs"), script);
    const { code } = await runCommand(process.execPath, ["load-assets.mjs"], { cwd: app });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(app, "handler-types.json"), "utf8"))).toEqual(
      Object.fromEntries(names.map((name) => [name, "function"])),
    );
  });

  it("declares its runtime needs as dependencies and the CDK as peers, and installs no bundler or TypeScript", () => {
    const manifest = JSON.parse(
      readFileSync(join(app, "node_modules/cognito-trigger-suite/package.json"), "utf8"),
    );
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["aws-cdk-lib", "constructs"]);
    expect(manifest.dependencies).not.toHaveProperty("tsx");
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
    for (const tool of ["esbuild", "@esbuild", "tsx", "typescript", "cognito-local", "dynalite"]) {
      expect(existsSync(join(app, "node_modules", tool)), tool).toBe(false);
    }
  });

  it("synthesizes a pool the app creates (ES modules) with all seven triggers, cdk-nag passing, the handlers prebuilt", async () => {
    const { code, stderr, template, outdir } = await synth("owned-pool-app.mjs");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [pool] = resourcesOf(template, "AWS::Cognito::UserPool");
    expect(Object.keys(pool?.Properties.LambdaConfig as object).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
    expect(resourcesOf(template, "AWS::Lambda::Function")).toHaveLength(8);
    // Each function's asset is a package bundle, copied, not built: the same index.mjs byte for byte.
    const shipped = new Set(
      [...Object.keys(TRIGGERS), "existing-pool"].map((name) =>
        readFileSync(join(app, "node_modules/cognito-trigger-suite/assets", name, "index.mjs"), "utf8"),
      ),
    );
    const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
    expect(assets).toHaveLength(8);
    for (const asset of assets)
      expect(shipped.has(readFileSync(join(outdir, asset, "index.mjs"), "utf8"))).toBe(true);
  });

  it("synthesizes a pool imported with UserPool.fromUserPoolId (CommonJS) through the existing-pool custom resource", async () => {
    const { code, stderr, template } = await synth("existing-pool-app.cjs");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [attachment] = resourcesOf(template, "Custom::CognitoTriggerSuiteAttachment");
    expect(Object.keys(attachment?.Properties.LambdaConfig as object).sort()).toEqual(
      SUITE_LAMBDA_CONFIG_KEYS,
    );
    expect(attachment?.Properties.UserPoolId).toBe("eu-west-1_AbCdEf123");
    expect(resourcesOf(template, "AWS::Lambda::Function")).toHaveLength(8);
  });

  it("runs cdk-nag for real in the consumer's app: without the app's own acknowledgment its synth fails", async () => {
    const { code, stderr } = await synth("owned-pool-app.mjs", { WITHOUT_POOL_ACKNOWLEDGMENT: "1" });
    expect(code).not.toBe(0);
    expect(stderr).toContain("AwsSolutions-COG8");
  });

  it("types the construct, its props and settings for a TypeScript app", async () => {
    const tsc = await runCommand(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."],
      {
        cwd: app,
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("installs the cognito-triggers command: help, replay and audit run; local says how to get its emulators", async () => {
    const bin = join(app, "node_modules/.bin/cognito-triggers");
    const help = await runCommand(bin, ["--help"], { cwd: app });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: cognito-triggers");
    // The compiled cli/ reads the version from the package.json one level above it.
    const version = await runCommand(bin, ["--version"], { cwd: app });
    expect(version).toEqual({ code: 0, stdout: `${repository.version}\n`, stderr: "" });
    const replay = await runCommand(bin, ["replay", join(ROOT, "events/pre-sign-up")], { cwd: app });
    expect(replay.stderr).toBe("");
    expect(replay.stdout).toMatch(/replayed \d+ samples: \d+ as expected, 0 mismatched/);
    expect(replay.code).toBe(0);
    const audit = await runCommand(bin, ["audit", "--help"], { cwd: app });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain("audit");
    const local = await runCommand(bin, ["local"], { cwd: app });
    expect(local.code).toBe(1);
    expect(local.stderr).toContain("npm install --save-dev cognito-local@");
    expect(local.stderr).not.toMatch(/\n\s+at /);
  });
});
