/**
 * The npm package as a CDK user gets it: built (packaging/build.ts), packed, installed from the
 * tarball into a fresh app in a temporary folder, next to the aws-cdk-lib, constructs and cdk-nag the
 * app brings itself. That app is plain JavaScript (test/package/consumer/): it synthesizes a pool of
 * its own (ES modules) and a pool imported by id (CommonJS), with cdk-nag's checks on; a TypeScript
 * version of it type-checks against the package's declarations. The consumer's synth must find every
 * handler prebuilt: no esbuild, tsx or TypeScript is installed with the package. The package stores
 * each prebuilt file once and each function's folder is rebuilt from a list at synth: what deploys
 * is compared, file by file, with what the build's esbuild wrote.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUNDLE_FILE_LIST,
  type BundleFileList,
  type BundleName,
  STORED_FILES_DIR,
  storedFileName,
} from "../../infra/handler-code.ts";
import { BUNDLES, buildPackage } from "../../packaging/build.ts";
import { filesUnder, folderDifferences } from "../../packaging/bundle-store.ts";
import { isOptionalTrigger, TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import { SUITE_LAMBDA_CONFIG_KEYS } from "../support/lambda-config-keys.ts";
import { npm, runCommand } from "./run-command.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSUMER_FILES = fileURLToPath(new URL("./consumer/", import.meta.url));
const repository = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
/** What a deployment without optional triggers runs: the triggers it always attaches, and the existing-pool custom resource. */
const DEPLOYED_BUNDLES: BundleName[] = [
  ...(Object.keys(TRIGGERS) as TriggerName[]).filter((name) => !isOptionalTrigger(name)),
  "existing-pool",
];
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
/** Each bundle as the package build's esbuild wrote it, in `<name>/`. */
let esbuildOutput: string;
let packed: PackedFile[];

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "consumer-app-"));
  const dist = join(app, "package");
  esbuildOutput = join(app, "esbuild-output");
  buildPackage(dist, { keepBundlesIn: esbuildOutput });
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

const installed = () => join(app, "node_modules/cognito-trigger-suite");
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function synth(appFile: string, env: NodeJS.ProcessEnv = {}, cwd = app) {
  const outdir = join(cwd, `out-${appFile}-${Object.keys(env).join("-")}`);
  const run = await runCommand(process.execPath, [appFile], {
    cwd,
    env: { CDK_OUTDIR: outdir, ...env },
  });
  const templateFile = existsSync(outdir)
    ? readdirSync(outdir).find((name) => name.endsWith(".template.json"))
    : undefined;
  const template =
    run.code === 0 && templateFile
      ? (JSON.parse(readFileSync(join(outdir, templateFile), "utf8")) as Template)
      : undefined;
  return { ...run, outdir, template };
}

function resourcesOf(template: Template | undefined, type: string) {
  return Object.values(template?.Resources ?? {}).filter((resource) => resource.Type === type);
}

/** What the CDK writes to stderr whatever the app: a line per asset it bundles (here, rebuilds). */
function besidesBundlingLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !/^Bundling asset \S+\.\.\.$/.test(line));
}

/**
 * The bundle each function of a synthesized app deploys, by comparing its staged folder file by file
 * with every folder the build's esbuild wrote, and checking that it holds exactly the files its
 * bundle's list names, each with the bytes the list names.
 */
function deployedBundles(outdir: string, template: Template | undefined): BundleName[] {
  return resourcesOf(template, "AWS::Lambda::Function").map((fn) => {
    const key = (fn.Properties.Code as { S3Key: string }).S3Key;
    const staged = join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
    const matches = BUNDLES.filter(
      (name) => folderDifferences(join(esbuildOutput, name), staged).length === 0,
    );
    expect(matches, `${staged} is the folder esbuild wrote for one bundle`).toHaveLength(1);
    const name = matches[0] as BundleName;
    const files = JSON.parse(
      readFileSync(join(installed(), "assets", name, BUNDLE_FILE_LIST), "utf8"),
    ) as BundleFileList;
    expect(filesUnder(staged)).toEqual(Object.keys(files).sort());
    for (const [path, stored] of Object.entries(files)) {
      expect(storedFileName(path, readFileSync(join(staged, path))), path).toBe(stored);
    }
    return name;
  });
}

let ownedPoolSynth: ReturnType<typeof synth> | undefined;
/** The app's own pool, synthesized once for the tests that read it. */
const ownedPool = () => {
  ownedPoolSynth ??= synth("owned-pool-app.mjs");
  return ownedPoolSynth;
};

