/**
 * Warm latency of one trigger: its createHandler (bundled like the Lambda entry) is called with each
 * sample's configuration, each sample is invoked once to see which path it takes (AWS requests or not,
 * password hashing or not), and then every group of samples is replayed round-robin, timing each
 * invocation alone. Events are cloned before the clock starts: a replay measures the handler only.
 *
 *   node warm.mjs <module URL> <plan.json>      the report goes to fd 3
 */
import { readFileSync, writeSync } from "node:fs";
import { quantileOfSorted } from "../stats.ts";
import { recordAwsRequests } from "./aws-requests.ts";
import { countSdkRequests } from "./sdk-requests.ts";
import { countStderrLines } from "./stderr-lines.ts";

type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;
type CreateHandler = (env: Record<string, string | undefined>) => Handler;

/**
 * The path a sample takes: no AWS call; AWS calls; a password hash verified (and AWS calls); or a
 * configuration the handler refuses (it fails closed: every request refused and logged).
 */
export type PathKind = "no-aws" | "aws" | "hashing" | "config-refused";

export interface WarmPlan {
  samples: {
    name: string;
    event: Record<string, unknown>;
    env: Record<string, string>;
    hashing: boolean;
    freshUser: boolean;
    refused: boolean;
  }[];
  replays: Record<PathKind, { total?: number; perSample?: number; warmup: number }>;
}

export interface WarmGroupReport {
  kind: PathKind;
  samples: string[];
  replays: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Average requests per invocation on the wire, by "<service>.<operation>" (aws-requests.ts). */
  requestsPerInvocation: Record<string, number>;
  /** The same counted by SDK middleware on the handler's own clients (sdk-requests.ts). */
  sdkRequestsPerInvocation: Record<string, number>;
  perSample: { name: string; replays: number; p50Ms: number; p99Ms: number; outcome: string }[];
  /**
   * Invocations that sent a write to AWS and still logged audit_fallback: records the stand-in lost,
   * which would make the timings meaningless. (A fallback without a request is the handler's design,
   * e.g. no audit table configured.)
   */
  lostRecords: number;
}

const aws = recordAwsRequests();
const logged = countStderrLines();
const { createHandler } = (await import(process.argv[2] ?? "")) as { createHandler: CreateHandler };
// The SDK client classes the handler's clients are made from: counted before any of them sends.
const clients = (await import(
  new URL("sdk-clients.mjs", process.argv[2]).href
)) as typeof import("../sdk-clients.ts");
const sdk = countSdkRequests(Object.values(clients));
const plan = JSON.parse(readFileSync(process.argv[3] ?? "", "utf8")) as WarmPlan;

interface Prepared {
  sample: WarmPlan["samples"][number];
  handler: Handler;
  kind: PathKind;
  outcome: string;
  times: number[];
  byOperation: Map<string, number>;
  bySdkOperation: Map<string, number>;
  lostRecords: number;
}

let sequence = 0;
function invocationEvent(sample: WarmPlan["samples"][number]): Record<string, unknown> {
  const event = structuredClone(sample.event);
  sequence++;
  // A first confirmation each time (not the retry path, which skips the email).
  if (sample.freshUser) {
    const attributes = (event.request as { userAttributes: Record<string, string> }).userAttributes;
    attributes.sub = `${attributes.sub}-warm-${sequence}`;
  }
  return event;
}

async function invoke(handler: Handler, event: unknown): Promise<string> {
  try {
    await handler(event, { awsRequestId: `warm-${sequence}` });
    return "returned";
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

const prepared: Prepared[] = [];
for (const sample of plan.samples) {
  const refusalsBefore = logged.configRefusals;
  const handler = createHandler(sample.env);
  const refusesConfig = logged.configRefusals > refusalsBefore;
  const before = aws.requests.length;
  const outcome = await invoke(handler, invocationEvent(sample));
  const requests = aws.requests.length - before;
  const kind: PathKind = refusesConfig
    ? "config-refused"
    : sample.hashing
      ? "hashing"
      : requests > 0
        ? "aws"
        : "no-aws";
  prepared.push({
    sample,
    handler,
    kind,
    outcome,
    times: [],
    byOperation: new Map(),
    bySdkOperation: new Map(),
    lostRecords: 0,
  });
}

const groups: WarmGroupReport[] = [];
for (const kind of ["no-aws", "aws", "hashing", "config-refused"] as const) {
  const members = prepared.filter((p) => p.kind === kind);
  if (members.length === 0) continue;
  const setting = plan.replays[kind];
  const total = Math.max(setting.total ?? 0, (setting.perSample ?? 0) * members.length, members.length);
  await replay(members, setting.warmup, false);
  await replay(members, total, true);
  const all = members.flatMap((m) => m.times).sort((a, b) => a - b);
  const perInvocation = (counts: (m: Prepared) => Map<string, number>) => {
    const operations = new Map<string, number>();
    for (const m of members)
      for (const [op, n] of counts(m)) operations.set(op, (operations.get(op) ?? 0) + n);
    return Object.fromEntries([...operations].map(([op, n]) => [op, n / all.length]));
  };
  groups.push({
    kind,
    samples: members.map((m) => m.sample.name),
    replays: all.length,
    p50Ms: quantileOfSorted(all, 0.5),
    p99Ms: quantileOfSorted(all, 0.99),
    maxMs: all[all.length - 1] ?? Number.NaN,
    requestsPerInvocation: perInvocation((m) => m.byOperation),
    sdkRequestsPerInvocation: perInvocation((m) => m.bySdkOperation),
    lostRecords: members.reduce((sum, m) => sum + m.lostRecords, 0),
    perSample: members.map((m) => {
      const sorted = [...m.times].sort((a, b) => a - b);
      return {
        name: m.sample.name,
        replays: sorted.length,
        p50Ms: quantileOfSorted(sorted, 0.5),
        p99Ms: quantileOfSorted(sorted, 0.99),
        outcome: m.outcome,
      };
    }),
  });
}

/** Round-robin over `members`, `count` invocations in all; events cloned in batches, off the clock. */
async function replay(members: Prepared[], count: number, record: boolean): Promise<void> {
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    const batch = Array.from({ length: size }, (_, i) => {
      const member = members[(start + i) % members.length] as Prepared;
      const event = invocationEvent(member.sample);
      // Unique per invocation, as Lambda's are: audit sort keys include it.
      return { member, event, context: { awsRequestId: `warm-${sequence}` } };
    });
    for (const { member, event, context } of batch) {
      const before = aws.requests.length;
      const sdkBefore = sdk.requests.length;
      const fallbacksBefore = logged.auditFallbacks;
      const t0 = performance.now();
      try {
        await member.handler(event, context);
      } catch {
        // Refusals are a path like any other; the first invocation recorded which one this sample takes.
      }
      const elapsed = performance.now() - t0;
      if (logged.auditFallbacks > fallbacksBefore && aws.requests.length > before) member.lostRecords++;
      if (!record) continue;
      member.times.push(elapsed);
      for (const op of aws.requests.slice(before))
        member.byOperation.set(op, (member.byOperation.get(op) ?? 0) + 1);
      for (const op of sdk.requests.slice(sdkBefore))
        member.bySdkOperation.set(op, (member.bySdkOperation.get(op) ?? 0) + 1);
    }
  }
}

writeSync(
  3,
  JSON.stringify({
    groups,
    outcomes: prepared.map((p) => ({
      name: p.sample.name,
      outcome: p.outcome,
      refused: p.sample.refused,
      kind: p.kind,
    })),
  }),
);
process.exit(0);
