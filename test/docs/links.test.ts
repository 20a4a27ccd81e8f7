/**
 * The documentation holds together: every relative link in README.md and docs/*.md reaches a file, every
 * `#anchor` reaches a heading of its page (GitHub's slugs), and the configuration keys the handlers read
 * are documented once, in the README's Configuration table, which lists nothing else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SETTING_KEYS, TRIGGER_KEYS } from "../../infra/settings.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const PAGES: readonly string[] = [
  join(ROOT, "README.md"),
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(ROOT, "docs", name)),
];

/** The canonical configuration table: the first table under this heading of this page. */
const CONFIG_PAGE = join(ROOT, "README.md");
const CONFIG_HEADING = "Configuration";

/**
 * Variables the handlers read that the Lambda runtime itself sets: they describe the function, not the
 * suite's configuration, so the table does not list them.
 */
const SET_BY_LAMBDA: ReadonlySet<string> = new Set([
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_LOG_FORMAT",
]);

const pageText = new Map<string, string>();
function read(path: string): string {
  let text = pageText.get(path);
  if (text === undefined) {
    text = readFileSync(path, "utf8");
    pageText.set(path, text);
  }
  return text;
}

const name = (path: string) => relative(ROOT, path);

/** The page's lines with the lines of fenced code blocks (fences included) blanked out. */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker) {
        fence = marker;
        return "";
      }
      return line;
    }
    if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
      fence = undefined;
    }
    return "";
  });
}

/** GitHub's heading anchors: the rendered text, lower-cased, punctuation removed, spaces as hyphens. */
function slug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images: their text
    .replace(/<[^>]+>/g, "") // inline HTML
    .replace(/`/g, "");
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(path: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(read(path))) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link {
  readonly page: string;
  readonly line: number;
  readonly target: string;
}

function linksOf(page: string): Link[] {
  const links: Link[] = [];
  proseLines(read(page)).forEach((raw, index) => {
    const line = raw.replace(/`[^`]*`/g, "code"); // a link written as code is not a link
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ page, line: index + 1, target: match[1] as string });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition) links.push({ page, line: index + 1, target: definition[1] as string });
  });
  return links;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

