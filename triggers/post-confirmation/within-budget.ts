/**
 * Runs a call with an AbortSignal that fires after `budgetMs`, and answers by then even if the call
 * ignores the signal: the time budget holds whatever the SDK does.
 */
export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
}

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
