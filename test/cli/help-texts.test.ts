/**
 * The CLI's help and usage errors: every option a command or an audit verb parses (its option spec,
 * read as data) is listed in that command's own help text; `--version` prints the package's version;
 * an unknown option or command is one line on stderr naming it, with the closest known one, exit 2.
 */

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AUDIT_USAGE, auditVerbUsage } from "../../cli/audit/command.ts";
import { COMMON_OPTIONS, SUBCOMMAND_OPTIONS, type Subcommand } from "../../cli/audit/invocation.ts";
import { GENERATE_EVENT_OPTIONS, GENERATE_EVENT_USAGE } from "../../cli/generate-event/command.ts";
import { LOCAL_OPTIONS, LOCAL_USAGE } from "../../cli/local/usage.ts";
import { USAGE } from "../../cli/main.ts";
import { closest, editDistance, type OptionSpecs, optionNames } from "../../cli/options.ts";
import { REPLAY_OPTIONS, REPLAY_USAGE } from "../../cli/replay/command.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const VERBS = Object.keys(SUBCOMMAND_OPTIONS) as Subcommand[];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The spellings of `options` that `help` does not show as a whole word. */
function unlisted(options: OptionSpecs, help: string): string[] {
  return optionNames(options).filter(
    (name) => !new RegExp(`(^|[\\s,\\[])${name}(?=[\\s,=\\]]|$)`, "m").test(help),
  );
}

const HELP: Array<[string, OptionSpecs, string]> = [
  ["replay", REPLAY_OPTIONS, REPLAY_USAGE],
  ["local", LOCAL_OPTIONS, LOCAL_USAGE],
  ["generate-event", GENERATE_EVENT_OPTIONS, GENERATE_EVENT_USAGE],
  ...VERBS.map((verb): [string, OptionSpecs, string] => [
    `audit ${verb}`,
    { ...COMMON_OPTIONS, ...SUBCOMMAND_OPTIONS[verb] },
    auditVerbUsage(verb),
  ]),
];

describe("help texts", () => {
  it.each(HELP)("%s --help lists every option it parses", (_, options, help) => {
    expect(optionNames(options).length).toBeGreaterThan(2);
    expect(unlisted(options, help)).toEqual([]);
  });

  it("audit --help lists every option of every verb, --stack included", () => {
    for (const verb of VERBS) {
      expect(unlisted({ ...COMMON_OPTIONS, ...SUBCOMMAND_OPTIONS[verb] }, AUDIT_USAGE)).toEqual([]);
    }
    expect(AUDIT_USAGE).toContain("--stack <name>");
  });

  it("each audit verb has its own help, without the other verbs' options", () => {
    const texts = VERBS.map(auditVerbUsage);
    expect(new Set(texts).size).toBe(VERBS.length);
    for (const verb of VERBS) {
      const own = new Set(Object.keys(SUBCOMMAND_OPTIONS[verb]));
      const others = VERBS.flatMap((other) => Object.keys(SUBCOMMAND_OPTIONS[other])).filter(
        (name) => !own.has(name),
      );
      for (const name of others)
        expect(auditVerbUsage(verb), `${verb}: --${name}`).not.toContain(`--${name} `);
      expect(auditVerbUsage(verb)).toContain(`Usage: cognito-triggers audit ${verb} [options]`);
    }
  });

  it("the top-level usage lists the commands and the global options", () => {
    for (const command of ["replay", "audit", "local", "generate-event"]) {
      expect(USAGE).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    expect(
      unlisted({ version: { type: "boolean", short: "v" }, help: { type: "boolean", short: "h" } }, USAGE),
    ).toEqual([]);
  });

  it.each([
    [["audit", "query", "--help"], "Usage: cognito-triggers audit query [options]"],
    [["audit", "summary", "-h"], "Usage: cognito-triggers audit summary [options]"],
    [["audit", "report", "--help"], "Usage: cognito-triggers audit report [options]"],
    [["replay", "--help"], "Usage: cognito-triggers replay <file|dir>... [options]"],
    [["local", "--help"], "Usage: cognito-triggers local [options]"],
    [["--help"], "Usage: cognito-triggers <command> [options]"],
  ])("cognito-triggers %j prints its own help on stdout, exit 0", async (args, first) => {
    const result = await run(args);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")[0]).toBe(first);
    expect(result.code).toBe(0);
  });
});

describe("--version", () => {
  it.each([["--version"], ["-v"]])("cognito-triggers %s prints the package's version", async (flag) => {
    expect(await run([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });
});

describe("usage errors: one line on stderr, exit 2, nothing on stdout", () => {
  it.each([
    [["audit", "query", "--sinse", "1h"], "unknown option --sinse for audit query (did you mean --since?)"],
    [
      ["audit", "summary", "--fromat=json"],
      "unknown option --fromat for audit summary (did you mean --format?)",
    ],
    [["audit", "report", "--limit", "3"], "unknown option --limit for audit report"],
    [["replay", "events/", "--jsno"], "unknown option --jsno for replay (did you mean --json?)"],
    [["replay", "events/", "--repaet", "2"], "unknown option --repaet for replay (did you mean --repeat?)"],
    [["replay", "-x", "events/"], "unknown option -x for replay"],
    [["local", "--dmeo"], "unknown option --dmeo for local (did you mean --demo?)"],
    [["--verison"], "unknown option --verison for cognito-triggers (did you mean --version?)"],
    [["replai", "events/"], 'unknown command "replai" (did you mean replay?)'],
    [["audit", "qeury"], 'unknown audit command "qeury" (did you mean query?)'],
  ])("cognito-triggers %j", async (args, message) => {
    const result = await run(args);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `cognito-triggers: ${message}\n` });
  });

  it.each([[[]], [["audit"]]])("cognito-triggers %j: the usage, on stderr", async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Usage: cognito-triggers /);
  });
});

describe("suggestions", () => {
  it("measures edit distance with swaps of neighbours as one edit", () => {
    expect(editDistance("since", "since")).toBe(0);
    expect(editDistance("sinse", "since")).toBe(1);
    expect(editDistance("snice", "since")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests the closest option only when it is a plausible typo", () => {
    const known = ["--since", "--until", "--scan", "--stack", "--help", "-h"];
    expect(closest("--sinse", known)).toBe("--since");
    expect(closest("--untill", known)).toBe("--until");
    expect(closest("--stak", known)).toBe("--stack");
    expect(closest("--bogus", known)).toBeUndefined();
    expect(closest("-x", known)).toBeUndefined();
  });
});
