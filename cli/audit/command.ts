/**
 * `cognito-triggers audit query|summary|report`: read the audit table for security review.
 * Exit codes as for replay: 0 done, 1 a read failed on the way, 2 unusable input or setup
 * (bad options or filters, no table, no credentials), always with a one-line reason on stderr.
 */
import { access, constants, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { closest } from "../options.ts";
import { UsageError } from "../usage-error.ts";
import { reportClientNames } from "./client-names.ts";
import { createAuditReaderClient, customEndpoint } from "./dynamo.ts";
import { AuditFailure, explainAwsError } from "./failure.ts";
import { formatRecords } from "./format-records.ts";
import {
  type Invocation,
  isSubcommand,
  parseInvocation,
  type Subcommand,
  type Target,
} from "./invocation.ts";
import { Progress } from "./progress.ts";
import { AuditReader, type ReaderOptions } from "./reader.ts";
import { renderSummary } from "./render-summary.ts";
import { readReportData } from "./report-data.ts";
import { renderReport } from "./report-html.ts";
import { safeJson } from "./safe-text.ts";
import { auditTableFromStack } from "./stack-output.ts";
import { type AuditSummary, type BucketSize, SUMMARY_ATTRIBUTES, SummaryBuilder } from "./summary.ts";

const AUDIT_VERBS: Record<Subcommand, string> = {
  query: "audit records, newest first",
  summary: "counts per event and outcome, top denied IPs, users and clients, sign-ins per hour",
  report: "the summary as one self-contained HTML file: charts, trends, comparison, records",
};

/** The options every audit command takes (COMMON_OPTIONS in invocation.ts). */
const AUDIT_COMMON_HELP = `Table:
  --table <name>         the audit table (default: $AUDIT_TABLE_NAME)
  --stack <name>         read the table name from this CloudFormation stack's AuditTableName output
  --region <region>      AWS region (default: the SDK's, e.g. $AWS_REGION)
  --profile <name>       AWS profile (default: the SDK's credential chain)
                         A local table is reached through $AWS_ENDPOINT_URL_DYNAMODB.
Filters (repeat an option or use a comma list for alternatives; different options combine with AND):
  --since <time>         ISO-8601 (2026-05-01, 2026-05-01T09:30Z) or back from now (90m, 24h, 7d, 2w);
                         default 24h (report: 30d). Times without a zone are UTC.
  --until <time>         end of the range, exclusive (default: now)
  --user <who>           a sub (one partition, cheap) or a user name / email (reads the time range)
  --event <name>         SIGN_IN, SIGN_IN_DENIED, SIGN_UP_DENIED, SIGN_UP_CONFIRMED, MIGRATED, ...
  --outcome <outcome>    success, denied or failure
  --client <id>          app client id
  --ip <address|cidr>    source IP address or range (IPv4 or IPv6)
  --scan                 read the whole table with a Scan instead of the key design (costly)
  -h, --help             this help`;

/** Each command's own options (SUBCOMMAND_OPTIONS in invocation.ts). */
const AUDIT_VERB_HELP: Record<Subcommand, string> = {
  query: `query:
  --format <f>           table (default), json, jsonl (one record per line) or csv (spreadsheet-safe)
  --limit <n|all>        newest records to print (default 1000)`,
  summary: `summary:
  --format <f>           text (default), json or jsonl (the summary on one line)
  --top <n>              rows in each top list (default 10)`,
  report: `report:
  --out <file>           where to write the HTML file (required; created readable by you only)
  --top <n>              rows in each top list (default 10)
  --records <n>          newest records listed, 50 to a page (default 200, at most 10000; 0 for none)
  --client-names <file>  JSON {"<client id>": "<name>"}: names shown next to app client ids
                         (with --stack, the stack's client outputs name its clients too)`,
};

const AUDIT_EXIT_CODES =
  "Exit codes: 0 done, 1 a read failed, 2 unusable input or setup (bad option, no table, no credentials).";

export const AUDIT_USAGE = `Usage: cognito-triggers audit <query|summary|report> [options]

${Object.entries(AUDIT_VERBS)
  .map(([verb, text]) => `  ${verb.padEnd(9)} ${text}`)
  .join("\n")}

Run "cognito-triggers audit <query|summary|report> --help" for one command's options.

${AUDIT_COMMON_HELP}
${Object.values(AUDIT_VERB_HELP).join("\n")}

${AUDIT_EXIT_CODES}`;

/** `audit <verb> --help`: that command's options only. */
export function auditVerbUsage(verb: Subcommand): string {
  return `Usage: cognito-triggers audit ${verb} [options]

${AUDIT_VERBS[verb].replace(/^./, (c) => c.toUpperCase())}.

${AUDIT_COMMON_HELP}
${AUDIT_VERB_HELP[verb]}

${AUDIT_EXIT_CODES}`;
}

export interface AuditIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Tests shrink pages to exercise pagination and progress. */
  reader: Partial<Pick<ReaderOptions, "pageSize" | "concurrency" | "scanSegments">>;
}

/** What summary and report read: the fields they count, nothing else. */

