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
 * Runs a call with an AbortSignal that fires after `budgetMs`, and answers by then even if the call
 * ignores the signal: the time budget holds whatever the SDK does. Calls that must not go on once
 * abandoned (the welcome email) pass the signal to the SDK; calls that are harmless to let finish
 * (conditional audit writes, see audit/trail.ts) ignore it.
 */
export async function withinBudget<T>(
  call: (signal: AbortSignal) => Promise<T>,
  budgetMs: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BudgetExceededError(`${what} exceeded its ${Math.round(budgetMs)} ms budget`);
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
