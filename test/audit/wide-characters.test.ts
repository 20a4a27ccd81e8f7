/**
 * The audit tables are aligned by display width, as a terminal draws them: Japanese names and emails
 * (two columns per character), half-width katakana (one), emoji and emoji sequences (two). Checked
 * through `audit query` (table) and `audit summary` (text) against dynalite, by the terminal column at
 * which each cell starts (left-aligned) or ends (right-aligned).
 */
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../cli/audit/command.ts";
import { textTable } from "../../cli/audit/format-records.ts";
import { type AuditRecord, buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { NOW, POOL, seed } from "./seed.ts";

const TABLE = "audit-wide-characters";
const LONG_NAME = "山".repeat(30);
const PEOPLE = [
  { userName: "山田太郎", email: "たろう@例え.jp" },
  { userName: "🦊fox", email: "fox🦊@example.com" },
  { userName: "ｱｲｳｴｵ", email: "kana@example.jp" },
  { userName: "👩‍💻dev", email: "dev@example.com" },
  { userName: "plain", email: "plain@example.com" },
  { userName: LONG_NAME, email: "long@example.jp" },
];

function records(): AuditRecord[] {
  return PEOPLE.flatMap((person, p) =>
    [0, 1].map((k) =>
      buildAuditRecord(
        {
          event: "SIGN_IN_DENIED",
          outcome: "denied",
          reason: "ip-not-allowed",
          triggerSource: "PreAuthentication_Authentication",
          userPoolId: POOL,
          clientId: "web1client",
          ...person,
          sub: `0b9c6f0e-5d3a-4e1f-9a7b-00000000000${p}`,
          sourceIp: `203.0.113.${p * 2 + k}`,
          requestId: `wide-${p}-${k}`,
        },
        new Date(NOW.getTime() - (p * 2 + k + 1) * 60_000),
        400,
      ),
    ),
  );
}

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createAuditTable(dynamo.client, TABLE);
  await seed(dynamo.client, TABLE, records());
});
afterAll(async () => dynamo.stop());

async function audit(args: string[]): Promise<string> {
  let stdout = "";
  const code = await auditCommand([...args, "--table", TABLE], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
    stderrIsTTY: false,
    now: () => NOW,
    env: process.env,
  });
  expect(code).toBe(0);
  return stdout;
}

/** Cells are separated by two or more spaces; no cell here holds two spaces in a row. */
function cells(line: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  for (const match of line.matchAll(/\S+(?: \S+)*/g)) {
    const start = stringWidth(line.slice(0, match.index));
    out.push({ text: match[0], start, end: start + stringWidth(match[0]) });
  }
  return out;
}

/** Every row's cells start (or, for right-aligned columns, end) at the header's terminal column. */
function expectAligned(lines: string[], rightAligned: readonly number[] = []): void {
  const [header, ...rows] = lines.map(cells);
  expect(rows.length).toBeGreaterThan(0);
  for (const [r, row] of rows.entries()) {
    expect(row, lines[r + 1]).toHaveLength(header?.length ?? 0);
    for (const [c, cell] of row.entries()) {
      const head = header?.[c];
      if (rightAligned.includes(c)) {
        // A right-aligned column ends where its widest cell (or its header) ends.
        const end = Math.max(...[header, ...rows].map((line) => line?.[c]?.end ?? 0));
        expect(cell.end, `${lines[r + 1]} column ${c}`).toBe(end);
      } else {
        expect(cell.start, `${lines[r + 1]} column ${c}`).toBe(head?.start);
      }
    }
  }
}

describe("tables aligned by display width", () => {
  it("audit query: Japanese names and emails, half-width kana and emoji keep the columns straight", async () => {
    const out = await audit(["query", "--since", "1h"]);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + PEOPLE.length * 2);
    for (const person of PEOPLE.slice(0, 5)) {
      expect(out).toContain(person.userName);
      expect(out).toContain(person.email);
    }
    expectAligned(lines);
  });

  it("cuts a cell wider than 40 columns at a character boundary, to at most 40 columns", async () => {
    const out = await audit(["query", "--since", "1h"]);
    const row = out.split("\n").find((line) => line.includes("long@example.jp")) as string;
    const user = cells(row)[4]?.text as string;
    expect(user).toBe(`${"山".repeat(19)}…`);
    expect(stringWidth(user)).toBeLessThanOrEqual(40);
  });

  it("audit summary: the top denied users table, counts right-aligned", async () => {
    const out = await audit(["summary", "--since", "1h"]);
    const section = out.split("Top denied users\n")[1]?.split("\n\n")[0] as string;
    const lines = section.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^USER\s+EMAIL\s+DENIALS\s+IPS\s+LAST$/);
    expect(lines).toHaveLength(1 + PEOPLE.length);
    expectAligned(lines, [2, 3]);
  });

  it("textTable pads by terminal columns, not UTF-16 code units", () => {
    const table = textTable(
      ["NAME", "N"],
      [
        ["日本語", 1],
        ["🦊", 22],
        ["abc", 333],
      ],
      { alignRight: [1] },
    );
    expect(table).toBe(["NAME      N", "日本語    1", "🦊       22", "abc     333", ""].join("\n"));
  });
});
