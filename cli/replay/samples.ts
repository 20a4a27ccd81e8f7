/**
 * Finding and reading sample events. A sample is `<name>.json` (the raw event, as Cognito sends it)
 * with an optional `<name>.expected.json` beside it:
 *   { "description": "...", "env": { KEY: "value" }, "result": <the returned event> }
 *   or { ..., "error": "<Trigger> failed with error <message>." }
 *   optional "effects": [ { "audit": "SIGN_UP_DENIED", "outcome": "denied", "reason": "..." }, { "email": "to@..." } ]
 * Input that cannot be replayed at all (missing path, bad JSON, unknown triggerSource) becomes an
 * UnusableInput with a one-line reason.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { isRecord, type TriggerName, triggerForSource } from "../../triggers/lib/events.ts";

export const EXPECTATION_SUFFIX = ".expected.json";

export interface Expectation {
  description?: string;
  env?: Record<string, string>;
  result?: unknown;
  error?: string;
  effects?: unknown[];
}

export interface Sample {
  path: string;
  event: Record<string, unknown>;
  triggerSource: string;
  trigger: TriggerName;
  expectation?: Expectation;
}

export interface UnusableInput {
  path: string;
  reason: string;
}

export async function findSampleFiles(
  paths: string[],
): Promise<{ files: string[]; unusable: UnusableInput[] }> {
  const files: string[] = [];
  const unusable: UnusableInput[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      unusable.push({ path, reason: "no such file or directory" });
      continue;
    }
    if (info.isDirectory()) files.push(...(await jsonFilesUnder(path)));
    else files.push(path);
  }
  return { files, unusable };
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".json") && !e.name.endsWith(EXPECTATION_SUFFIX))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function loadSample(path: string): Promise<Sample | UnusableInput> {
  const event = await readJson(path);
  if (event === undefined) return { path, reason: "cannot read" };
  if ("reason" in event) return event;
  const value = event.value;
  if (!isRecord(value)) return { path, reason: "not a trigger event (the JSON is not an object)" };
  if (typeof value.triggerSource !== "string")
    return { path, reason: "not a trigger event (no triggerSource)" };
  const trigger = triggerForSource(value.triggerSource);
  if (!trigger)
    return { path, reason: `unknown triggerSource ${JSON.stringify(value.triggerSource.slice(0, 80))}` };

  const sample: Sample = { path, event: value, triggerSource: value.triggerSource, trigger };
  const expectationPath = path.replace(/\.json$/, EXPECTATION_SUFFIX);
  if (expectationPath === path) return sample;
  const expectation = await readJson(expectationPath, { optional: true });
  if (expectation === undefined) return sample;
  if ("reason" in expectation) return expectation;
  const problem = expectationProblem(expectation.value);
  if (problem) return { path: expectationPath, reason: problem };
  sample.expectation = expectation.value as Expectation;
  return sample;
}

async function readJson(
  path: string,
  options: { optional?: boolean } = {},
): Promise<{ value: unknown } | UnusableInput | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (options.optional && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return {
      path,
      reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(withoutByteOrderMark(text));
  } catch (error) {
    return { path, reason: `invalid JSON: ${jsonErrorWithoutInput(error as Error)}` };
  }
  // Deeper values would overflow the stack of structuredClone and the comparisons, not fail cleanly.
  if (nestedDeeperThan(value, MAX_NESTING)) {
    return { path, reason: `nested more than ${MAX_NESTING} levels deep (not a trigger event)` };
  }
  return { value };
}

/**
 * Some editors (Notepad, PowerShell's Out-File) save UTF-8 with a leading byte-order mark, which
 * JSON.parse refuses as invalid JSON although the file is not.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Far deeper than any Cognito event or expectation (about 6 levels), far shallower than the stack. */
const MAX_NESTING = 100;

/** Iterative, so that the check itself cannot overflow the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * V8 quotes the text around a syntax error ('Unexpected token 'S', ..."password":S3cr"... is not valid
 * JSON'), and a sample may hold a password: keep the kind of error (and the position, when V8 gives
 * one), never the input.
 */
function jsonErrorWithoutInput(error: Error): string {
  const message = error.message.split("\n")[0] ?? "";
  if (!message.includes("is not valid JSON")) return message;
  return message.startsWith("Unexpected token") ? "unexpected character" : "not a JSON value";
}

function expectationProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return "expectation is not a JSON object";
  if (("result" in value ? 1 : 0) + ("error" in value ? 1 : 0) !== 1) {
    return 'expectation needs exactly one of "result" or "error"';
  }
  if ("error" in value && typeof value.error !== "string") return 'expectation "error" must be a string';
  if ("env" in value) {
    if (!isRecord(value.env) || Object.values(value.env).some((v) => typeof v !== "string")) {
      return 'expectation "env" must map names to strings';
    }
  }
  if ("effects" in value && !Array.isArray(value.effects)) return 'expectation "effects" must be an array';
  return undefined;
}

export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
