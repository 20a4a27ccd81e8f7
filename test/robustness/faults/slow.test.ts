/**
 * One call is accepted and never answered (slower than any budget): every handler with a side effect gives up on its own, answers in time, as its settings promise, and loses no audit record.
 * The targets and what each promises are in targets.ts; how they are run and checked in run-faults.ts.
 */
import { runFaultTargets } from "./run-faults.ts";

runFaultTargets("slow");
