/**
 * `audit report` for the reviewer (issue 17): the records behind the figures in static pages, app
 * client names next to ids (names file and stack outputs), failure and migration trends, the
 * comparison with the previous period, and users counted once whether a record names them by sub or
 * by user name. Seeded into dynalite with numbers chosen by hand, then checked against the same
 * numbers computed from the records in memory. With Chromium installed, the report is also rendered.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../cli/audit/command.ts";
import { UsageError } from "../../cli/usage-error.ts";
import { type AuditEntry, type AuditRecord, buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { expected } from "./model.ts";
import { seed } from "./seed.ts";

const TABLE = "report-reviewer-test";
const NOW = new Date("2026-05-10T12:00:00.000Z");
const HOUR = 3_600_000;
const POOL = "eu-west-1_Ab12Cd34E";
const CLIENTS = ["web1client", "srv2client", "adm3client"] as const;
const SUB = {
  hanako: "5f0c1a2b-0000-4000-8000-000000000001",
  taro: "5f0c1a2b-0000-4000-8000-000000000002",
  yamada: "5f0c1a2b-0000-4000-8000-000000000004",
  jiro: "5f0c1a2b-0000-4000-8000-000000000005",
};
const JAPANESE_NAME = "山田花子";
const HOSTILE_USER = `<script>alert("x")</script>'`;
const HOSTILE_EMAIL = `"><img src=x onerror=alert(1)>@evil.test`;
const HOSTILE_CLIENT_NAME = `Web <script>alert(1)</script> "app" & 'co'`;

function at(
  hoursAgo: number,
  entry: Omit<AuditEntry, "userPoolId" | "requestId" | "triggerSource">,
  id: string,
) {
  return buildAuditRecord(
    { triggerSource: "Test_Trigger", userPoolId: POOL, requestId: id, ...entry },
    new Date(NOW.getTime() - hoursAgo * HOUR),
    400,
  );
}

/**
 * This period (the 7 days before NOW) and the 7 days before it, by hand:
 * - 230 sign-ins of taro (sub and user name), one denied sign-in naming taro by user name only;
 * - hanako: migrated by user name (no sub yet), then signed in with sub and name, and with sub only;
 * - a Japanese user name, a refused migration, two failures, a hostile refused sign-up;
 * - jiro, migrated by name in the previous period, signs in with sub and name in this one.
 */
function records(): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let k = 0; k < 230; k++) {
    out.push(
      at(
        (k * 40 + 30) / 60,
        {
          event: "SIGN_IN",
          outcome: "success",
          sub: SUB.taro,
          userName: "taro",
          clientId: CLIENTS[k % 3],
          sourceIp: `198.51.100.${k % 7}`,
        },
        `bulk-${k}`,
      ),
    );
  }
  const denied = { event: "SIGN_IN_DENIED", outcome: "denied", reason: "ip-not-allowed" } as const;
  const signIn = { event: "SIGN_IN", outcome: "success" } as const;
  out.push(
    at(10, { ...denied, userName: "taro", clientId: "web1client", sourceIp: "203.0.113.9" }, "taro-name"),
    at(100, { event: "MIGRATED", outcome: "success", userName: "hanako", clientId: "srv2client" }, "mig"),
    at(99, { ...signIn, sub: SUB.hanako, userName: "hanako", clientId: "srv2client" }, "hanako-1"),
    at(50, { ...signIn, sub: SUB.hanako, clientId: "srv2client" }, "hanako-sub-only"),
    at(20, { ...signIn, sub: SUB.yamada, userName: JAPANESE_NAME, clientId: "adm3client" }, "yamada-1"),
    at(21, { ...denied, sub: SUB.yamada, userName: JAPANESE_NAME, clientId: "adm3client" }, "yamada-2"),
    at(
      30,
      { event: "MIGRATION_DENIED", outcome: "denied", reason: "bad-password", userName: "ghost" },
      "mig-no",
    ),
    at(98, { event: "WELCOME_EMAIL_FAILED", outcome: "failure", sub: SUB.hanako, userName: "hanako" }, "f1"),
    at(5, { event: "WELCOME_EMAIL_FAILED", outcome: "failure", sub: SUB.hanako, userName: "hanako" }, "f2"),
    at(
      2,
      {
        event: "SIGN_UP_DENIED",
        outcome: "denied",
        reason: "domain-not-allowed",
        userName: HOSTILE_USER,
        email: HOSTILE_EMAIL,
        clientId: "web1client",
      },
      "hostile",
    ),
    at(60, { ...signIn, sub: SUB.jiro, userName: "jiro", clientId: "web1client" }, "jiro-1"),
    // The previous period.
    at(200, { event: "MIGRATED", outcome: "success", userName: "jiro", clientId: "srv2client" }, "p-mig-1"),
    at(300, { event: "MIGRATED", outcome: "success", userName: "saburo", clientId: "srv2client" }, "p-mig-2"),
    at(170, { ...signIn, sub: SUB.hanako, userName: "hanako", clientId: "srv2client" }, "p-1"),
    at(180, { ...signIn, sub: SUB.hanako, userName: "hanako", clientId: "srv2client" }, "p-2"),
    at(190, { ...signIn, sub: SUB.hanako, userName: "hanako", clientId: "srv2client" }, "p-3"),
    at(250, { ...denied, sub: SUB.taro, userName: "taro", clientId: "web1client" }, "p-denied"),
    // Before both periods: never counted.
    at(400, { ...signIn, sub: SUB.taro, userName: "taro", clientId: "web1client" }, "older"),
  );
  return out;
}

