/**
 * How a code failed to decrypt, in the terms a sender decides on (failure.ts): the code itself is
 * unusable, KMS refused, or KMS could not answer. The message never holds the code or the ciphertext.
 */
export type CodeDecryptionFailure = "undecryptable" | "refused" | "unavailable" | "timeout";

export class CodeDecryptionError extends Error {
  override readonly name = "CodeDecryptionError";
  constructor(
    readonly failure: CodeDecryptionFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
