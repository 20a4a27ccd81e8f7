/**
 * The audit CLI's performance budget: with 100,000 records over five days, `audit query --since 24h`
 * and `audit summary --since 24h` each finish within 10 s, end to end (the binary, as a reviewer runs
 * it) against dynalite. Seeding takes about a minute, so this runs only when asked:
 *
 *   AUDIT_PERF=1 npx vitest run test/audit/performance.test.ts
 *
 * It prints the figures that docs/audit-cli.md quotes.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRecord, buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { createAuditTable, type LocalDynamo, startDynalite } from "../support/dynalite.ts";
import { seed } from "./seed.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
const RECORDS = 100_000;
const DAYS = 5;
const BUDGET_MS = 10_000;
const RUNS = 3;

/** Five days of traffic ending now: 5,000 users, three app clients, 2,000 addresses, ~9% denials. */
function trafficRecords(now: number): AuditRecord[] {
  const span = DAYS * 86_400_000;
  return Array.from({ length: RECORDS }, (_, k) => {
    const user = (k * 7919) % 5000;
    const denied = k % 12 === 0;
    const refusedSignUp = k % 97 === 0;
    const at = new Date(now - 1_000 - Math.floor((k * span) / RECORDS));
    return buildAuditRecord(
      {
        event: refusedSignUp ? "SIGN_UP_DENIED" : denied ? "SIGN_IN_DENIED" : "SIGN_IN",
        outcome: refusedSignUp || denied ? "denied" : "success",
        ...(refusedSignUp ? { reason: "domain-not-allowed" } : denied ? { reason: "ip-not-allowed" } : {}),
        triggerSource: refusedSignUp
          ? "PreSignUp_SignUp"
          : denied
            ? "PreAuthentication_Authentication"
            : "PostAuthentication_Authentication",
        userPoolId: "eu-west-1_Ab12Cd34E",
        clientId: ["web1client", "srv2client", "adm3client"][k % 3] as string,
        userName: `user${user}`,
        ...(refusedSignUp ? {} : { sub: `0b9c6f0e-5d3a-4e1f-9a7b-${String(user).padStart(12, "0")}` }),
        email: `user${user}@example.com`,
        ...(refusedSignUp ? {} : { sourceIp: `198.51.${(k >> 8) % 8}.${(k * 31) % 250}` }),
        newDeviceUsed: k % 17 === 0,
        requestId: `9f0c${String(k).padStart(8, "0")}-1a2b-4c3d-8e9f-0a1b2c3d4e5f`,
      },
      at,
      400,
    );
  });
}

describe.skipIf(!process.env.AUDIT_PERF)("audit performance with 100,000 records", () => {
  let dynamo: LocalDynamo;
  let env: NodeJS.ProcessEnv;
  let outDir: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createAuditTable(dynamo.client, "audit");
    const started = performance.now();
    await seed(dynamo.client, "audit", trafficRecords(Date.now()), 8);
    console.log(
      `seeded ${RECORDS.toLocaleString("en-US")} records in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    env = {
      ...process.env,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AUDIT_TABLE_NAME: "audit",
    };
    outDir = await mkdtemp(join(tmpdir(), "audit-perf-"));
  }, 600_000);
  afterAll(async () => dynamo?.stop());

  async function time(args: string[]): Promise<{ ms: number[]; stdout: string }> {
    const ms: number[] = [];
    let stdout = "";
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const result = await promisify(execFile)(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env,
        maxBuffer: 256 * 1024 * 1024,
      });
      ms.push(performance.now() - started);
      stdout = result.stdout;
    }
    return { ms: ms.sort((a, b) => a - b), stdout };
  }

  it("query and summary of the last 24 hours each finish within 10 s", async () => {
    const figures: string[] = [];
    const measure = async (label: string, args: string[]) => {
      const result = await time(args);
      const [min, median, max] = [result.ms[0], result.ms[Math.floor(RUNS / 2)], result.ms[RUNS - 1]].map(
        (v) => ((v ?? 0) / 1000).toFixed(2),
      );
      figures.push(`| \`${label}\` | ${median} s | ${min}-${max} s |`);
      return result;
    };

    await measure("cognito-triggers audit --help (start-up alone)", ["audit", "--help"]);
    const query = await measure("audit query --since 24h", ["audit", "query", "--since", "24h"]);
    const summary = await measure("audit summary --since 24h", [
      "audit",
      "summary",
      "--since",
      "24h",
      "--format",
      "json",
    ]);
    const all = await measure("audit query --since 24h --limit all --format csv", [
      "audit",
      "query",
      "--since",
      "24h",
      "--limit",
      "all",
      "--format",
      "csv",
    ]);
    await measure("audit query --since 24h --user user42 (user name: fan-out)", [
      "audit",
      "query",
      "--since",
      "24h",
      "--user",
      "user42",
    ]);
    await measure("audit query --since 30d --user <sub> (one partition)", [
      "audit",
      "query",
      "--since",
      "30d",
      "--user",
      "0b9c6f0e-5d3a-4e1f-9a7b-000000000042",
    ]);
    await measure("audit summary --since 7d", ["audit", "summary", "--since", "7d"]);
    await measure("audit report --since 30d", [
      "audit",
      "report",
      "--since",
      "30d",
      "--out",
      join(outDir, "r.html"),
    ]);
    console.log(["| command | median | range |", "| --- | --- | --- |", ...figures].join("\n"));

    // The window moves with the clock (a record every 4.3 s), so counts are compared with a margin.
    const inDay = RECORDS / DAYS;
    expect(query.stdout.trimEnd().split("\n")).toHaveLength(1001);
    const counted = JSON.parse(summary.stdout).records as number;
    expect(Math.abs(counted - inDay)).toBeLessThan(50);
    expect(Math.abs(all.stdout.split("\r\n").length - 2 - inDay)).toBeLessThan(50);
    const slowest = (label: string, ms: number[]) => expect(ms[RUNS - 1], label).toBeLessThan(BUDGET_MS);
    slowest("query", (await time(["audit", "query", "--since", "24h"])).ms);
    slowest("summary", (await time(["audit", "summary", "--since", "24h"])).ms);
  }, 600_000);
});
