/**
 * Time for the AWS calls of one invocation. Cognito waits 5 s; the verification itself may take a few
 * hundred milliseconds of CPU, so the directory read, the migratedAt update and the audit write share
 * one deadline, and each is also bounded by AWS_CALL_BUDGET_MS like every AWS call of the suite.
 */
import { AWS_CALL_BUDGET_MS, withinBudget } from "../lib/time-budget.ts";

/** Everything this handler waits on AWS for must be over by then, leaving Cognito its margin. */
export const MIGRATION_AWS_DEADLINE_MS = 3_500;

export class CallBudget {
  private readonly deadline: number;

  constructor(
    private readonly now: () => number = Date.now,
    totalMs = MIGRATION_AWS_DEADLINE_MS,
  ) {
    this.deadline = now() + totalMs;
  }

  /** The time the next call may take: the per-call budget, or less when the deadline is nearer. */
  nextCallMs(): number {
    return Math.max(0, Math.min(AWS_CALL_BUDGET_MS, this.deadline - this.now()));
  }

  /**
   * Runs `call`, answering with an error when its share of the budget runs out. The call is not
   * cancelled then: a read or a conditional update is harmless to let finish (time-budget.ts).
   */
  async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    return withinBudget(call, this.nextCallMs(), what);
  }
}