function brokenLinks(): string[] {
  const problems: string[] = [];
  for (const page of PAGES) {
    for (const link of linksOf(page)) {
      if (isExternal(link.target)) continue;
      const where = `${name(page)}:${link.line}: ${link.target}`;
      const hash = link.target.indexOf("#");
      const pathPart = decodeURI(hash === -1 ? link.target : link.target.slice(0, hash));
      const anchor = hash === -1 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
      const target = pathPart === "" ? page : resolve(dirname(page), pathPart);
      if (!existsSync(target)) {
        problems.push(`${where}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!statSync(target).isFile() || !target.endsWith(".md")) {
        problems.push(`${where}: an anchor into a file that is not a Markdown page`);
        continue;
      }
      if (!anchorsOf(target).has(anchor)) {
        problems.push(`${where}: no heading "#${anchor}" in ${name(target)}`);
      }
    }
  }
  return problems;
}

/** Every environment key the handlers read, from the code. */
function keysTheHandlersRead(): Set<string> {
  const keys = new Set<string>([...Object.values(SETTING_KEYS), ...Object.values(TRIGGER_KEYS).flat()]);
  const sources = readdirSync(join(ROOT, "triggers"), { recursive: true, encoding: "utf8" }).filter(
    (file) => file.endsWith(".ts") && !file.endsWith(".d.ts"),
  );
  for (const file of sources) {
    const code = read(join(ROOT, "triggers", file));
    for (const match of code.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)\b|\benv\[\s*"([A-Z][A-Z0-9_]+)"\s*\]/g)) {
      const key = (match[1] ?? match[2]) as string;
      if (!SET_BY_LAMBDA.has(key)) keys.add(key);
    }
  }
  return keys;
}

function tableRows(lines: readonly string[], start: number): string[][] {
  const rows: string[][] = [];
  let index = start;
  while (index < lines.length && !(lines[index] as string).trim().startsWith("|")) index++;
  for (; index < lines.length && (lines[index] as string).trim().startsWith("|"); index++) {
    const cells = (lines[index] as string)
      .trim()
      .replace(/^\||\|$/g, "")
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue; // the delimiter row
    rows.push(cells);
  }
  return rows.slice(1); // without the header row
}

const keysIn = (cell: string) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] as string);

function configurationTable(): string[][] {
  const lines = proseLines(read(CONFIG_PAGE));
  const heading = lines.findIndex((line) => new RegExp(`^#{2,6}\\s+${CONFIG_HEADING}\\s*$`).test(line));
  expect(heading, `${name(CONFIG_PAGE)} has a "${CONFIG_HEADING}" heading`).toBeGreaterThanOrEqual(0);
  return tableRows(lines, heading + 1);
}

describe("the documentation", () => {
  it("covers README.md and every page in docs/", () => {
    expect(PAGES.length).toBeGreaterThan(1);
  });

  it("lists every page of docs/ in the README's table of the docs", () => {
    const lines = proseLines(read(join(ROOT, "README.md")));
    const heading = lines.findIndex((line) => /^##\s+The docs\s*$/.test(line));
    expect(heading, 'README.md has a "The docs" heading').toBeGreaterThanOrEqual(0);
    const listed = tableRows(lines, heading + 1).map((cells) => /\]\(([^)#]+)\)/.exec(cells[0] ?? "")?.[1]);
    const pages = PAGES.filter((page) => page !== join(ROOT, "README.md")).map(name);
    expect(pages.filter((page) => !listed.includes(page))).toEqual([]);
  });

  it("has no relative link to a missing file or heading", () => {
    expect(brokenLinks()).toEqual([]);
  });

  it("computes anchors as GitHub does", () => {
    expect(slug("Pre sign-up: who may join (`triggers/pre-sign-up/`)")).toBe(
      "pre-sign-up-who-may-join-triggerspre-sign-up",
    );
    expect(slug("### `CLAIMS_CONFIG`".replace(/^#+\s*/, ""))).toBe("claims_config");
    expect(slug("No pool → function → pool cycle")).toBe("no-pool--function--pool-cycle");
    expect(slug("5. Alarms: confirm the subscription")).toBe("5-alarms-confirm-the-subscription");
  });

  it("documents every configuration key the handlers read exactly once, in the Configuration table", () => {
    const handlerKeys = keysTheHandlersRead();
    const rows = configurationTable().map((cells) => keysIn(cells[0] ?? ""));
    const listed = rows.flat();
    const missing = [...handlerKeys].filter((key) => !listed.includes(key)).sort();
    const repeated = listed.filter((key, index) => listed.indexOf(key) !== index);
    const unknown = listed.filter((key) => !handlerKeys.has(key));
    expect({ missing, repeated, unknown }).toEqual({ missing: [], repeated: [], unknown: [] });
    expect(rows.every((keys) => keys.length > 0)).toBe(true);
  });

  it("lists configuration keys in no other table", () => {
    const keys = keysTheHandlersRead();
    const canonical = configurationTable();
    const elsewhere: string[] = [];
    for (const page of PAGES) {
      proseLines(read(page)).forEach((line, index) => {
        const first = /^\s*\|([^|]*)\|/.exec(line)?.[1];
        if (first === undefined) return;
        const named = keysIn(first).filter((key) => keys.has(key));
        if (named.length === 0) return;
        const isCanonical = page === CONFIG_PAGE && canonical.some((cells) => cells[0] === first.trim());
        if (!isCanonical) elsewhere.push(`${name(page)}:${index + 1}: ${named.join(", ")}`);
      });
    }
    expect(elsewhere).toEqual([]);
  });
});