describe("the npm package", () => {
  it("holds the compiled construct, CLI and prebuilt handlers, and no tests, fixtures, sources, local data or secrets", () => {
    const paths = packed.map((file) => file.path);
    expect(paths).toContain("package.json");
    expect(paths).toContain("infra/index.js");
    expect(paths).toContain("infra/index.d.ts");
    expect(paths).toContain("cli/bin.js");
    const bundleLists = BUNDLES.map((name) => `assets/${name}/${BUNDLE_FILE_LIST}`);
    for (const list of bundleLists) expect(paths).toContain(list);
    // Under assets/: the bundles' lists, and the stored files, named by their SHA-256.
    expect(
      paths
        .filter((path) => path.startsWith("assets/"))
        .filter(
          (path) =>
            !bundleLists.includes(path) &&
            !new RegExp(`^assets/${STORED_FILES_DIR}/[0-9a-f]{64}\\.(mjs|map)$`).test(path),
        ),
    ).toEqual([]);
    const unexpected = paths.filter(
      (path) =>
        /(^|\/)(test|tests|fixtures|bench|events|cdk\.out|\.local|\.cognito|node_modules)\//.test(path) ||
        /\.test\.|\.pem$|\.key$|(^|\/)\.env|\.tgz$|tsconfig|legacy-users\.json$/.test(path) ||
        (path.endsWith(".ts") && !path.endsWith(".d.ts")) ||
        !/\.(js|mjs|map|d\.ts|md|json|env)$/.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(paths.filter((path) => path.endsWith(".json")).sort()).toEqual(
      ["package.json", ...bundleLists].sort(),
    );
  });

  it("stores each prebuilt file once: no two files under assets/ hold the same bytes, and none is left out", () => {
    const assets = packed.map((file) => file.path).filter((path) => path.startsWith("assets/"));
    const hashes = assets.map((path) => sha256(join(installed(), path)));
    expect(new Set(hashes).size).toBe(hashes.length);
    // As many stored files as distinct files esbuild wrote for all the bundles together.
    const written = new Set(
      BUNDLES.flatMap((name) =>
        filesUnder(join(esbuildOutput, name)).map((path) => sha256(join(esbuildOutput, name, path))),
      ),
    );
    expect(assets.filter((path) => path.startsWith(`assets/${STORED_FILES_DIR}/`))).toHaveLength(
      written.size,
    );
    expect(written.size).toBeLessThan(
      BUNDLES.flatMap((name) => filesUnder(join(esbuildOutput, name))).length,
    );
  });

  it("ships every function's bundle ready to run: rebuilt by the package's own code, each is what esbuild wrote, and its index.mjs loads and exports handler", async () => {
    // The package's module, by its file (its exports name only the root): what a synth rebuilds with.
    // Without configuration the handlers log (on stderr) that they refuse every request; a file holds the answer.
    const script = `import { writeFileSync } from "node:fs";
import { materialiseBundle, readBundleFileList } from "./node_modules/cognito-trigger-suite/infra/handler-code.js";
const types = {};
for (const name of ${JSON.stringify(BUNDLES)}) {
  materialiseBundle(readBundleFileList(name), \`rebuilt/\${name}\`);
  types[name] = typeof (await import(\`./rebuilt/\${name}/index.mjs\`)).handler;
}
writeFileSync("handler-types.json", JSON.stringify(types));`;
    await writeFile(join(app, "load-assets.mjs"), script);
    const { code } = await runCommand(process.execPath, ["load-assets.mjs"], { cwd: app });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(app, "handler-types.json"), "utf8"))).toEqual(
      Object.fromEntries(BUNDLES.map((name) => [name, "function"])),
    );
    for (const name of BUNDLES) {
      expect(folderDifferences(join(esbuildOutput, name), join(app, "rebuilt", name)), name).toEqual([]);
    }
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
    const { code, stderr, template, outdir } = await ownedPool();
    expect(besidesBundlingLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    const [pool] = resourcesOf(template, "AWS::Cognito::UserPool");
    expect(Object.keys(pool?.Properties.LambdaConfig as object).sort()).toEqual(SUITE_LAMBDA_CONFIG_KEYS);
    expect(resourcesOf(template, "AWS::Lambda::Function")).toHaveLength(8);
    // Each function deploys a package bundle, rebuilt from the store, not built: what esbuild wrote.
    expect(new Set(deployedBundles(outdir, template))).toEqual(new Set(DEPLOYED_BUNDLES));
    expect(readdirSync(outdir).filter((name) => name.startsWith("asset."))).toHaveLength(8);
  });

  it("synthesizes a pool imported with UserPool.fromUserPoolId (CommonJS) through the existing-pool custom resource", async () => {
    const { code, stderr, template, outdir } = await synth("existing-pool-app.cjs");
    expect(besidesBundlingLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    expect(new Set(deployedBundles(outdir, template))).toEqual(new Set(DEPLOYED_BUNDLES));
    const [attachment] = resourcesOf(template, "Custom::CognitoTriggerSuiteAttachment");
    expect(Object.keys(attachment?.Properties.LambdaConfig as object).sort()).toEqual(
      SUITE_LAMBDA_CONFIG_KEYS,
    );
    expect(attachment?.Properties.UserPoolId).toBe("eu-west-1_AbCdEf123");
    expect(resourcesOf(template, "AWS::Lambda::Function")).toHaveLength(8);
  });

  it("refuses to synthesize from a broken package: a stored file missing fails the synth in one line", async () => {
    // A copy of the installed package, found before the app's own (the rest resolves from the app's).
    const broken = join(app, "broken");
    await cp(installed(), join(broken, "node_modules/cognito-trigger-suite"), { recursive: true });
    await cp(join(CONSUMER_FILES, "owned-pool-app.mjs"), join(broken, "owned-pool-app.mjs"));
    const files = JSON.parse(
      readFileSync(join(installed(), "assets/pre-sign-up", BUNDLE_FILE_LIST), "utf8"),
    ) as BundleFileList;
    const storedEntry = files["index.mjs"] as string;
    await rm(join(broken, "node_modules/cognito-trigger-suite/assets", STORED_FILES_DIR, storedEntry));
    const { code, stderr } = await synth("owned-pool-app.mjs", {}, broken);
    expect(code).not.toBe(0);
    const storeDir = join(broken, "node_modules/cognito-trigger-suite/assets", STORED_FILES_DIR);
    expect(stderr.split("\n")).toContain(
      `Error: cognito-trigger-suite: the prebuilt pre-sign-up handler is incomplete: ${storeDir} lacks ${storedEntry}; reinstall the package`,
    );
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
