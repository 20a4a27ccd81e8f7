/**
 * One call is throttled, answered as DynamoDB (ProvisionedThroughputExceededException) or SES (Throttling) answer it: the SDK retries once, and every handler with a side effect answers in time, as its settings promise, and loses no audit record.
 * The targets and what each promises are in targets.ts; how they are run and checked in run-faults.ts.
 */
import { runFaultTargets } from "./run-faults.ts";

runFaultTargets("throttled");
