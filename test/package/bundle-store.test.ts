/**
 * The package's store of prebuilt files (packaging/bundle-store.ts) and the construct's side of it
 * (infra/handler-code.ts), on folders shaped like esbuild's output: any set of bundles, sharing files
 * under the same or other names, is stored with each distinct file once and rebuilt byte for byte;
 * the build refuses a store that would not give back what esbuild wrote; and a CDK synth stages each
 * function's folder from the store, exactly.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  BUNDLE_FILE_LIST,
  type BundleName,
  materialiseBundle,
  prebuiltCode,
  readBundleFileList,
  STORED_FILES_DIR,
  storedFileName,
} from "../../infra/handler-code.ts";
import { BUNDLES } from "../../packaging/build.ts";
import { checkStore, filesUnder, folderDifferences, storeBundle } from "../../packaging/bundle-store.ts";

type Tree = Record<string, Uint8Array>;

const folders: string[] = [];
function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeTree(dir: string, tree: Tree): void {
  for (const [path, contents] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

function readTree(dir: string): Tree {
  return Object.fromEntries(
    filesUnder(dir).map((path) => [path, new Uint8Array(readFileSync(join(dir, path)))]),
  );
}

const sha256 = (contents: Uint8Array) => createHash("sha256").update(contents).digest("hex");
const text = (value: string) => new TextEncoder().encode(value);

/** Writes bundles as esbuild would into `assets/<name>/`, then stores them as the package build does. */
function storeBundles(bundles: [BundleName, Tree][]): { assets: string; esbuildOutput: string } {
  const assets = tempFolder("assets-");
  const esbuildOutput = tempFolder("esbuild-output-");
  for (const [name, tree] of bundles) {
    writeTree(join(assets, name), tree);
    storeBundle(assets, name, esbuildOutput);
  }
  return { assets, esbuildOutput };
}

function rebuild(assets: string, name: BundleName): Tree {
  const files = readBundleFileList(name, assets);
  if (!files) throw new Error(`no ${name} in ${assets}`);
  const out = tempFolder("rebuilt-");
  materialiseBundle(files, out, assets);
  return readTree(out);
}

/** Paths like esbuild's (an entry, chunks, their maps); file and folder names never collide. */
const bundlePath = fc
  .tuple(
    fc.constantFrom("", "chunks/"),
    fc.constantFrom("index", "chunk-CIBRJMAD", "dist-es-Y32ZT75Y", "bowser-L3E6A37H"),
    fc.constantFrom(".mjs", ".mjs.map"),
  )
  .map((parts) => parts.join(""));
/** Few distinct contents, so that bundles share files under the same and under other names. */
const contents = fc.oneof(
  fc.constantFrom("", "export{};", "shared chunk", '{"version":3}').map(text),
  fc.uint8Array({ maxLength: 64 }),
);
const bundleTree = fc.dictionary(bundlePath, contents, { minKeys: 1, maxKeys: 8 });

