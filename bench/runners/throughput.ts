/**
 * Post authentication's throughput against DynamoDB (dynalite), next to bare PutItem calls from the
 * same client: blocks of handler invocations and of bare PutItems alternate (handler first in even
 * pairs, bare first in odd ones, so drift cancels), each a closed loop of `concurrency` callers.
 * Blocks are short and many: this machine's speed drifts within a second, and only the two blocks of
 * a pair are compared with each other.
 *
 *   node throughput.mjs <build folder URL> <plan.json>      the report goes to fd 3
 */
import { readFileSync, writeSync } from "node:fs";
import type { TriggerEvent } from "../../triggers/lib/events.ts";
import { recordAwsRequests } from "./aws-requests.ts";
import { countStderrLines } from "./stderr-lines.ts";

type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;
type Client = typeof import("../throughput-client.ts");

export interface ThroughputPlan {
  /** A post authentication sample event. */
  event: Record<string, unknown>;
  env: Record<string, string>;
  concurrency: number[];
  blockMs: number;
  pairs: number;
}

export interface ThroughputReport {
  concurrency: number;
  handlerOpsPerSecond: number[];
  bareOpsPerSecond: number[];
  /** handler / bare, per pair of adjacent blocks. */
  ratios: number[];
  handlerOps: number;
  handlerRequests: number;
  /** audit_fallback lines during the handler's blocks: sign-ins whose record was not written. */
  auditFallbacks: number;
}

const aws = recordAwsRequests();
const logged = countStderrLines();
const dir = process.argv[2] ?? "";
const { createHandler } = (await import(new URL("trigger.mjs", dir).href)) as {
  createHandler: (env: Record<string, string>) => Handler;
};
const client = (await import(new URL("throughput-client.mjs", dir).href)) as Client;
const plan = JSON.parse(readFileSync(process.argv[3] ?? "", "utf8")) as ThroughputPlan;

const handler = createHandler(plan.env);
const dynamo = client.dynamoClient();
const template = client.marshall(
  client.buildAuditRecord(
    client.signInEntry(plan.event as unknown as TriggerEvent, "template"),
    new Date(),
    400,
  ),
  { removeUndefinedValues: true },
);

/** Unmeasured, before each level of concurrency: JIT, connection pool and table settle first. */
const WARM_UP_MS = 1_000;

let sequence = 0;
const handlerCall = () => handler(plan.event, { awsRequestId: `throughput-${++sequence}` });
// The same item with keys of the same shape (the user's partition, a time-ordered sort key, one of
// the day's shards), so that DynamoDB does the same work for either and the ratio is the handler's.
const bareCall = () => {
  const n = ++sequence;
  const at = new Date().toISOString();
  return dynamo.send(
    new client.PutItemCommand({
      TableName: plan.env.AUDIT_TABLE_NAME,
      Item: {
        ...template,
        sk: { S: `${at}#SIGN_IN#bare-${n}` },
        dayShard: { S: `DAY#${at.slice(0, 10)}#${n % client.AUDIT_TIME_SHARDS}` },
        at: { S: at },
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
};

/** Operations per second of a closed loop of `concurrency` callers, for `ms`. */
async function block(call: () => Promise<unknown>, concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

const reports: ThroughputReport[] = [];
for (const concurrency of plan.concurrency) {
  await block(handlerCall, concurrency, WARM_UP_MS);
  await block(bareCall, concurrency, WARM_UP_MS);
  const report: ThroughputReport = {
    concurrency,
    handlerOpsPerSecond: [],
    bareOpsPerSecond: [],
    ratios: [],
    handlerOps: 0,
    handlerRequests: 0,
    auditFallbacks: 0,
  };
  for (let pair = 0; pair < plan.pairs; pair++) {
    const measureHandler = async () => {
      const [ops, requests, lost] = [sequence, aws.requests.length, logged.auditFallbacks];
      const rate = await block(handlerCall, concurrency, plan.blockMs);
      report.handlerOps += sequence - ops;
      report.handlerRequests += aws.requests.length - requests;
      report.auditFallbacks += logged.auditFallbacks - lost;
      return rate;
    };
    const measureBare = () => block(bareCall, concurrency, plan.blockMs);
    let handlerRate: number;
    let bareRate: number;
    if (pair % 2 === 0) {
      handlerRate = await measureHandler();
      bareRate = await measureBare();
    } else {
      bareRate = await measureBare();
      handlerRate = await measureHandler();
    }
    report.handlerOpsPerSecond.push(handlerRate);
    report.bareOpsPerSecond.push(bareRate);
    report.ratios.push(handlerRate / bareRate);
  }
  reports.push(report);
}

writeSync(3, JSON.stringify(reports));
process.exit(0);
