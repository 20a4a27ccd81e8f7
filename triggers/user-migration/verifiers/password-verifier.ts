/**
 * One interface for every legacy password-hash format. A verifier recognises its own format by the
 * hash's prefix, and compares in constant time. A hash it recognises but cannot use (parameters out of
 * bounds, bad encoding) throws UnusableHashError: the caller treats that like a wrong password, but
 * logs it, because it is the directory that needs fixing, not the user.
 */
export interface PasswordVerifier {
  /** The format's name, for logs and the README; never the hash itself. */
  readonly scheme: string;
  recognises(hash: string): boolean;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * What one verification of `hash` costs, in milliseconds on one full vCPU (calibration in each
   * verifier; cost-bound.ts scales it to the function's CPU). Reads only the parameters, cheaply, and
   * throws UnusableHashError exactly when verify would.
   */
  costMs(hash: string): number;
}

export class UnusableHashError extends Error {
  override readonly name = "UnusableHashError";
  constructor(
    readonly scheme: string,
    problem: string,
  ) {
    super(`${scheme} hash unusable: ${problem}`);
  }
}

/** Standard or URL-safe base64, with or without padding (formats differ); undefined when not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/._-]*={0,2}$/.test(text)) return undefined;
  // passlib's "ab64" writes "." where base64 has "+".
  const standard = text.replace(/\./g, "+").replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (standard.length % 4 === 1) return undefined;
  return Buffer.from(standard, "base64");
}

/** Parses a whole decimal number within bounds, or throws UnusableHashError naming the parameter. */
export function boundedInteger(
  scheme: string,
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number {
  if (text === undefined || !/^\d{1,10}$/.test(text))
    throw new UnusableHashError(scheme, `${name} is not a number`);
  const value = Number(text);
  if (value < min || value > max)
    throw new UnusableHashError(scheme, `${name} ${value} is outside ${min}..${max}`);
  return value;
}
