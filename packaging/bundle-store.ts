/**
 * The package's prebuilt bundles, each distinct file stored once. The bundles share most of their
 * files byte for byte (the AWS SDK's chunks, its credential providers, their source maps): a copy per
 * bundle would make the package nearly twice the size of what it holds. esbuild writes each bundle into
 * `assets/<name>/`; then every file moves to `assets/files/<sha256>.<ext>` and the folder keeps only
 * `files.json`, the list the construct rebuilds it from at synth (infra/handler-code.ts, which also
 * says why files are named by content).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUNDLE_FILE_LIST,
  type BundleFileList,
  type BundleName,
  materialiseBundle,
  missingStoredFiles,
  readBundleFileList,
  STORED_FILES_DIR,
  storedFileName,
} from "../infra/handler-code.ts";

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** Where two folders differ: files only one of them has, and files whose bytes differ. */
export function folderDifferences(expected: string, actual: string): string[] {
  const expectedFiles = filesUnder(expected);
  const actualFiles = new Set(filesUnder(actual));
  return [
    ...expectedFiles.filter((path) => !actualFiles.has(path)).map((path) => `${path} is missing`),
    ...[...actualFiles].filter((path) => !expectedFiles.includes(path)).map((path) => `${path} is extra`),
    ...expectedFiles
      .filter((path) => actualFiles.has(path))
      .filter((path) => !readFileSync(join(expected, path)).equals(readFileSync(join(actual, path))))
      .map((path) => `${path} differs`),
  ];
}

/**
 * Moves the bundle esbuild wrote into `assets/<name>/` to the store, leaving its list of files. Before
 * the bundle's own files go, the list is proven: rebuilt from the store as the construct rebuilds it,
 * the folder is the one esbuild wrote. `keepIn`, if given, receives a copy of esbuild's folder.
 */
export function storeBundle(assetsDir: string, name: BundleName, keepIn?: string): BundleFileList {
  const bundleDir = join(assetsDir, name);
  const storeDir = join(assetsDir, STORED_FILES_DIR);
  mkdirSync(storeDir, { recursive: true });
  const files: BundleFileList = {};
  for (const path of filesUnder(bundleDir)) {
    const contents = readFileSync(join(bundleDir, path));
    const stored = storedFileName(path, contents);
    if (!existsSync(join(storeDir, stored))) writeFileSync(join(storeDir, stored), contents);
    files[path] = stored;
  }

  const rebuilt = mkdtempSync(join(tmpdir(), `rebuilt-${name}-`));
  try {
    materialiseBundle(files, rebuilt, assetsDir);
    const differences = folderDifferences(bundleDir, rebuilt);
    if (differences.length > 0) {
      throw new Error(
        `the ${name} bundle rebuilt from the store is not what esbuild wrote: ${differences.join(", ")}`,
      );
    }
  } finally {
    rmSync(rebuilt, { recursive: true, force: true });
  }

  if (keepIn) cpSync(bundleDir, join(keepIn, name), { recursive: true });
  rmSync(bundleDir, { recursive: true });
  mkdirSync(bundleDir);
  writeFileSync(join(bundleDir, BUNDLE_FILE_LIST), `${JSON.stringify(files, null, 2)}\n`);
  return files;
}

/**
 * The store as the package ships it: every bundle's list reads back, every file it names is there,
 * and the store holds nothing no list names.
 */
export function checkStore(assetsDir: string, names: readonly BundleName[]): void {
  const listed = new Set<string>();
  const problems: string[] = [];
  for (const name of names) {
    const files = readBundleFileList(name, assetsDir);
    if (!files) {
      problems.push(`${name} has no ${BUNDLE_FILE_LIST}`);
      continue;
    }
    for (const stored of missingStoredFiles(files, assetsDir))
      problems.push(`${name} lists ${stored}, which is not stored`);
    for (const stored of Object.values(files)) listed.add(stored);
  }
  for (const stored of filesUnder(join(assetsDir, STORED_FILES_DIR))) {
    if (!listed.has(stored)) problems.push(`${stored} is stored, but no bundle lists it`);
  }
  if (problems.length > 0) throw new Error(`prebuilt bundles:\n  ${problems.join("\n  ")}`);
}
