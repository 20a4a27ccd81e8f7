/**
 * `cognito-triggers replay <file|dir>... [--env-file F] [--json] [--logs] [--full] [--live] [--repeat N]
 *   [--update-expected]`
 * Exit codes: 0 all as expected (pending samples do not fail), 1 a mismatch or an unexpected
 * rejection, 2 unusable input. Passwords are masked in everything printed.
 */
import { readFile } from "node:fs/promises";
import { parseEnv } from "node:util";
import { parseOptions } from "../options.ts";
import { UsageError } from "../usage-error.ts";
import { assertLiveAwsAccess, EFFECTS_NOT_CHECKED } from "./live.ts";
import { type ReplayReport, replay, type SampleReport } from "./run.ts";
import { displayPath, withoutByteOrderMark } from "./samples.ts";
import { maskSecrets } from "./secrets.ts";
import { updateExpectations } from "./update-expected.ts";

const MAX_REPEAT = 100;

export const REPLAY_USAGE = `Usage: cognito-triggers replay <file|dir>... [options]

Routes each sample event to its handler by triggerSource, prints what the handler returned (or the
error as Cognito reports it) and compares it with <name>.expected.json beside the sample.

Options:
  --env-file <file>  configuration for the handlers (KEY=value lines); a sample's own "env" wins
  --live             call real AWS (standard AWS_* variables) instead of the in-memory stand-ins; needs
                     a region and credentials, does not check a sample's "effects", and skips custom
                     sender samples whose code is encrypted under the local KMS stand-in's key
  --json             machine-readable output
  --full             print the whole returned event, not only its response
  --logs             print the handlers' log lines (already redacted)
  --repeat <n>       replay each sample n times in a row, as Cognito retries (1 to ${MAX_REPEAT}): every
                     attempt must answer like the first and repeat no email or migration mark
  --update-expected  after the replay is shown, write each differing or missing <name>.expected.json
                     from what the handler did (keeps an existing description and env; a new file's env
                     is the trigger's own keys from the environment and --env-file); not with --live
  -h, --help         this help
Exit codes: 0 as expected, 1 mismatch or unexpected rejection, 2 unusable input.`;

/** The options replay accepts: each must be listed in REPLAY_USAGE (test/cli/help-texts.test.ts). */
export const REPLAY_OPTIONS = {
  "env-file": { type: "string" },
  live: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  full: { type: "boolean", default: false },
  logs: { type: "boolean", default: false },
  repeat: { type: "string" },
  "update-expected": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions("replay", argv, REPLAY_OPTIONS, { allowPositionals: true });
  if (values.help) {
    console.log(REPLAY_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("replay needs at least one file or directory");

  const repeat = values.repeat === undefined ? 1 : repeatCount(values.repeat);
  const envFile = values["env-file"] ? await readEnvFile(values["env-file"]) : undefined;
  if (values.live && values["update-expected"]) {
    throw new UsageError("--update-expected cannot be used with --live (live replay records no effects)");
  }
  if (values.live) await assertLiveAwsAccess();
  const report = await replay(positionals, { live: values.live, repeat, ...(envFile ? { envFile } : {}) });
  if (values.json) console.log(JSON.stringify(toJson(report, values.logs, values.live), null, 2));
  else printHuman(report, { full: values.full, logs: values.logs, live: values.live });
  if (!values["update-expected"]) return report.exitCode;
  const { written, exitCode } = await updateExpectations(report, { ...process.env, ...envFile });
  const print = values.json ? console.error : console.log;
  for (const file of written) print(`${file.change} ${displayPath(file.path)}`);
  const files = written.length === 1 ? "file" : "files";
  print(written.length === 0 ? "no expected file changed" : `${written.length} expected ${files} written`);
  return exitCode;
}

function repeatCount(text: string): number {
  const n = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_REPEAT))
    throw new UsageError(`--repeat must be a whole number from 1 to ${MAX_REPEAT}`);
  return n;
}

async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read env file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parseEnv(withoutByteOrderMark(text)) as Record<string, string>;
}

const MARK: Record<SampleReport["status"], string> = {
  passed: "PASS",
  failed: "FAIL",
  pending: "PENDING",
  returned: "RETURNED",
  rejected: "REJECTED",
  skipped: "SKIPPED",
};