export async function auditCommand(argv: string[], overrides: Partial<AuditIo> = {}): Promise<number> {
  const io: AuditIo = {
    stdout: writeStdout,
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => new Date(),
    reader: {},
    ...overrides,
  };
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined) {
    // A usage error: the usage goes to stderr, so nothing reaches a pipe.
    io.stderr(`${AUDIT_USAGE}\n`);
    return 2;
  }
  if (subcommand === "help" || subcommand === "--help" || subcommand === "-h") {
    io.stdout(`${AUDIT_USAGE}\n`);
    return 0;
  }
  if (!isSubcommand(subcommand)) {
    const suggestion = closest(subcommand, Object.keys(AUDIT_VERBS));
    throw new UsageError(
      `unknown audit command ${JSON.stringify(subcommand)} (${suggestion ? `did you mean ${suggestion}?` : "query, summary or report"})`,
    );
  }
  const now = io.now();
  const invocation = parseInvocation(subcommand, rest, io.env, now);
  if (invocation.command === "help") {
    io.stdout(`${auditVerbUsage(subcommand)}\n`);
    return 0;
  }
  if (invocation.command === "report") await checkWritable(invocation.out);

  const { target } = invocation;
  if (target.stackName !== undefined) {
    try {
      target.tableName = await auditTableFromStack(target.stackName, target.client);
    } catch (error) {
      const failure = explainAwsError(error, {
        tableName: `(output of stack ${target.stackName})`,
        region: target.client.region ?? io.env.AWS_REGION,
      });
      io.stderr(`cognito-triggers: ${failure.message}\n`);
      return failure.exitCode;
    }
  }
  const client = createAuditReaderClient(target.client);
  const progress = new Progress({ write: io.stderr, isTTY: io.stderrIsTTY });
  const reader = new AuditReader({ client, tableName: target.tableName, progress, ...io.reader });
  try {
    await run(invocation, { reader, progress, io, now });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const failure = explainAwsError(error, {
      tableName: target.tableName,
      region: target.client.region ?? io.env.AWS_REGION,
      endpoint: customEndpoint(io.env),
    });
    io.stderr(`cognito-triggers: ${failure.message}\n`);
    if (io.env.DEBUG && !(error instanceof AuditFailure)) io.stderr(`${(error as Error).stack ?? error}\n`);
    return failure.exitCode;
  } finally {
    progress.finish();
    client.destroy();
  }
}

interface Run {
  reader: AuditReader;
  progress: Progress;
  io: AuditIo;
  now: Date;
}

async function run(invocation: Exclude<Invocation, { command: "help" }>, context: Run): Promise<void> {
  const { reader, progress, io, now } = context;
  const { target } = invocation;
  switch (invocation.command) {
    case "query": {
      const { format, limit } = invocation;
      const { items, more } = await reader.newest(target.request, limit === "all" ? undefined : limit);
      progress.finish();
      io.stdout(formatRecords(items, format));
      if (format === "table") {
        io.stderr(items.length === 0 ? "no matching records\n" : `${items.length} records, newest first\n`);
      }
      if (more)
        io.stderr(
          `showing the newest ${limit}; more records match (narrow the filters, or pass --limit all)\n`,
        );
      return;
    }
    case "summary": {
      const summary = await summarise(context, target, invocation.top, "hour");
      io.stdout(
        invocation.format === "json"
          ? `${safeJson(summary, 2)}\n`
          : invocation.format === "jsonl"
            ? `${safeJson(summary)}\n`
            : renderSummary(summary, { tableName: target.tableName, filters: target.filters }),
      );
      return;
    }
    case "report": {
      const clientNames = await reportClientNames({
        file: invocation.clientNamesFile,
        stackName: target.stackName,
        client: target.client,
        warn: (line) => io.stderr(`${line}\n`),
      });
      const { summary, previous, records } = await readReportData(reader, target, {
        top: invocation.top,
        bucket: bucketFor(target),
        records: invocation.records,
      });
      progress.finish();
      const html = renderReport(summary, {
        tableName: target.tableName,
        filters: target.filters,
        generatedAt: now,
        readPath: `${reader.describe(target.request)}, and the same for the previous period`,
        previous,
        records: { items: records, limit: invocation.records },
        clientNames,
      });
      await writeReport(invocation.out, html);
      io.stderr(
        `wrote ${invocation.out} (${summary.records.toLocaleString("en-US")} records, ${summary.since} to ${summary.until})\n`,
      );
    }
  }
}

async function summarise(
  { reader, progress }: Run,
  target: Target,
  top: number,
  bucket: BucketSize,
): Promise<AuditSummary> {
  const builder = new SummaryBuilder(target.request.range);
  await reader.each({ ...target.request, attributes: SUMMARY_ATTRIBUTES }, (item) => builder.add(item));
  progress.finish();
  return builder.build({ top, bucket });
}

/** Hours read well for up to three days; beyond that a bar per day. */
function bucketFor(target: Target): BucketSize {
  const { since, until } = target.request.range;
  return until.getTime() - since.getTime() <= 3 * 86_400_000 ? "hour" : "day";
}

/** Fails before reading when the report could not be written afterwards. */
async function checkWritable(path: string): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/**
 * The report names users, emails and addresses: it is written readable by its owner only, to a
 * temporary file renamed into place, so an existing file's wider mode is not kept and a failed write
 * leaves no half report.
 */
async function writeReport(path: string, html: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, html, { mode: 0o600, flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** A closed pipe (`| head`) is handled once for every command, in bin.ts. */
function writeStdout(text: string): void {
  process.stdout.write(text);
}
