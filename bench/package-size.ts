/**
 * The npm package's size: built as `npm run build` builds it (packaging/build.ts) and measured by
 * `npm pack --dry-run`, the figures npm shows. Most of it is the prebuilt handlers (each bundles the
 * AWS SDK clients it uses, with source maps); a consumer's CDK app copies one bundle per function.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPackage } from "../packaging/build.ts";

/** A limit with room for growth that still catches a package pulling in something it should not. */
export const PACKAGE_MAX_BYTES = 2_000_000;

export interface PackageSize {
  /** The tarball (gzip). */
  packed: number;
  unpacked: number;
  files: number;
}

export function measurePackage(): PackageSize {
  const dir = mkdtempSync(join(tmpdir(), "cognito-trigger-package-"));
  try {
    buildPackage(dir);
    const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--loglevel=error", dir], {
      encoding: "utf8",
    });
    if (pack.status !== 0) throw new Error(`npm pack --dry-run failed: ${pack.stderr}`);
    const [report] = JSON.parse(pack.stdout) as { size: number; unpackedSize: number; entryCount: number }[];
    if (!report) throw new Error("npm pack --dry-run reported nothing");
    return { packed: report.size, unpacked: report.unpackedSize, files: report.entryCount };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
