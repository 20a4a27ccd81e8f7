/** Input the CLI cannot use: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
