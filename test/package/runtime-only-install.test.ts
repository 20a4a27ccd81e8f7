/**
 * A clone of the repository installed for running only (`npm ci --omit=dev`): no development
 * dependencies, so none of the local pool's emulators (a package the local pool shares with the
 * handlers, which the installed package depends on, is there all the same). The CLI must still run
 * every command that does not need them, from its TypeScript sources (replay decrypts the custom
 * senders' codes with the runtime dependencies alone), and `local` must say how to get them instead of
 * failing on an import. The clone is the repository's tracked and new files, copied into a temporary
 * folder.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_POOL_PACKAGES } from "../../cli/local-pool-requirements.ts";
import { npm, runCommand } from "./run-command.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUNTIME_DEPENDENCIES = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies,
);
/** The local pool's packages that only development installs bring. */
const EMULATORS = Object.keys(LOCAL_POOL_PACKAGES).filter((name) => !RUNTIME_DEPENDENCIES.includes(name));

let clone: string;

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "runtime-only-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((path) => path !== "" && existsSync(join(ROOT, path)));
  for (const path of files) {
    await mkdir(dirname(join(clone, path)), { recursive: true });
    await cp(join(ROOT, path), join(clone, path));
  }
  const install = await npm(["ci", "--omit=dev", "--prefer-offline"], clone);
  if (install.code !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.stderr}`);
}, 600_000);

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

function cli(args: string[]) {
  return runCommand("npx", ["--no-install", "cognito-triggers", ...args], { cwd: clone });
}

describe("a clone installed with npm ci --omit=dev", () => {
  it("has none of the local pool's emulators", () => {
    expect(EMULATORS.length).toBeGreaterThan(0);
    for (const name of EMULATORS) {
      expect(existsSync(join(clone, "node_modules", name)), name).toBe(false);
    }
  });

  it("runs npx cognito-triggers --help", async () => {
    const { code, stdout, stderr } = await cli(["--help"]);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: cognito-triggers <command>");
    expect(code).toBe(0);
  });

  it("replays every sample in events/ as expected", async () => {
    const { code, stdout, stderr } = await cli(["replay", "events/"]);
    expect(stderr).toBe("");
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^replayed \d+ samples: \d+ as expected, 0 mismatched/);
    expect(code).toBe(0);
  });

  it("runs audit --help", async () => {
    const { code, stdout, stderr } = await cli(["audit", "--help"]);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: cognito-triggers audit");
    expect(code).toBe(0);
  });

  it("shows local --help without the emulators", async () => {
    const { code, stdout, stderr } = await cli(["local", "--help"]);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: cognito-triggers local");
    expect(code).toBe(0);
  });

  it("answers local with how to get the emulators, in a few lines and no stack trace", async () => {
    const { code, stdout, stderr } = await cli(["local"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    for (const name of Object.keys(LOCAL_POOL_PACKAGES)) expect(stderr).toContain(name);
    expect(stderr).toContain("npm install && npm start");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
