/**
 * `cognito-triggers local` as a user runs it: the real CLI (and `npm start`) in child processes.
 * A port already taken is one line and exit code 2 (the local KMS's too, with --custom-email-sender);
 * Ctrl-C, SIGTERM and SIGTERM to npm stop every server and free every port; a CLI killed outright
 * still takes cognito-local with it; the demo runs twice on the same data and claims only what each
 * run did.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CoreService,
  portOfAddressInUse,
  portsInUse,
  portsInUseMessage,
  SERVICE_NAMES,
  type SuitePorts,
  suitePorts,
} from "../../cli/local/ports.ts";
import { startLocalSuite } from "../../cli/local/suite.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
/** The services every suite runs (the local KMS runs only with --custom-email-sender). */
const SERVICES = (Object.keys(SERVICE_NAMES) as (keyof typeof SERVICE_NAMES)[]).filter(
  (service): service is CoreService => service !== "kms",
);

const children = new Set<ChildProcess>();
const dirs: string[] = [];
/** Processes started through npm (not children of this one), killed at the end if still there. */
const strays: number[] = [];
let nextBase = 20_000 + Math.floor(Math.random() * 800) * 5;

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  const running = processes();
  for (const pid of strays) {
    // Only if that pid is still a CLI of these tests (a pid can be reused).
    if (running.some((p) => p.pid === pid && p.args.includes("local-lifecycle-"))) killQuietly(pid);
  }
  for (const dir of dirs) {
    for (const pid of cognitoLocalPids(dir)) killQuietly(pid);
    await rm(dir, { recursive: true, force: true });
  }
});

describe("a port already in use", () => {
  for (const service of SERVICES) {
    for (const host of ["127.0.0.1", "::"]) {
      it(`${service} held on ${host}: one line naming it and --port, exit code 2`, async () => {
        const base = await freeBase();
        const port = suitePorts(base)[service];
        const holder = await hold(port, host);
        try {
          const cli = run(["local", "--port", String(base), "--data-dir", await tempDir()]);
          const { code, stdout, stderr } = await cli.exited;
          expect(code).toBe(2);
          expect(stdout).toBe("");
          expect(stderr).toBe(
            `cognito-triggers local: port ${port} (${SERVICE_NAMES[service]}) is in use; move the suite with --port <n> (it uses n to n+3)\n`,
          );
        } finally {
          holder.close();
        }
      });
    }
  }
});