const RECORDS = records();
const THIS_PERIOD = { since: new Date(NOW.getTime() - 168 * HOUR), until: NOW };
const PREVIOUS_PERIOD = { since: new Date(NOW.getTime() - 336 * HOUR), until: THIS_PERIOD.since };

let dynamo: LocalDynamo;
let cloudFormation: Server;
let dir: string;
let namesFile: string;

function describeStacksXml(stackName: string): string {
  const outputs: Array<[string, string, string]> = [
    ["AuditTableName", TABLE, "The audit trail"],
    ["SpaClientId", "web1client", "Public SPA client (SRP, no secret)"],
    ["ServerClientId", "srv2client", "Confidential server client (secret in the console)"],
  ];
  const members = outputs
    .map(
      ([key, value, description]) =>
        `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue><Description>${description}</Description></member>`,
    )
    .join("");
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/${stackName}/1</StackId><CreationTime>2026-05-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createAuditTable(dynamo.client, TABLE);
  await seed(dynamo.client, TABLE, RECORDS);
  cloudFormation = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      res.setHeader("content-type", "text/xml");
      res.end(describeStacksXml(new URLSearchParams(body).get("StackName") ?? ""));
    });
  });
  await new Promise<void>((resolve) => cloudFormation.listen(0, "127.0.0.1", resolve));
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), "audit-reviewer-"));
  namesFile = join(dir, "client-names.json");
  await writeFile(namesFile, JSON.stringify({ web1client: HOSTILE_CLIENT_NAME, srv2client: "サーバー" }));
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
  await new Promise<void>((resolve) => cloudFormation.close(() => resolve()));
  await dynamo.stop();
});

let reports = 0;

async function report(args: string[]): Promise<{ html: string; stderr: string; path: string }> {
  const path = join(dir, `report-${++reports}.html`);
  let stderr = "";
  const code = await auditCommand(["report", "--since", "7d", "--out", path, ...args], {
    stdout: () => {},
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
    now: () => NOW,
    env: { ...process.env, AUDIT_TABLE_NAME: TABLE },
    reader: {},
  });
  expect(code, stderr).toBe(0);
  return { html: await readFile(path, "utf8"), stderr, path };
}

/** People in the records: a user name counts as the sub any record links it to. */
function people(list: readonly AuditRecord[]): number {
  const subOf = new Map<string, string>();
  for (const r of RECORDS) if (r.sub && r.userName) subOf.set(r.userName, r.sub);
  return new Set(list.map((r) => r.sub ?? (r.userName ? (subOf.get(r.userName) ?? r.userName) : r.pk))).size;
}

