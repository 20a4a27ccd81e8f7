/**
 * The command line of `audit query|summary|report`, parsed and checked completely before the first
 * AWS call, so that bad input never costs a read and always fails with one line (exit 2).
 */
import { parseOptions } from "../options.ts";
import { UsageError } from "../usage-error.ts";
import type { ClientSettings } from "./dynamo.ts";
import { parseFilter } from "./filter.ts";
import { RECORD_FORMATS, type RecordFormat } from "./format-records.ts";
import type { ReadRequest } from "./reader.ts";
import { DEFAULT_REPORT_RECORDS, MAX_REPORT_RECORDS } from "./report-data.ts";
import { parseRange } from "./time-range.ts";
import { parseUser } from "./user-lookup.ts";

/** Options of every audit command (their help: AUDIT_COMMON_HELP in command.ts). */
export const COMMON_OPTIONS = {
  table: { type: "string" },
  stack: { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  user: { type: "string" },
  event: { type: "string", multiple: true },
  outcome: { type: "string", multiple: true },
  client: { type: "string", multiple: true },
  ip: { type: "string", multiple: true },
  scan: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Each command's own options (their help: AUDIT_VERB_HELP in command.ts). */
export const SUBCOMMAND_OPTIONS = {
  query: { format: { type: "string", default: "table" }, limit: { type: "string", default: "1000" } },
  summary: { format: { type: "string", default: "text" }, top: { type: "string", default: "10" } },
  report: {
    out: { type: "string" },
    top: { type: "string", default: "10" },
    records: { type: "string", default: String(DEFAULT_REPORT_RECORDS) },
    "client-names": { type: "string" },
  },
} as const;

export type Subcommand = keyof typeof SUBCOMMAND_OPTIONS;

export const SUMMARY_FORMATS = ["text", "json", "jsonl"] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

/** What every subcommand shares: where to read, what to read, and how the filters read to people. */
export interface Target {
  /** Empty until resolved from `stackName`. */
  tableName: string;
  /** --stack: the table is the stack's AuditTableName output. */
  stackName?: string;
  client: ClientSettings;
  request: ReadRequest;
  filters: string[];
}

export type Invocation =
  | { command: "help" }
  | { command: "query"; target: Target; format: RecordFormat; limit: number | "all" }
  | { command: "summary"; target: Target; format: SummaryFormat; top: number }
  | {
      command: "report";
      target: Target;
      out: string;
      top: number;
      /** Newest records listed in the report; 0 for none. */
      records: number;
      /** --client-names: a JSON file { "<client id>": "<name>" }. */
      clientNamesFile?: string | undefined;
    };

const TABLE_NAME =
  /^(?:[A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;
const MAX_LIMIT = 1_000_000;
const MAX_TOP = 100;

export function isSubcommand(name: string): name is Subcommand {
  return Object.hasOwn(SUBCOMMAND_OPTIONS, name);
}

export function parseInvocation(
  command: Subcommand,
  argv: string[],
  env: NodeJS.ProcessEnv,
  now: Date,
): Invocation {
  const { values } = parseOptions(`audit ${command}`, argv, {
    ...COMMON_OPTIONS,
    ...SUBCOMMAND_OPTIONS[command],
  } as typeof COMMON_OPTIONS &
    (typeof SUBCOMMAND_OPTIONS)["query"] &
    (typeof SUBCOMMAND_OPTIONS)["summary"] &
    (typeof SUBCOMMAND_OPTIONS)["report"]);
  if (values.help) return { command: "help" };
  if (values.stack !== undefined && values.table !== undefined) {
    throw new UsageError("pass --table or --stack, not both");
  }
  const stackName = values.stack;
  const tableName = stackName === undefined ? (values.table ?? env.AUDIT_TABLE_NAME) : "";
  if (stackName === undefined && !tableName) {
    throw new UsageError("no audit table: pass --table <name>, --stack <name> or set AUDIT_TABLE_NAME");
  }
  if (stackName === undefined && !TABLE_NAME.test(tableName ?? "")) {
    throw new UsageError(`${JSON.stringify(tableName)} is not a DynamoDB table name`);
  }
  if (stackName !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,127}$|^arn:/.test(stackName)) {
    throw new UsageError(`${JSON.stringify(stackName)} is not a CloudFormation stack name`);
  }
  const target: Target = {
    tableName: tableName ?? "",
    ...(stackName === undefined ? {} : { stackName }),
    client: { region: values.region, profile: values.profile },
    request: {
      range: parseRange(values, now, command === "report" ? "30d" : "24h"),
      filter: parseFilter(values),
      user: values.user === undefined ? undefined : parseUser(values.user),
      scan: values.scan,
    },
    filters: describeFilters(values),
  };
  switch (command) {
    case "query":
      return {
        command,
        target,
        format: oneOf(values.format, RECORD_FORMATS, "--format"),
        limit: values.limit === "all" ? "all" : wholeNumber(values.limit, "--limit", MAX_LIMIT),
      };
    case "summary":
      return {
        command,
        target,
        format: oneOf(values.format, SUMMARY_FORMATS, "--format"),
        top: wholeNumber(values.top, "--top", MAX_TOP),
      };
    case "report":
      if (!values.out) throw new UsageError("report needs --out <file>");
      return {
        command,
        target,
        out: values.out,
        top: wholeNumber(values.top, "--top", MAX_TOP),
        // 0 leaves the records out of the report.
        records: wholeNumber(values.records, "--records", MAX_REPORT_RECORDS, 0),
        clientNamesFile: values["client-names"],
      };
  }
}

function describeFilters(values: {
  user?: string | undefined;
  event?: string[] | undefined;
  outcome?: string[] | undefined;
  client?: string[] | undefined;
  ip?: string[] | undefined;
}): string[] {
  const list = (label: string, v: string[] | undefined) =>
    v && v.length > 0 ? [`${label} ${v.join(", ")}`] : [];
  return [
    ...(values.user ? [`user ${values.user}`] : []),
    ...list("event", values.event),
    ...list("outcome", values.outcome),
    ...list("client", values.client),
    ...list("ip", values.ip),
  ];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(", ")}`);
}

function wholeNumber(value: string | undefined, option: string, max: number, min = 1): number {
  const n = Number(value);
  if (!value || !/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max.toLocaleString("en-US")}`);
  }
  return n;
}
