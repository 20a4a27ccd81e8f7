/**
 * `cognito-triggers audit` against dynalite seeded with five days of records over several users,
 * clients and addresses: every filter, every format and the summary numbers, checked against the
 * plain in-memory answer (model.ts).
 */
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../cli/audit/command.ts";
import type { AuditSummary } from "../../cli/audit/summary.ts";
import { UsageError } from "../../cli/usage-error.ts";
import type { AuditRecord } from "../../triggers/lib/audit/record.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { expected, ids, parseCsv } from "./model.ts";
import {
  ESCAPE_NAME,
  functionalRecords,
  HOSTILE_EMAIL,
  HOSTILE_NAME,
  MARKUP_NAME,
  NOW,
  seed,
  USERS,
} from "./seed.ts";

const TABLE = "audit-cli-test";
const RECORDS = functionalRecords();
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const ALL = { since: ago(24 * 6), until: NOW };
const TWO_DAYS = { since: ago(48), until: NOW };

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createAuditTable(dynamo.client, TABLE);
  await seed(dynamo.client, TABLE, RECORDS);
});
afterAll(async () => dynamo.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(
  args: string[],
  options: { pageSize?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await auditCommand(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
    now: () => NOW,
    env: { ...process.env, AUDIT_TABLE_NAME: TABLE, ...options.env },
    reader: options.pageSize ? { pageSize: options.pageSize } : {},
  });
  return { code, stdout, stderr };
}

async function queryJson(args: string[], options: { pageSize?: number } = {}): Promise<AuditRecord[]> {
  const run = await audit(["query", "--format", "json", "--limit", "all", ...args], options);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

async function summaryJson(args: string[]): Promise<AuditSummary> {
  const run = await audit(["summary", "--format", "json", ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

const userIs = (name: string) => (r: AuditRecord) => r.userName === name;

describe("audit query: time range", () => {
  it("defaults to the last 24 hours, newest first", async () => {
    const items = await queryJson([]);
    const want = expected(RECORDS, { since: ago(24), until: NOW });
    expect(want).toHaveLength(42);
    expect(ids(items)).toEqual(ids(want));
  });

  it("takes durations back from now", async () => {
    for (const [flag, hours] of [
      ["90m", 1.5],
      ["2d", 48],
      ["1w", 168],
    ] as const) {
      const items = await queryJson(["--since", flag]);
      expect(ids(items), flag).toEqual(ids(expected(RECORDS, { since: ago(hours), until: NOW })));
    }
  });

  it("takes ISO-8601 bounds, --until exclusive, a time without zone as UTC", async () => {
    const items = await queryJson(["--since", "2026-05-07", "--until", "2026-05-08T06:00"]);
    const want = expected(RECORDS, {
      since: new Date("2026-05-07T00:00:00Z"),
      until: new Date("2026-05-08T06:00:00Z"),
    });
    expect(want.length).toBeGreaterThan(30);
    expect(ids(items)).toEqual(ids(want));

    const offset = await queryJson(["--since", "2026-05-07T09:00+09:00", "--until", "2026-05-07T03:00:00Z"]);
    expect(ids(offset)).toEqual(
      ids(expected(RECORDS, { since: new Date("2026-05-07T00:00Z"), until: new Date("2026-05-07T03:00Z") })),
    );
  });

  it("excludes a record exactly at --until and includes one exactly at --since", async () => {
    const record = RECORDS.find((r) => r.requestId === "req-10") as AuditRecord;
    const at = new Date(record.at);
    const from = await queryJson(["--since", record.at, "--until", new Date(at.getTime() + 1).toISOString()]);
    expect(ids(from)).toEqual(["req-10"]);
    const before = await queryJson([
      "--since",
      new Date(at.getTime() - HOUR).toISOString(),
      "--until",
      record.at,
    ]);
    expect(ids(before)).not.toContain("req-10");
  });
});

describe("audit query: filters", () => {
  it("--event, as a comma list, repeated, and in any case", async () => {
    const denied = await queryJson(["--since", "2d", "--event", "SIGN_IN_DENIED,sign_up_denied"]);
    const want = expected(RECORDS, { ...TWO_DAYS, events: ["SIGN_IN_DENIED", "SIGN_UP_DENIED"] });
    expect(want.length).toBeGreaterThan(20);
    expect(ids(denied)).toEqual(ids(want));
    const repeated = await queryJson([
      "--since",
      "2d",
      "--event",
      "SIGN_IN_DENIED",
      "--event",
      "SIGN_UP_DENIED",
    ]);
    expect(ids(repeated)).toEqual(ids(want));
    const migrated = await queryJson(["--since", "4d", "--event", "MIGRATED"]);
    expect(ids(migrated)).toEqual(["req-migrated"]);
  });

  it("--outcome", async () => {
    for (const outcome of ["success", "denied", "failure"]) {
      const items = await queryJson(["--since", "2d", "--outcome", outcome]);
      expect(ids(items), outcome).toEqual(ids(expected(RECORDS, { ...TWO_DAYS, outcomes: [outcome] })));
    }
  });

  it("--client, one or several", async () => {
    const one = await queryJson(["--since", "3d", "--client", "srv2client"]);
    expect(ids(one)).toEqual(ids(expected(RECORDS, { since: ago(72), until: NOW, clients: ["srv2client"] })));
    const two = await queryJson(["--since", "3d", "--client", "srv2client", "--client", "adm3client"]);
    const want = expected(RECORDS, { since: ago(72), until: NOW, clients: ["srv2client", "adm3client"] });
    expect(ids(two)).toEqual(ids(want));
    expect(two.length).toBeGreaterThan(one.length);
  });

  it("--ip: an IPv4 address, a range, an IPv6 address in another spelling, an IPv6 range", async () => {
    const cases: Array<[string[], string[]]> = [
      [["198.51.100.7"], ["198.51.100.7"]],
      [["198.51.100.0/24"], ["198.51.100.0/24"]],
      [["2001:0db8:0:0::5"], ["2001:db8::5"]],
      [
        ["2001:db8::/32", "203.0.113.66"],
        ["2001:db8::/32", "203.0.113.66"],
      ],
    ];
    for (const [flags, model] of cases) {
      const items = await queryJson(["--since", "2d", ...flags.flatMap((f) => ["--ip", f])]);
      const want = expected(RECORDS, { ...TWO_DAYS, ips: model });
      expect(want.length, flags.join()).toBeGreaterThan(0);
      expect(ids(items), flags.join()).toEqual(ids(want));
    }
  });

  it("combines filters with AND", async () => {
    const items = await queryJson([
      "--since",
      "6d",
      "--user",
      "bob",
      "--outcome",
      "denied",
      "--ip",
      "198.51.100.0/24",
      "--client",
      "srv2client,adm3client",
    ]);
    const want = expected(RECORDS, {
      ...ALL,
      user: userIs("bob"),
      outcomes: ["denied"],
      ips: ["198.51.100.0/24"],
      clients: ["srv2client", "adm3client"],
    });
    expect(want.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(ids(want));
  });
});

describe("audit query: --user", () => {
  const daveAll = expected(RECORDS, { ...ALL, user: userIs("dave") });

  it("finds a sub's records, with the records keyed by its user name before it had a sub", async () => {
    expect(ids(daveAll)).toContain("req-migrated");
    const items = await queryJson(["--since", "6d", "--user", USERS.dave.sub]);
    expect(ids(items)).toEqual(ids(daveAll));
  });

  it("finds a sub's records keyed by its user name even when a filter matches only those", async () => {
    const migrated = await queryJson(["--since", "6d", "--user", USERS.dave.sub, "--event", "MIGRATED"]);
    expect(ids(migrated)).toEqual(["req-migrated"]);
    const limited = await queryJson([
      "--since",
      "6d",
      "--user",
      USERS.dave.sub,
      "--outcome",
      "success",
      "--limit",
      "100",
    ]);
    expect(ids(limited)).toEqual(
      ids(expected(RECORDS, { ...ALL, user: userIs("dave"), outcomes: ["success"] })),
    );
  });

  it("finds the same records by user name and by email, whatever the email's case", async () => {
    expect(ids(await queryJson(["--since", "6d", "--user", "dave"]))).toEqual(ids(daveAll));
    expect(ids(await queryJson(["--since", "6d", "--user", "DAVE@Example.net"]))).toEqual(ids(daveAll));
  });

  it("includes at-most-once records (sort key ONCE#...) inside the range only", async () => {
    const alice = await queryJson(["--since", "6d", "--user", USERS.alice.sub]);
    expect(ids(alice)).toEqual(ids(expected(RECORDS, { ...ALL, user: userIs("alice") })));
    expect(ids(alice)).toContain("req-once");
    const before = await queryJson(["--since", "6d", "--until", "3h", "--user", USERS.alice.sub]);
    expect(ids(before)).not.toContain("req-once");
    expect(ids(before)).toEqual(
      ids(expected(RECORDS, { since: ALL.since, until: ago(3), user: userIs("alice") })),
    );
  });

  it("bounds a sub's partition by the range", async () => {
    const items = await queryJson([
      "--since",
      "2026-05-08T00:00Z",
      "--until",
      "2026-05-09",
      "--user",
      USERS.carol.sub,
    ]);
    const want = expected(RECORDS, {
      since: new Date("2026-05-08T00:00Z"),
      until: new Date("2026-05-09T00:00Z"),
      user: (r) => r.sub === USERS.carol.sub,
    });
    expect(want.length).toBeGreaterThan(5);
    expect(ids(items)).toEqual(ids(want));
  });

  it("finds users that never got a sub (refused sign-ups, unknown users) by name", async () => {
    const items = await queryJson(["--since", "6d", "--user", "intruder1@evil.test"]);
    expect(ids(items)).toEqual(ids(expected(RECORDS, { ...ALL, user: userIs("intruder1") })));
    const hostile = await queryJson(["--since", "6d", "--user", HOSTILE_NAME]);
    expect(ids(hostile)).toEqual(["req-hostile-1"]);
  });

  it("answers an unknown user with no records", async () => {
    const run = await audit(["query", "--since", "2d", "--user", "nobody"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("TIME  EVENT  OUTCOME  REASON  USER  EMAIL  CLIENT  SOURCE IP\n");
    expect(run.stderr).toBe("no matching records\n");
  });
});

describe("audit query: --limit, pages, --scan", () => {
  it("prints the newest N and says when more match", async () => {
    const run = await audit(["query", "--since", "6d", "--limit", "5", "--format", "json"]);
    expect(ids(JSON.parse(run.stdout))).toEqual(ids(expected(RECORDS, ALL).slice(0, 5)));
    expect(run.stderr).toContain("showing the newest 5; more records match");

    const exact = await audit(["query", "--since", "2h", "--limit", "7", "--format", "json"]);
    expect(JSON.parse(exact.stdout)).toHaveLength(expected(RECORDS, { since: ago(2), until: NOW }).length);
    expect(exact.stderr).not.toContain("more records match");
  });

  it("limits across day boundaries and per user", async () => {
    const want = expected(RECORDS, { ...ALL, events: ["SIGN_UP_DENIED"] });
    const limited = await queryJson(["--since", "6d", "--event", "SIGN_UP_DENIED", "--limit", "4"]);
    expect(ids(limited)).toEqual(ids(want.slice(0, 4)));
    const user = await audit([
      "query",
      "--since",
      "6d",
      "--user",
      USERS.dave.sub,
      "--limit",
      "3",
      "--format",
      "json",
    ]);
    expect(ids(JSON.parse(user.stdout))).toEqual(
      ids(expected(RECORDS, { ...ALL, user: userIs("dave") }).slice(0, 3)),
    );
  });

  it("gives the same answers page by page, with progress on stderr when many pages are read", async () => {
    const run = await audit(["query", "--since", "6d", "--limit", "all", "--format", "json"], {
      pageSize: 2,
    });
    expect(ids(JSON.parse(run.stdout))).toEqual(ids(expected(RECORDS, ALL)));
    expect(run.stderr).toMatch(
      /^audit: \d+ pages, [\d,]+ records read, [\d,]+ matched, \d+\/\d+ partitions done$/m,
    );
    expect(run.stderr).toMatch(/^audit: done, \d+ pages, 205 records read, 205 matched in [\d.]+ s$/m);

    const paged = await audit(
      ["query", "--since", "6d", "--user", "bob", "--limit", "9", "--format", "json"],
      {
        pageSize: 3,
      },
    );
    expect(ids(JSON.parse(paged.stdout))).toEqual(
      ids(expected(RECORDS, { ...ALL, user: userIs("bob") }).slice(0, 9)),
    );
  });

  it("stays quiet on stderr for a short read", async () => {
    const run = await audit(["query", "--format", "csv"]);
    expect(run.stderr).toBe("");
  });

  it("--scan reads the whole table and gives the same answer", async () => {
    for (const args of [
      ["--since", "6d"],
      ["--since", "2d", "--outcome", "denied", "--ip", "198.51.100.0/24"],
      ["--since", "6d", "--user", USERS.dave.sub],
      ["--since", "6d", "--user", "bob@example.com"],
    ]) {
      const viaKeys = await queryJson(args);
      const viaScan = await queryJson([...args, "--scan"]);
      expect(ids(viaScan), args.join(" ")).toEqual(ids(viaKeys));
    }
  });
});

describe("audit query: formats", () => {
  it("table: aligned columns, terminal escapes shown, not sent", async () => {
    const run = await audit(["query", "--since", "2h"]);
    const lines = run.stdout.trimEnd().split("\n");
    const want = expected(RECORDS, { since: ago(2), until: NOW });
    expect(lines).toHaveLength(want.length + 1);
    const header = lines[0] as string;
    for (const column of ["EVENT", "OUTCOME", "USER", "SOURCE IP"]) {
      const offset = header.indexOf(column);
      const index = ["TIME", "EVENT", "OUTCOME", "REASON", "USER", "EMAIL", "CLIENT", "SOURCE IP"].indexOf(
        column,
      );
      lines.slice(1).forEach((line, row) => {
        const record = want[row] as AuditRecord;
        const value = [
          record.at,
          record.event,
          record.outcome,
          record.reason,
          record.userName,
          record.email,
          record.clientId,
          record.sourceIp,
        ][index];
        if (column !== "USER")
          expect(line.slice(offset).startsWith(value ?? "-"), `${column} of row ${row}`).toBe(true);
      });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none reach the terminal
    expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(run.stdout).toContain("\\u001b[2Jmallory\\u202e");
    expect(run.stderr).toBe(`${want.length} records, newest first\n`);
  });

  it("json: every field of the record, exactly, with bidi and control characters escaped", async () => {
    const run = await audit(["query", "--since", "6d", "--format", "json", "--limit", "all"]);
    expect(run.stdout).not.toMatch(/\u202e/);
    const items = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const byId = new Map(RECORDS.map((r) => [r.requestId, r]));
    for (const item of items) {
      const { dayShard: _shard, ...stored } = byId.get(item.requestId as string) as AuditRecord;
      expect(item).toEqual(stored);
    }
    expect(items.find((i) => i.requestId === "req-hostile-3")?.userName).toBe(ESCAPE_NAME);
  });

  it("jsonl: one JSON object per line, no array, the same records as json", async () => {
    const args = ["query", "--since", "6d", "--limit", "all"];
    const json = JSON.parse((await audit([...args, "--format", "json"])).stdout) as unknown[];
    const run = await audit([...args, "--format", "jsonl"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith("}\n")).toBe(true);
    const lines = run.stdout.slice(0, -1).split("\n");
    expect(lines).toHaveLength(json.length);
    expect(lines.map((line) => JSON.parse(line))).toEqual(json);
    for (const line of lines) expect(line.startsWith("{")).toBe(true);
    expect(run.stdout).not.toMatch(/\u202e/);
  });

  it("csv: RFC 4180, CRLF, quoting, no formula a spreadsheet would run", async () => {
    const run = await audit(["query", "--since", "2h", "--format", "csv"]);
    expect(run.stdout.endsWith("\r\n")).toBe(true);
    expect(run.stdout.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual([
      "at",
      "event",
      "outcome",
      "reason",
      "userName",
      "sub",
      "email",
      "clientId",
      "sourceIp",
      "userPoolId",
      "triggerSource",
      "newDeviceUsed",
      "requestId",
      "expiresAt",
      "pk",
      "sk",
    ]);
    const want = expected(RECORDS, { since: ago(2), until: NOW });
    const column = (name: string) => (header as string[]).indexOf(name);
    expect(rows.map((r) => r[column("requestId")])).toEqual(ids(want));
    const row = (id: string) => rows.find((r) => r[column("requestId")] === id) as string[];
    expect(row("req-hostile-1")[column("userName")]).toBe(`'${HOSTILE_NAME}`);
    expect(row("req-hostile-1")[column("email")]).toBe(`'${HOSTILE_EMAIL}`);
    expect(row("req-hostile-2")[column("userName")]).toBe(MARKUP_NAME);
    expect(run.stdout).toContain(`"<script>alert(""1,2"")</script>"`);
    expect(row("req-hostile-3")[column("userName")]).toBe("\\u001b[2Jmallory\\u202e");
    for (const cells of rows) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe("audit summary", () => {
  it("--format jsonl: the summary as one JSON object on one line", async () => {
    const run = await audit(["summary", "--since", "2d", "--format", "jsonl"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toHaveLength(2);
    expect(JSON.parse(run.stdout)).toEqual(await summaryJson(["--since", "2d"]));
  });

  it("counts the last 24 hours per event and outcome, with the top denied IPs, users and clients", async () => {
    const summary = await summaryJson([]);
    const want = expected(RECORDS, { since: ago(24), until: NOW });
    // 38 rotation records (7 denied sign-ins, 3 refused sign-ups, 28 sign-ins), one ONCE record, three hostile denials.
    expect(summary).toMatchObject({ records: 42, signIns: 28, denials: 13, failures: 0 });
    expect(summary.byEvent).toEqual([
      { event: "SIGN_IN", outcome: "success", count: 28 },
      { event: "SIGN_IN_DENIED", outcome: "denied", count: 10 },
      { event: "SIGN_UP_DENIED", outcome: "denied", count: 3 },
      { event: "SIGN_UP_CONFIRMED", outcome: "success", count: 1 },
    ]);
    expect(summary.users).toBe(new Set(want.map((r) => r.pk)).size);
    expect(summary.ips).toBe(new Set(want.map((r) => r.sourceIp).filter(Boolean)).size);
    expect(summary.topDeniedIps[0]).toEqual({
      ip: "203.0.113.66",
      count: 3,
      users: 3,
      last: ago(0.5).toISOString(),
    });
    const deniedIps = new Map<string, number>();
    for (const r of want)
      if (r.outcome === "denied" && r.sourceIp)
        deniedIps.set(r.sourceIp, (deniedIps.get(r.sourceIp) ?? 0) + 1);
    expect(Object.fromEntries(summary.topDeniedIps.map((d) => [d.ip, d.count]))).toEqual(
      Object.fromEntries(deniedIps),
    );
    expect(summary.topDeniedUsers.slice(0, 4).map((u) => [u.user, u.count])).toEqual([
      ["bob", 2],
      [USERS.carol.userName, 2],
      ["intruder1", 2],
      ["dave", 2],
    ]);
    const deniedClients = new Map<string, number>();
    for (const r of want)
      if (r.outcome === "denied" && r.clientId)
        deniedClients.set(r.clientId, (deniedClients.get(r.clientId) ?? 0) + 1);
    expect(summary.topDeniedClients.map((c) => [c.clientId, c.count])).toEqual(
      [...deniedClients].sort((a, b) => b[1] - a[1]),
    );
    expect(summary.topDenialReasons).toEqual([
      { reason: "ip-not-allowed", count: 10 },
      { reason: "domain-not-allowed", count: 3 },
    ]);
    expect(summary.timeline.bucket).toBe("hour");
    expect(summary.timeline.buckets).toHaveLength(24);
    expect(summary.timeline.buckets.reduce((s, b) => s + b.signIns, 0)).toBe(28);
    expect(summary.timeline.buckets.reduce((s, b) => s + b.denials, 0)).toBe(13);
    expect(summary.timeline.buckets.at(-1)).toEqual({
      start: "2026-05-10T11:00:00.000Z",
      signIns: 1,
      denials: 3,
      failures: 0,
      migrations: 0,
      migrationsDenied: 0,
    });
  });

  it("applies the filters and --top", async () => {
    const summary = await summaryJson(["--since", "6d", "--client", "web1client", "--top", "2"]);
    const want = expected(RECORDS, { ...ALL, clients: ["web1client"] });
    expect(summary.records).toBe(want.length);
    expect(summary.denials).toBe(want.filter((r) => r.outcome === "denied").length);
    expect(summary.topDeniedIps).toHaveLength(2);
    expect(summary.topDeniedClients).toEqual([
      expect.objectContaining({ clientId: "web1client", count: summary.denials }),
    ]);
    const dave = await summaryJson(["--since", "6d", "--user", USERS.dave.sub]);
    expect(dave.records).toBe(expected(RECORDS, { ...ALL, user: userIs("dave") }).length);
  });

  it("prints text with a compact chart of sign-ins per hour", async () => {
    const run = await audit(["summary"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("42 records  28 sign-ins  13 denials  0 failures");
    expect(run.stdout).toMatch(/^203\.0\.113\.66 +3 +3 +2026-05-10T11:30:00\.000Z$/m);
    const hours = run.stdout.split("\n").filter((l) => /^2026-05-\d\d \d\d:00 /.test(l));
    expect(hours).toHaveLength(24);
    expect(hours.at(-1)).toMatch(/^2026-05-10 11:00 {2}█{20} +1 +3$/);
    expect(hours.filter((l) => l.includes("█".repeat(40)))).not.toHaveLength(0);
    expect(run.stdout).toContain("\\u001b[2Jmallory\\u202e");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none reach the terminal
    expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
  });

  it("draws a longer range as one sparkline of 24 hours per day", async () => {
    const run = await audit(["summary", "--since", "2026-05-06", "--until", "2026-05-10"]);
    const days = run.stdout.split("\n").filter((l) => /^2026-05-0\d {2}/.test(l));
    expect(days.map((l) => l.slice(0, 10))).toEqual(["2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09"]);
    const signIns = expected(RECORDS, {
      since: new Date("2026-05-06T00:00Z"),
      until: new Date("2026-05-07T00:00Z"),
      events: ["SIGN_IN"],
    }).length;
    expect(days[0]).toMatch(new RegExp(`^2026-05-06  [·▁▂▃▄▅▆▇█]{24} +${signIns} +\\d+$`));
  });
});

describe("audit report", () => {
  it("writes one self-contained HTML file with the numbers, readable by its owner only", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-report-"));
    const out = join(dir, "report.html");
    await writeFile(out, "an older report", { mode: 0o644 });
    const run = await audit(["report", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`wrote ${out} (205 records,`);
    const html = await readFile(out, "utf8");

    // Self-contained: no URL, nothing loaded, no script; the CSP forbids it anyway. The only links
    // are in-page anchors between the pages of records.
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\b(src|srcset|action|xlink:href)\s*=/i);
    expect(html).not.toMatch(/\bhref\s*=\s*"(?!#records(-\d+)?")/i);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);

    const want = expected(RECORDS, { since: ago(24 * 30), until: NOW });
    const metric = (name: string) =>
      Number(new RegExp(`data-metric="${name}" data-value="(\\d+)"`).exec(html)?.[1]);
    expect(metric("records")).toBe(205);
    expect(metric("records")).toBe(want.length);
    expect(metric("signIns")).toBe(want.filter((r) => r.event === "SIGN_IN").length);
    expect(metric("denials")).toBe(want.filter((r) => r.outcome === "denied").length);
    // Users are people: dave's migration (keyed by user name, before he had a sub) is dave.
    const subOf = new Map(want.filter((r) => r.sub && r.userName).map((r) => [r.userName, r.sub]));
    expect(metric("users")).toBe(new Set(want.map((r) => r.sub ?? subOf.get(r.userName) ?? r.pk)).size);
    expect(metric("users")).toBe(new Set(want.map((r) => r.pk)).size - 1);
    expect(metric("ips")).toBe(new Set(want.map((r) => r.sourceIp).filter(Boolean)).size);

    // 30 days: a bar per day, each with its count in the tooltip.
    expect(html).toContain("<h2>Sign-ins per day</h2>");
    const chart = (title: string) => html.split(`<h2>${title}</h2>`)[1]?.split("</svg>")[0] ?? "";
    for (const title of ["Sign-ins per day", "Denials per day", "Failures per day"]) {
      expect(chart(title).match(/<rect /g), title).toHaveLength(31);
    }
    const may9 = want.filter((r) => r.at.startsWith("2026-05-09") && r.event === "SIGN_IN").length;
    expect(html).toContain(`<title>2026-05-09: ${may9} sign-ins</title>`);

    const denied = want.filter((r) => r.outcome === "denied");
    const countBy = (key: (r: AuditRecord) => string | undefined) => {
      const counts = new Map<string, number>();
      for (const r of denied) {
        const k = key(r);
        if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return [...counts].sort((a, b) => b[1] - a[1]);
    };
    const [topIp, topIpCount] = countBy((r) => r.sourceIp)[0] as [string, number];
    expect(html).toContain(`<tr><td>${topIp}</td><td class="num">${topIpCount}</td>`);
    for (const [client, count] of countBy((r) => r.clientId)) {
      expect(html).toContain(`<tr><td>${client}</td><td class="num">${count}</td>`);
    }
    expect(html).toContain(
      `<tr><td>bob</td><td>bob@example.com</td><td class="num">${countBy((r) => r.userName).find(([u]) => u === "bob")?.[1]}</td>`,
    );
    expect(html).toContain("<td>&lt;script&gt;alert(&quot;1,2&quot;)&lt;/script&gt;</td>");
    expect(html).toContain("<td>\\u001b[2Jmallory\\u202e</td>");
    expect(html).not.toContain("<script>");

    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["report.html"]);
  });

  it("refuses an --out it could not write, before reading", async () => {
    await expect(audit(["report", "--out", "/nonexistent-dir/report.html"])).rejects.toThrow(
      "cannot write /nonexistent-dir/report.html: ENOENT",
    );
  });

  it("draws hours for a short range and keeps the filters in the header", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-report-"));
    const out = join(dir, "day.html");
    const run = await audit(["report", "--since", "24h", "--outcome", "denied", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const html = await readFile(out, "utf8");
    expect(html).toContain("<h2>Denials per hour</h2>");
    expect(html).toContain("Filters: outcome denied");
    expect(html).toMatch(/data-metric="records" data-value="13"/);
    expect(html).toContain("<title>2026-05-10 11:00 UTC: 3 denials</title>");
  });
});

describe("audit errors", () => {
  it("refuses bad input with one clear line before reading anything", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["query", "--since", "yesterday"], /--since "yesterday" is not a time/],
      [["query", "--since", "2026-02-30"], /not a valid date/],
      [["query", "--since", "1h", "--until", "2h"], /--since .* must be before --until/],
      [["query", "--outcome", "maybe"], /--outcome "maybe" must be one of success, denied, failure/],
      [["query", "--event", "sign in"], /--event "SIGN IN" is not an event name/],
      [["query", "--ip", "300.1.1.1"], /--ip "300.1.1.1" is not an IP address or CIDR range/],
      [["query", "--ip", "10.0.0.0/33"], /--ip "10.0.0.0\/33"/],
      [["query", "--client", "a b"], /--client "a b" is not an app client id/],
      [["query", "--client", ""], /--client needs a value/],
      [["query", "--user", " "], /--user needs a sub, a user name or an email address/],
      [["query", "--limit", "0"], /--limit must be a whole number from 1/],
      [["query", "--format", "xml"], /--format must be one of table, json, jsonl, csv/],
      [["summary", "--format", "csv"], /--format must be one of text, json, jsonl/],
      [["summary", "--top", "x"], /--top must be a whole number/],
      [["report"], /report needs --out <file>/],
      [["query", "--table", "a b"], /"a b" is not a DynamoDB table name/],
      [["query", "--stack", "bad stack"], /"bad stack" is not a CloudFormation stack name/],
      [["query", "--stack", "Suite", "--table", "t1"], /pass --table or --stack, not both/],
      [["frobnicate"], /unknown audit command "frobnicate" \(query, summary or report\)/],
      [["sumary"], /unknown audit command "sumary" \(did you mean summary\?\)/],
      [["query", "--sinse", "1h"], /^unknown option --sinse for audit query \(did you mean --since\?\)$/],
      [["report", "--outt", "x"], /^unknown option --outt for audit report \(did you mean --out\?\)$/],
      [["summary", "--limit", "3"], /^unknown option --limit for audit summary$/],
    ];
    for (const [args, message] of cases) {
      await expect(audit(args), args.join(" ")).rejects.toThrow(message);
      await expect(audit(args)).rejects.toBeInstanceOf(UsageError);
    }
    await expect(audit(["query"], { env: { AUDIT_TABLE_NAME: "" } })).rejects.toThrow(
      "no audit table: pass --table <name>, --stack <name> or set AUDIT_TABLE_NAME",
    );
  });

  it("names a missing table, or a table without the time index, with exit 2", async () => {
    const missing = await audit(["query", "--table", "no-such-table"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `cognito-triggers: table "no-such-table" not found in ${dynamo.endpoint} (check --table or AUDIT_TABLE_NAME, and AWS_REGION)\n`,
    );
    const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: "not-an-audit-table",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      }),
    );
    const noIndex = await audit(["summary", "--table", "not-an-audit-table"]);
    expect(noIndex.code).toBe(2);
    expect(noIndex.stderr).toBe(
      'cognito-triggers: table "not-an-audit-table" has no "byTime" index: is it the audit table?\n',
    );
  });
});