function printHuman(report: ReplayReport, options: { full: boolean; logs: boolean; live: boolean }): void {
  if (options.live) console.log(EFFECTS_NOT_CHECKED);
  for (const sample of report.samples) {
    // A result as expected whose effects were not checked (--live) is not reported as a pass.
    const unchecked = sample.status === "passed" && sample.effectsUnchecked;
    const note =
      sample.status === "pending"
        ? " (handler not written yet)"
        : sample.attempts
          ? ` (${sample.attempts.length} attempts)`
          : "";
    const uncheckedNote = sample.effectsUnchecked ? " (effects not checked with --live)" : "";
    console.log(
      `${(unchecked ? "UNCHECKED" : MARK[sample.status]).padEnd(8)} ${displayPath(sample.path)}  ${sample.triggerSource}${note}${uncheckedNote}`,
    );
    if (sample.skipped) console.log(`         ${sample.skipped}`);
    if (sample.outcome?.kind === "error") console.log(`         error: ${sample.outcome.error}`);
    if (sample.outcome?.kind === "result") {
      const event = maskSecrets(sample.outcome.event) as Record<string, unknown>;
      console.log(
        `         ${options.full ? "event" : "response"}: ${JSON.stringify(options.full ? event : event.response)}`,
      );
    }
    if (sample.effects && sample.effects.length > 0)
      console.log(`         effects: ${JSON.stringify(sample.effects)}`);
    sample.attempts?.slice(1).forEach((attempt, i) => {
      if (attempt.effects)
        console.log(`         attempt ${i + 2} effects: ${JSON.stringify(attempt.effects)}`);
    });
    for (const line of sample.mismatches) console.log(`         - ${line}`);
    if (options.logs) for (const line of sample.logs) console.error(`         log: ${line}`);
  }
  for (const input of report.unusable) console.error(`UNUSABLE ${displayPath(input.path)}: ${input.reason}`);

  const count = (status: SampleReport["status"]) => report.samples.filter((s) => s.status === status).length;
  const unchecked = report.samples.filter((s) => s.status === "passed" && s.effectsUnchecked).length;
  const parts = [`${count("passed") - unchecked} as expected`, `${count("failed")} mismatched`];
  if (unchecked) parts.push(`${unchecked} result as expected with effects unchecked`);
  if (count("rejected")) parts.push(`${count("rejected")} rejected without expectation`);
  if (count("returned")) parts.push(`${count("returned")} returned without expectation`);
  parts.push(`${count("pending")} pending`);
  if (count("skipped")) parts.push(`${count("skipped")} skipped`);
  if (report.unusable.length) parts.push(`${report.unusable.length} unusable`);
  console.log(`\nreplayed ${report.samples.length} samples: ${parts.join(", ")}`);
}

function toJson(report: ReplayReport, withLogs: boolean, live: boolean) {
  return {
    exitCode: report.exitCode,
    ...(live ? { effectsChecked: false } : {}),
    samples: report.samples.map((s) => ({
      path: displayPath(s.path),
      triggerSource: s.triggerSource,
      status: s.status,
      ...(s.description ? { description: s.description } : {}),
      ...(s.outcome?.kind === "result" ? { result: maskSecrets(s.outcome.event) } : {}),
      ...(s.outcome?.kind === "error" ? { error: s.outcome.error } : {}),
      ...(s.effects ? { effects: s.effects } : {}),
      ...(s.effectsUnchecked ? { effectsChecked: false } : {}),
      ...(s.skipped ? { skipped: s.skipped } : {}),
      mismatches: s.mismatches,
      ...(withLogs ? { logs: s.logs } : {}),
      ...(s.attempts
        ? {
            attempts: s.attempts.map((a) => ({
              ...(a.outcome.kind === "result" ? { result: maskSecrets(a.outcome.event) } : {}),
              ...(a.outcome.kind === "error" ? { error: a.outcome.error } : {}),
              ...(a.effects ? { effects: a.effects } : {}),
              ...(withLogs ? { logs: a.logs } : {}),
            })),
          }
        : {}),
    })),
    unusable: report.unusable.map((u) => ({ path: displayPath(u.path), reason: u.reason })),
  };
}