function figures(list: readonly AuditRecord[]) {
  return {
    records: list.length,
    signIns: list.filter((r) => r.event === "SIGN_IN" && r.outcome === "success").length,
    denials: list.filter((r) => r.outcome === "denied").length,
    failures: list.filter((r) => r.outcome === "failure").length,
    migrations: list.filter((r) => r.event === "MIGRATED" && r.outcome === "success").length,
    users: people(list),
  };
}

const rowsOf = (html: string, page: number) =>
  (new RegExp(`<section id="records-${page}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? "").match(
    /<tr(?: class="\w+")?><td class="time">/g,
  )?.length ?? 0;

describe("audit report for the reviewer", () => {
  it("stays one file with no script and nothing loaded, and escapes hostile names", async () => {
    const { html } = await report(["--client-names", namesFile]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img|image|use|foreignObject)\b/i);
    expect(html).not.toMatch(/<[^>]*\s(src|srcset|action|xlink:href|on\w+)\s*=/i);
    expect(html).not.toMatch(/https?:|@import|url\(/i);
    // Every link stays in the page.
    for (const [, target] of html.matchAll(/<a\b[^>]*href="([^"]*)"/g))
      expect(target).toMatch(/^#records(-\d+)?$/);
    expect(html).toContain(`content="default-src 'none';`);

    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@evil.test");
    expect(html).toContain(
      `web1client <span class="client-name">Web &lt;script&gt;alert(1)&lt;/script&gt; &quot;app&quot; &amp; &#39;co&#39;</span>`,
    );
  });

  it("lists the newest --records records in pages of 50 with anchors between them", async () => {
    const inPeriod = expected(RECORDS, THIS_PERIOD);
    expect(inPeriod).toHaveLength(241);

    const { html } = await report([]);
    expect(html).toContain("The newest 200 of the 241 records behind the figures");
    expect(html).toContain(
      `Pages: <a href="#records-1">1–50</a> <a href="#records-2">51–100</a> <a href="#records-3">101–150</a> <a href="#records-4">151–200</a>`,
    );
    for (const page of [1, 2, 3, 4]) {
      expect(html).toContain(
        `<section id="records-${page}" class="records-page" data-page="${page}" data-rows="50">`,
      );
      expect(rowsOf(html, page)).toBe(50);
    }
    expect(html).not.toContain('id="records-5"');
    expect(html).toContain(
      `<a href="#records-1">← 1–50</a> · <a href="#records">all pages</a> · <a href="#records-3">101–150 →</a>`,
    );
    // Newest first: the first row is the newest record, the last the 200th newest.
    const times = [...html.matchAll(/<td class="time">([^<]+)<\/td>/g)].map((m) => m[1]);
    const show = (r: AuditRecord) => `${r.at.slice(0, 10)} ${r.at.slice(11, 19)}`;
    expect(times).toEqual(inPeriod.slice(0, 200).map(show));

    const short = await report(["--records", "120"]);
    expect([1, 2, 3].map((p) => rowsOf(short.html, p))).toEqual([50, 50, 20]);
    expect(short.html).toContain(`<a href="#records-3">101–120</a>`);

    const all = await report(["--records", "1000"]);
    expect(all.html).toContain("All 241 records behind the figures");
    expect(rowsOf(all.html, 5)).toBe(41);

    const none = await report(["--records", "0"]);
    expect(none.html).not.toContain('id="records');
    expect(none.html).not.toMatch(/href=/);
  });

  it("names app clients from the names file, and from the stack's outputs with --stack", async () => {
    const { html } = await report(["--client-names", namesFile]);
    expect(html).toContain(`srv2client <span class="client-name">サーバー</span>`);
    // A client without a name stays an id.
    expect(html).toContain("<td>adm3client</td>");
    // The top denied clients table too.
    expect(html).toMatch(/<tr><td>web1client <span class="client-name">Web &lt;script&gt;/);

    const stack = await report(["--stack", "suite"]);
    expect(stack.html).toContain(`web1client <span class="client-name">Public SPA client</span>`);
    expect(stack.html).toContain(`srv2client <span class="client-name">Confidential server client</span>`);
    // The file names win over the stack's.
    const both = await report(["--stack", "suite", "--client-names", namesFile]);
    expect(both.html).toContain(`srv2client <span class="client-name">サーバー</span>`);
    expect(both.html).not.toContain("Confidential server client");
  });

  it("lists the new options in the report's help", async () => {
    let help = "";
    const code = await auditCommand(["report", "--help"], {
      stdout: (text) => {
        help += text;
      },
      env: { ...process.env, AUDIT_TABLE_NAME: TABLE },
    });
    expect(code).toBe(0);
    expect(help).toMatch(/^ {2}--records <n> +newest records listed, 50 to a page \(default 200/m);
    expect(help).toMatch(/^ {2}--client-names <file> +JSON/m);
  });

  it("refuses a bad names file or --records before reading", async () => {
    const bad = join(dir, "bad.json");
    const cases: Array<[string, string | undefined, RegExp]> = [
      ["--client-names", join(dir, "missing.json"), /cannot read --client-names .*missing\.json: ENOENT/],
      ["--client-names", bad, /is not JSON/],
      ["--records", "x", /--records must be a whole number/],
      ["--records", "10001", /--records must be a whole number/],
    ];
    await writeFile(bad, "{ not json");
    for (const [option, value, message] of cases) {
      await expect(report([option, value ?? ""])).rejects.toThrow(message);
      await expect(report([option, value ?? ""])).rejects.toBeInstanceOf(UsageError);
    }
    // Checked before the table is read: a missing table would be exit 2 with another message.
    await expect(report(["--client-names", bad, "--table", "no-such-table"])).rejects.toThrow(/is not JSON/);
    await writeFile(bad, JSON.stringify(["web1client"]));
    await expect(report(["--client-names", bad])).rejects.toThrow(/must be a JSON object/);
    await writeFile(bad, JSON.stringify({ "not an id": "x" }));
    await expect(report(["--client-names", bad])).rejects.toThrow(/"not an id" is not an app client id/);
    await writeFile(bad, JSON.stringify({ web1client: 7 }));
    await expect(report(["--client-names", bad])).rejects.toThrow(/the name of web1client must be text/);
  });

  it("draws failures and migrations per day", async () => {
    const { html } = await report([]);
    expect(html).toContain("<h2>Failures per day</h2>");
    expect(html).toContain("<h2>Migrations per day</h2>");
    const chart = (title: string) => html.split(`<h2>${title}</h2>`)[1]?.split("</svg>")[0] ?? "";
    // 7 days from 12:00 touch 8 UTC days: a bar (possibly empty) per day.
    expect(chart("Failures per day").match(/<rect /g)).toHaveLength(8);
    expect(chart("Failures per day")).toContain("<title>2026-05-06: 1 failures</title>");
    expect(chart("Failures per day")).toContain("<title>2026-05-10: 1 failures</title>");
    const migrations = chart("Migrations per day");
    expect(migrations).toContain("<title>2026-05-06: 1 migrated</title>");
    expect(migrations).toContain("<title>2026-05-09: 1 refused</title>");
    // Two legend keys and the two non-empty segments.
    expect(migrations.match(/<rect /g)).toHaveLength(4);
  });

  it("compares with the previous period of the same length", async () => {
    const { html } = await report([]);
    const now = figures(expected(RECORDS, THIS_PERIOD));
    const before = figures(expected(RECORDS, PREVIOUS_PERIOD));
    expect(now).toEqual({ records: 241, signIns: 234, denials: 4, failures: 2, migrations: 1, users: 6 });
    expect(before).toEqual({ records: 6, signIns: 3, denials: 1, failures: 0, migrations: 2, users: 4 });
    const row = (key: string) => {
      const match = new RegExp(
        `<tr data-compare="${key}" data-current="(\\d+)" data-previous="(\\d+)" data-change="(-?\\d+)">(.*?)</tr>`,
      ).exec(html);
      return {
        current: Number(match?.[1]),
        previous: Number(match?.[2]),
        change: Number(match?.[3]),
        text: match?.[4],
      };
    };
    for (const key of Object.keys(now) as Array<keyof typeof now>) {
      expect(row(key), key).toMatchObject({
        current: now[key],
        previous: before[key],
        change: now[key] - before[key],
      });
    }
    expect(row("signIns").text).toContain("+231 (+7700%)");
    expect(row("denials").text).toContain('<td class="num up">+3 (+300%)</td>');
    expect(row("failures").text).toContain("+2 (new)");
    expect(row("migrations").text).toContain("−1 (−50%)");
    expect(html).toContain(
      "The same filters over the 7 days before this range: 2026-04-26 12:00 to 2026-05-03 12:00 UTC",
    );
  });

  it("counts a user once whether a record names them by sub or by user name", async () => {
    const { html } = await report([]);
    const metric = (name: string) =>
      Number(new RegExp(`data-metric="${name}" data-value="(\\d+)"`).exec(html)?.[1]);
    const inPeriod = expected(RECORDS, THIS_PERIOD);
    // Partitions: taro and hanako each under their sub and their user name.
    expect(new Set(inPeriod.map((r) => r.pk)).size).toBe(8);
    // People: taro, hanako, 山田花子, ghost, the hostile name, jiro.
    expect(metric("users")).toBe(6);
    expect(metric("users")).toBe(people(inPeriod));

    // Taro's denial by user name and by sub in one top-denied row: one person.
    const summary = await summaryJson(["--since", "14d"]);
    const taro = summary.topDeniedUsers.filter((u: { user: string }) => u.user === "taro");
    expect(taro).toEqual([expect.objectContaining({ user: "taro", count: 2 })]);
    expect(summary.users).toBe(people(expected(RECORDS, { since: PREVIOUS_PERIOD.since, until: NOW })));
  });

  it.skipIf(!chromium())("renders to a non-blank page, Japanese included (Chromium)", async () => {
    const { path } = await report(["--client-names", namesFile]);
    const page = decodePng(await screenshot(`file://${path}`, 1100, 1400));
    const ink = page.pixels.filter((p) => p < 200).length / page.pixels.length;
    expect(ink).toBeGreaterThan(0.01);
    expect(new Set(page.pixels).size).toBeGreaterThan(20);

    // Real glyphs, not boxes: four different characters draw differently from one repeated four times.
    const text = async (content: string) => {
      const file = join(dir, `glyphs-${content.codePointAt(1)}.html`);
      await writeFile(
        file,
        `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff"><p style="font:64px system-ui, 'Noto Sans CJK JP', sans-serif;margin:8px">${content}</p>`,
      );
      return decodePng(await screenshot(`file://${file}`, 400, 120));
    };
    const name = await text(JAPANESE_NAME);
    const same = await text("山山山山");
    expect(name.pixels.filter((p) => p < 128).length).toBeGreaterThan(500);
    expect(name.pixels).not.toEqual(same.pixels);
  });
});