describe("the local KMS's port (n+4), with --custom-email-sender", () => {
  for (const host of ["127.0.0.1", "::"]) {
    it(`held on ${host}: one line naming it and --port, exit code 2`, async () => {
      const base = await freeBase();
      const port = base + 4;
      const holder = await hold(port, host);
      try {
        const cli = run([
          "local",
          "--custom-email-sender",
          "--port",
          String(base),
          "--data-dir",
          await tempDir(),
        ]);
        const { code, stdout, stderr } = await cli.exited;
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toBe(
          `cognito-triggers local: port ${port} (KMS) is in use; move the suite with --port <n> (it uses n to n+4)\n`,
        );
      } finally {
        holder.close();
      }
    });
  }

  it("taken while the suite starts: an EADDRINUSE naming it, which the CLI turns into the same line", async () => {
    const ports = suitePorts(await freeBase(), { kms: true });
    const kmsPort = ports.kms ?? 0;
    const holder = await hold(kmsPort, "127.0.0.1");
    try {
      const error = await startLocalSuite({
        dataDir: await tempDir(),
        persist: false,
        ports,
        optIns: ["custom-email-sender"],
      }).then(
        async (suite) => {
          await suite.stop();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(portOfAddressInUse(error)).toBe(kmsPort);
      expect(portsInUseMessage([kmsPort], ports)).toBe(
        `cognito-triggers local: port ${kmsPort} (KMS) is in use; move the suite with --port <n> (it uses n to n+4)`,
      );
    } finally {
      holder.close();
    }
    // What did start before the failure was stopped again.
    expect(await portsInUse(ports)).toEqual([]);
  });

  it("stops with the suite: Ctrl-C frees n+4 too", async () => {
    const base = await freeBase();
    const cli = run([
      "local",
      "--custom-email-sender",
      "--port",
      String(base),
      "--data-dir",
      await tempDir(),
    ]);
    await cli.up;
    expect(cli.stdout()).toContain(`KMS (local stand-in)      http://127.0.0.1:${base + 4}`);
    cli.child.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
    expect(await portsInUse(suitePorts(base, { kms: true }))).toEqual([]);
  });

  it("is not needed without the flag: the suite starts while another process holds it", async () => {
    const base = await freeBase();
    const holder = await hold(base + 4, "127.0.0.1");
    try {
      const cli = run(["local", "--port", String(base), "--data-dir", await tempDir()]);
      await cli.up;
      expect(cli.stdout()).not.toContain("KMS (local stand-in)");
      cli.child.kill("SIGINT");
      expect((await cli.exited).code).toBe(0);
    } finally {
      holder.close();
    }
  });
});

describe("a port taken while the suite starts (after the check)", () => {
  for (const service of SERVICES) {
    it(`${service}: an EADDRINUSE naming the port, which the CLI turns into the same line`, async () => {
      const ports = suitePorts(await freeBase());
      const holder = await hold(ports[service], "127.0.0.1");
      try {
        const error = await startLocalSuite({ dataDir: await tempDir(), persist: false, ports }).then(
          async (suite) => {
            await suite.stop();
            return undefined;
          },
          (e: unknown) => e,
        );
        expect(portOfAddressInUse(error)).toBe(ports[service]);
        expect(portsInUseMessage([ports[service]], ports)).toContain(
          `port ${ports[service]} (${SERVICE_NAMES[service]}) is in use`,
        );
      } finally {
        holder.close();
      }
      // What did start before the failure was stopped again.
      expect(await portsInUse(ports)).toEqual([]);
    });
  }
});

describe("stopping", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} to the CLI stops every server, frees every port and leaves no cognito-local`, async ({
      annotate,
    }) => {
      const { cli, ports, cognitoPid } = await startSuite();
      await annotate(`started in ${startUpMs(cli.stdout())} ms`);
      cli.child.kill(signal);
      const { code, stdout } = await cli.exited;
      expect(code).toBe(0);
      expect(stdout).toMatch(/stopping…\nstopped\n$/);
      expect(await portsInUse(ports)).toEqual([]);
      expect(isRunning(cognitoPid)).toBe(false);
    });
  }

  it("SIGTERM to npm (npm start) stops the CLI, which stops every server", async () => {
    const base = await freeBase();
    const dataDir = await tempDir();
    const npm = run(["start", "--", "--port", String(base), "--data-dir", dataDir], "npm");
    await npm.up;
    const [cognitoPid = 0] = cognitoLocalPids(dataDir);
    // npm → sh -c → the CLI → cognito-local
    const cliPid = processes().find((p) => p.pid === cognitoPid)?.ppid ?? 0;
    strays.push(cliPid);
    expect(descendants(npm.child.pid ?? 0).map((p) => p.pid)).toEqual(
      expect.arrayContaining([cliPid, cognitoPid]),
    );
    npm.child.kill("SIGTERM");
    await npm.exited;
    await waitFor(() => !isRunning(cliPid) && !isRunning(cognitoPid), 10_000);
    expect(npm.stdout()).toContain("stopping…\nstopped\n");
    expect(await portsInUse(suitePorts(base))).toEqual([]);
  });

  it("SIGKILL to the CLI: cognito-local exits on its own", async () => {
    const { cli, ports, cognitoPid } = await startSuite();
    cli.child.kill("SIGKILL");
    await cli.exited;
    await waitFor(() => !isRunning(cognitoPid), 5_000);
    expect(await portsInUse(ports)).toEqual([]);
  });
});

describe("the demo, twice on the same data", () => {
  it("against a running suite: the same claims, and the migration only the first time", async () => {
    const { cli, dataDir, ports } = await startSuite();
    const args = ["local", "--demo", "--port", String(ports.cognito), "--data-dir", dataDir];
    const first = await run(args).exited;
    const second = await run(args).exited;
    for (const demo of [first, second]) {
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain(`the local suite (pid ${cli.child.pid}) keeps running`);
    }
    expectSameClaimsMigratingOnce(first.stdout, second.stdout);
    cli.child.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
  });

  it("on a suite it starts itself: says it stops it, and frees every port", async () => {
    const base = await freeBase();
    const dataDir = await tempDir();
    const args = ["local", "--demo", "--port", String(base), "--data-dir", dataDir];
    const first = await run(args).exited;
    const second = await run(args).exited;
    for (const demo of [first, second]) {
      expect(demo.code).toBe(0);
      expect(demo.stdout).toMatch(/stopping the local pool started for the demo…\nstopped\n$/);
    }
    expectSameClaimsMigratingOnce(first.stdout, second.stdout);
    expect(await portsInUse(suitePorts(base))).toEqual([]);
    expect(cognitoLocalPids(dataDir)).toEqual([]);
  });
});

function expectSameClaimsMigratingOnce(first: string, second: string): void {
  expect(first).toContain("User migration moved the user into the pool");
  expect(first).toMatch(/ MIGRATED +success/);
  expect(second).not.toContain("moved the user into the pool");
  expect(second).toContain("without User migration: the user was already in the pool");
  expect(second).not.toMatch(/ MIGRATED /);
  expect(claims(second)).toEqual(claims(first));
}

/** The demo's claims with what differs by nature between runs (ids, codes, times) masked. */
function claims(output: string): string[] {
  const walk = output.slice(output.indexOf("\n1. "), output.indexOf("demo complete"));
  return walk
    .split("\n")
    .filter((line) => !line.startsWith("{")) // the handlers' own logs, when they run in this process
    .filter((line) => !/taro@example\.com \(legacy id|MIGRATED|^\d+ records/.test(line))
    .map((line) =>
      line
        .replace(/hanako\.[a-z0-9]+@/g, "hanako.*@")
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
        .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "<time>")
        .replace(/code \d+/g, "code <n>")
        .replace(/\b[a-z0-9]{25,26}\b/g, "<client>")
        .replace(/\s+/g, " "),
    );
}

// --- processes ---------------------------------------------------------------------------------

interface Run {
  child: ChildProcess;
  stdout(): string;
  /** Resolves once the suite says it is up; rejects if the process ends first. */
  up: Promise<void>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function run(args: string[], command: "cli" | "npm" = "cli"): Run {
  const child =
    command === "npm"
      ? spawn("npm", args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
  const up = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stdout.includes("local pool is up")) resolve();
    };
    child.stdout?.on("data", check);
    void exited.then(({ code }) => reject(new Error(`exited (${code}) before the pool was up: ${stderr}`)));
  });
  up.catch(() => undefined);
  return { child, stdout: () => stdout, up, exited };
}

async function startSuite(): Promise<{ cli: Run; dataDir: string; ports: SuitePorts; cognitoPid: number }> {
  const base = await freeBase();
  const dataDir = await tempDir();
  const cli = run(["local", "--port", String(base), "--data-dir", dataDir]);
  await cli.up;
  const [cognitoPid] = cognitoLocalPids(dataDir);
  if (!cognitoPid) throw new Error("no cognito-local process found for the suite");
  return { cli, dataDir, ports: suitePorts(base), cognitoPid };
}

/** The cognito-local processes (start.js) working under `dataDir`, found through `ps` and their cwd. */
function cognitoLocalPids(dataDir: string): number[] {
  return processes()
    .filter((p) => p.args.includes("cognito-local/lib/bin/start.js"))
    .filter((p) => workingDirectory(p.pid)?.startsWith(dataDir))
    .map((p) => p.pid);
}

function workingDirectory(pid: number): string | undefined {
  try {
    return execFileSync("readlink", [`/proc/${pid}/cwd`], { encoding: "utf8" }).trim();
  } catch {
    // Without /proc (macOS), lsof gives the cwd.
    try {
      const out = execFileSync("lsof", ["-a", "-d", "cwd", "-p", String(pid), "-Fn"], { encoding: "utf8" });
      return out
        .split("\n")
        .find((l) => l.startsWith("n"))
        ?.slice(1);
    } catch {
      return undefined;
    }
  }
}

function processes(): { pid: number; ppid: number; args: string }[] {
  return execFileSync("ps", ["-A", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[3]?.startsWith("Z"))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[4] ?? "" }));
}

function descendants(root: number): { pid: number; args: string }[] {
  const all = processes();
  const found: { pid: number; args: string }[] = [];
  const parents = [root];
  while (parents.length > 0) {
    const parent = parents.pop();
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push(p);
      parents.push(p.pid);
    }
  }
  return found;
}

/** Alive and not a zombie (a child of an init that does not reap is as good as gone). */
function isRunning(pid: number): boolean {
  return processes().some((p) => p.pid === pid);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- ports and folders -------------------------------------------------------------------------

/** A base port n with n..n+4 free (the KMS's too), below the ephemeral range, different for every call. */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = nextBase;
    nextBase += 5;
    if ((await portsInUse(suitePorts(base, { kms: true }))).length === 0) return base;
  }
}

function hold(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once("error", (error: NodeJS.ErrnoException) => {
      // No IPv6 here: the IPv4 wildcard is the same test.
      if (host === "::" && error.code === "EAFNOSUPPORT") resolve(hold(port, "0.0.0.0"));
      else reject(error);
    });
    server.listen(port, host, () => resolve(server));
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "local-lifecycle-"));
  dirs.push(dir);
  return dir;
}

function startUpMs(stdout: string): number {
  return Number(/local pool is up \((\d+) ms\)/.exec(stdout)?.[1]);
}