describe("the store of prebuilt files", () => {
  it("holds each distinct file once, and rebuilds every bundle byte for byte, for any bundles", () => {
    fc.assert(
      fc.property(fc.array(bundleTree, { minLength: 1, maxLength: 4 }), (trees) => {
        const bundles = trees.map((tree, i) => [BUNDLES[i], tree] as [BundleName, Tree]);
        const { assets } = storeBundles(bundles);
        for (const [name, tree] of bundles) {
          expect(readdirSync(join(assets, name))).toEqual([BUNDLE_FILE_LIST]);
          expect(rebuild(assets, name)).toEqual(readTree(tempFolderWith(tree)));
        }
        const distinct = new Set(bundles.flatMap(([, tree]) => Object.values(tree).map(sha256)));
        const stored = filesUnder(join(assets, STORED_FILES_DIR));
        expect(new Set(stored.map((name) => name.slice(0, 64)))).toEqual(distinct);
        expect(() =>
          checkStore(
            assets,
            bundles.map(([name]) => name),
          ),
        ).not.toThrow();
        for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });

  it("names a stored file by its SHA-256 and keeps its extension", () => {
    expect(storedFileName("chunks/chunk-CIBRJMAD.mjs.map", text("shared chunk"))).toBe(
      `${sha256(text("shared chunk"))}.map`,
    );
    expect(storedFileName("index.mjs", text(""))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.mjs",
    );
  });

  it("refuses to store a bundle that the store would not give back: a stored file under its name is damaged", () => {
    const assets = tempFolder("assets-");
    const shared = text("shared chunk");
    mkdirSync(join(assets, STORED_FILES_DIR));
    writeFileSync(join(assets, STORED_FILES_DIR, storedFileName("x.mjs", shared)), text("something else"));
    writeTree(join(assets, "pre-sign-up"), { "index.mjs": text("entry"), "chunks/chunk-A.mjs": shared });
    expect(() => storeBundle(assets, "pre-sign-up")).toThrow(/is damaged/);
    // esbuild's folder stays as it was, for a look at what went wrong.
    expect(filesUnder(join(assets, "pre-sign-up"))).toEqual(["chunks/chunk-A.mjs", "index.mjs"]);
  });

  it("is checked whole: a listed file missing from the store, or a stored file no bundle lists, fails the build", () => {
    const { assets } = storeBundles([
      ["pre-sign-up", { "index.mjs": text("a"), "chunks/c.mjs": text("shared") }],
      ["custom-message", { "index.mjs": text("b"), "chunks/c.mjs": text("shared") }],
    ]);
    const shared = storedFileName("c.mjs", text("shared"));
    rmSync(join(assets, STORED_FILES_DIR, shared));
    expect(() => checkStore(assets, ["pre-sign-up", "custom-message"])).toThrow(
      `pre-sign-up lists ${shared}, which is not stored`,
    );
    writeFileSync(join(assets, STORED_FILES_DIR, shared), text("shared"));
    writeFileSync(join(assets, STORED_FILES_DIR, storedFileName("d.mjs", text("stray"))), text("stray"));
    expect(() => checkStore(assets, ["pre-sign-up", "custom-message"])).toThrow(
      /is stored, but no bundle lists it/,
    );
    expect(() => checkStore(assets, ["pre-sign-up", "post-confirmation"])).toThrow(
      `post-confirmation has no ${BUNDLE_FILE_LIST}`,
    );
  });

  it("rebuilds nothing outside the bundle's folder, nothing from a damaged stored file or list", () => {
    const { assets } = storeBundles([["pre-sign-up", { "index.mjs": text("a") }]]);
    const stored = storedFileName("index.mjs", text("a"));
    expect(() => materialiseBundle({ "../escaped.mjs": stored }, tempFolder("out-"), assets)).toThrow(
      "a prebuilt bundle lists ../escaped.mjs, outside its folder",
    );
    writeFileSync(join(assets, STORED_FILES_DIR, stored), text("b"));
    expect(() => rebuild(assets, "pre-sign-up")).toThrow(`the stored file ${stored} (index.mjs) is damaged`);
    for (const list of ["{", "[]", JSON.stringify({ "index.mjs": "../../etc/passwd" })]) {
      writeFileSync(join(assets, "pre-sign-up", BUNDLE_FILE_LIST), list);
      expect(() => readBundleFileList("pre-sign-up", assets)).toThrow("is not a list of stored files");
    }
  });

  it("finds a difference in names or bytes between two folders", () => {
    const expected = tempFolderWith({ "index.mjs": text("a"), "chunks/c.mjs": text("c") });
    const actual = tempFolderWith({ "index.mjs": text("b"), "chunks/d.mjs": text("c") });
    expect(folderDifferences(expected, actual)).toEqual([
      "chunks/c.mjs is missing",
      "chunks/d.mjs is extra",
      "index.mjs differs",
    ]);
    expect(folderDifferences(expected, tempFolderWith(readTree(expected)))).toEqual([]);
  });
});

function tempFolderWith(tree: Tree): string {
  const dir = tempFolder("tree-");
  writeTree(dir, tree);
  return dir;
}

describe("a prebuilt function's code at synth", () => {
  function synthFunctions(assets: string, names: BundleName[]) {
    const outdir = tempFolder("cdk-out-");
    const app = new App({ outdir });
    const stack = new Stack(app, "Prebuilt");
    const functions = names.map(
      (name) =>
        new lambda.Function(stack, name, {
          runtime: lambda.Runtime.NODEJS_24_X,
          handler: "index.handler",
          code: prebuiltCode(name, assets),
        }),
    );
    app.synth();
    const resources = JSON.parse(readFileSync(join(outdir, "Prebuilt.template.json"), "utf8"))
      .Resources as Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>;
    return functions.map((fn) => {
      const id = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
      const key = resources[id]?.Properties.Code.S3Key ?? "";
      return join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
    });
  }

  it("stages each function's folder from the store: exactly the files esbuild wrote for it", () => {
    const shared = { "chunks/chunk-A.mjs": text("sdk"), "chunks/chunk-A.mjs.map": text('{"version":3}') };
    const { assets, esbuildOutput } = storeBundles([
      ["pre-sign-up", { "index.mjs": text("sign-up"), "index.mjs.map": text("{}"), ...shared }],
      ["custom-message", { "index.mjs": text("message"), "index.mjs.map": text("{ }"), ...shared }],
    ]);
    const staged = synthFunctions(assets, ["pre-sign-up", "custom-message"]);
    expect(new Set(staged).size).toBe(2);
    expect(folderDifferences(join(esbuildOutput, "pre-sign-up"), staged[0] ?? "")).toEqual([]);
    expect(folderDifferences(join(esbuildOutput, "custom-message"), staged[1] ?? "")).toEqual([]);
  });

  it("refuses a package missing a bundle's file, in one line that says what to do", () => {
    const { assets } = storeBundles([["pre-sign-up", { "index.mjs": text("a"), "chunks/c.mjs": text("c") }]]);
    const missing = storedFileName("c.mjs", text("c"));
    rmSync(join(assets, STORED_FILES_DIR, missing));
    expect(() => prebuiltCode("pre-sign-up", assets)).toThrow(
      `cognito-trigger-suite: the prebuilt pre-sign-up handler is incomplete: ${join(assets, STORED_FILES_DIR)} lacks ${missing}; reinstall the package`,
    );
    expect(() => prebuiltCode("custom-message", assets)).toThrow(
      `cognito-trigger-suite: the prebuilt custom-message handler is missing from ${assets}; reinstall the package`,
    );
  });
});