async function summaryJson(args: string[]) {
  let stdout = "";
  const code = await auditCommand(["summary", "--format", "json", ...args], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
    stderrIsTTY: false,
    now: () => NOW,
    env: { ...process.env, AUDIT_TABLE_NAME: TABLE },
    reader: {},
  });
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

function chromium(): string | undefined {
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
}

async function screenshot(url: string, width: number, height: number): Promise<Buffer> {
  const out = join(dir, `shot-${Date.now()}-${Math.random().toString(36).slice(2)}.png`);
  await promisify(execFile)(
    chromium() as string,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--no-first-run",
      `--window-size=${width},${height}`,
      `--screenshot=${out}`,
      url,
    ],
    { timeout: 60_000 },
  );
  return readFile(out);
}

/** Grey levels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
function decodePng(png: Buffer): { width: number; height: number; pixels: number[] } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8], "bit depth").toBe(8);
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      expect(channels, "colour type").not.toBe(0);
      expect(body[12], "interlace").toBe(0);
    } else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (line[x - channels] as number) : 0;
      const b = previous[x] as number;
      const c = x >= channels ? (previous[x - channels] as number) : 0;
      const predictor =
        filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      line[x] = ((line[x] as number) + predictor) & 0xff;
    }
    rows.push(line);
    previous = line;
  }
  const pixels: number[] = [];
  for (const line of rows) {
    for (let x = 0; x < width; x++) {
      const i = x * channels;
      pixels.push(Math.round(((line[i] as number) + (line[i + 1] as number) + (line[i + 2] as number)) / 3));
    }
  }
  return { width, height, pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
