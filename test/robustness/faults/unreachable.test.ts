/**
 * The AWS endpoints are unreachable (nothing listens there): every handler with a side effect answers in time, as its settings promise, and loses no audit record.
 * The targets and what each promises are in targets.ts; how they are run and checked in run-faults.ts.
 */
import { runFaultTargets } from "./run-faults.ts";

runFaultTargets("unreachable");
