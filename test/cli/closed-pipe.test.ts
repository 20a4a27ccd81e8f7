/**
 * `cognito-triggers … | head`: the reader closes the pipe after the first chunk, while the command
 * still has output to write. The command must end quietly with its usual exit status: no EPIPE stack
 * trace, no "internal error". Each output here is larger than a pipe's buffer (64 KiB), so the writes
 * after the reader has gone do fail.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRecord, buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { NOW, POOL, seed } from "../audit/seed.ts";
import { createAuditTable, type LocalDynamo, startDynalite } from "../support/dynalite.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
const PIPE_BUFFER = 64 * 1024;

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstChunk: number;
  stderr: string;
}

/** Runs the CLI with stdout into a reader that closes the pipe after the first chunk. */
function runIntoClosedPipe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let firstChunk = 0;
    let stderr = "";
    child.stdout.once("data", (chunk: Buffer) => {
      firstChunk = chunk.length;
      child.stdout.destroy();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, firstChunk, stderr }));
  });
}

/** The same command with its whole output read: how much it writes, and its exit status. */
function runToEnd(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, bytes }));
  });
}

function expectQuietEnd(result: Closed, code: number): void {
  expect(result.firstChunk).toBeGreaterThan(0);
  expect(result.stderr).not.toMatch(/EPIPE|internal error|Unhandled 'error' event/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.signal).toBeNull();
  expect(result.code).toBe(code);
}

describe("replay into a closed pipe", () => {
  it.each([
    ["line by line", ["replay", "events/", "events/", "--full"]],
    ["as one JSON document", ["replay", "events/", "--json"]],
  ])("replay of events/ (%s) ends quietly with exit 0", async (_, args) => {
    const whole = await runToEnd(args);
    expect(whole.code).toBe(0);
    expect(whole.bytes).toBeGreaterThan(PIPE_BUFFER);
    const result = await runIntoClosedPipe(args);
    expectQuietEnd(result, 0);
    expect(result.stderr).toBe("");
  });
});

describe("audit query into a closed pipe", () => {
  const TABLE = "audit-closed-pipe";
  let dynamo: LocalDynamo;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createAuditTable(dynamo.client, TABLE);
    const records: AuditRecord[] = Array.from({ length: 1500 }, (_, k) =>
      buildAuditRecord(
        {
          event: "SIGN_IN",
          outcome: "success",
          triggerSource: "PostAuthentication_Authentication",
          userPoolId: POOL,
          clientId: "web1client",
          userName: `user${k}`,
          sub: `0b9c6f0e-5d3a-4e1f-9a7b-${String(k).padStart(12, "0")}`,
          email: `user${k}@example.com`,
          sourceIp: `198.51.100.${k % 250}`,
          requestId: `pipe-${k}`,
        },
        new Date(NOW.getTime() - (k + 1) * 30_000),
        400,
      ),
    );
    await seed(dynamo.client, TABLE, records);
    env = {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AUDIT_TABLE_NAME: TABLE,
    };
  }, 60_000);
  afterAll(async () => dynamo?.stop());

  const range = ["--since", "2026-05-09T00:00Z", "--until", "2026-05-11T00:00Z"];

  it.each([
    ["table", ["--limit", "all"]],
    ["jsonl", ["--limit", "all"]],
    ["json", ["--limit", "1000"]],
  ])("--format %s with many records ends quietly with exit 0", async (format, limit) => {
    const args = ["audit", "query", ...range, "--format", format, ...limit];
    const whole = await runToEnd(args, env);
    expect(whole.code).toBe(0);
    expect(whole.bytes).toBeGreaterThan(PIPE_BUFFER);
    expectQuietEnd(await runIntoClosedPipe(args, env), 0);
  });
});
