/**
 * Cognito waits 5 s for a trigger and may retry. Every AWS operation (with its retry) gets at most
 * this long, so that a handler always answers within about 3 s. Kept apart from aws-clients.ts so
 * that code which only needs the number does not load the AWS SDK.
 */
export const AWS_CALL_BUDGET_MS = 2_500;

export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
}

/**
 * Answers by `budgetMs` whatever `call` does: it rejects with BudgetExceededError then, even if the
 * call is still under way.
 *
 * Stopping the call itself is opt-in, through `cancel`, which is aborted when the budget runs out.
 * Only a call that must not go on once abandoned needs it: the welcome email, which could otherwise
 * still reach the user after the handler reported it unsent. Reads and conditional writes (the audit
 * trail, the legacy directory) are harmless to let finish, and the bounded client ends them by itself
 * (bounded-client-config.ts). They go without a signal, which spares every such request the SDK's
 * abort handling: 2-3% of post authentication's throughput in `npm run bench`.
 */
export async function withinBudget<T>(
  call: () => Promise<T>,
  budgetMs: number,
  what: string,
  cancel?: AbortController,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BudgetExceededError(`${what} exceeded its ${Math.round(budgetMs)} ms budget`);
      cancel?.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
