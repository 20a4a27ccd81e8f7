/**
 * One cold start: a fresh Node process imports one bundle and hands it one event, as Lambda does on
 * the first invocation of an execution environment. performance.now() counts from the start of the
 * process, so `answeredMs` is the whole cold start: Node's own boot, the import and the first answer.
 *
 *   node cold-start.mjs <module URL>      the event in BENCH_EVENT; the report goes to fd 3
 */
import { writeSync } from "node:fs";
import { recordAwsRequests } from "./aws-requests.ts";

type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;

// Lambda's runtime sets up logging before it loads the handler, so a handler's first log line does not
// pay for Node's lazily created stdout/stderr streams there; here they are created up front, for every
// case alike.
void process.stdout;
void process.stderr;
const aws = recordAwsRequests();
const event: unknown = JSON.parse(process.env.BENCH_EVENT ?? "null");
const { handler } = (await import(process.argv[2] ?? "")) as { handler: Handler };
const importedMs = performance.now();
let outcome: string;
try {
  await handler(event, { awsRequestId: `cold-${process.pid}` });
  outcome = "returned";
} catch (error) {
  outcome = `threw ${(error as Error).name}: ${(error as Error).message}`;
}
const answeredMs = performance.now();
const cpu = process.cpuUsage();
// CPU time of every thread of the process (V8 compiles and collects garbage on helper threads too).
const cpuMs = (cpu.user + cpu.system) / 1000;
writeSync(3, JSON.stringify({ importedMs, answeredMs, cpuMs, outcome, requests: aws.requests }));
// The SDK keeps its connections open; the measurement is over.
process.exit(0);
