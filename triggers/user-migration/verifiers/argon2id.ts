/**
 * argon2id (version 0x13) in the PHC string format of the reference implementation, libsodium,
 * argon2-cffi and PHP's password_hash:
 *   $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<key>   (base64 without padding)
 * The key is recomputed with hash-wasm (WebAssembly: no native build, so it runs unchanged on arm64
 * Lambda) and compared with timingSafeEqual. hash-wasm's own argon2Verify compares with ===, which is
 * why it is not used. hash-wasm is imported on the first argon2id hash only (argon2-kernel.ts), and its
 * WebAssembly is compiled then too.
 */
import { timingSafeEqual } from "node:crypto";
import {
  boundedInteger,
  decodeBase64,
  type PasswordVerifier,
  UnusableHashError,
} from "./password-verifier.ts";

const SCHEME = "argon2id";
const FORMAT = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;
/** 256 MiB: far above OWASP's 19–64 MiB, and still within a 512 MB+ Lambda function. */
export const MAX_ARGON2_MEMORY_KIB = 262_144;
/**
 * hash-wasm argon2id, per KiB of m per pass t, on one vCPU: measured 0.0006-0.0012 ms (m=19456 t=2:
 * 46 ms; m=65536 t=2: 145 ms, p=4 the same: hash-wasm computes the lanes on one thread, so p adds no
 * time). The highest is taken. The one-time WebAssembly compilation (first argon2id hash of an
 * execution environment) is not in it; it is the same for the stand-in hash (dummy-verification.ts).
 */
export const ARGON2_MS_PER_KIB_PASS = 0.0012;

interface Argon2Hash {
  memorySize: number;
  iterations: number;
  parallelism: number;
  salt: Buffer;
  expected: Buffer;
}

function parse(hash: string): Argon2Hash {
  const match = FORMAT.exec(hash);
  if (!match) throw new UnusableHashError(SCHEME, "not a $argon2id$v=19$m=..,t=..,p=..$salt$key string");
  if (match[1] !== "19") throw new UnusableHashError(SCHEME, "only version 19 (0x13) is supported");
  const memorySize = boundedInteger(SCHEME, "m", match[2], 8, MAX_ARGON2_MEMORY_KIB);
  const iterations = boundedInteger(SCHEME, "t", match[3], 1, 20);
  const parallelism = boundedInteger(SCHEME, "p", match[4], 1, 16);
  if (memorySize < 8 * parallelism) throw new UnusableHashError(SCHEME, "m must be at least 8·p");
  const salt = decodeBase64(match[5] as string);
  const expected = decodeBase64(match[6] as string);
  if (!salt || salt.length < 8 || !expected || expected.length < 16) {
    throw new UnusableHashError(SCHEME, "salt or key is malformed");
  }
  return { memorySize, iterations, parallelism, salt, expected };
}

export const argon2idVerifier: PasswordVerifier = {
  scheme: SCHEME,
  recognises: (hash) => hash.startsWith("$argon2id$"),
  costMs: (hash) => {
    const { memorySize, iterations } = parse(hash);
    return memorySize * iterations * ARGON2_MS_PER_KIB_PASS;
  },
  async verify(password, hash) {
    const { memorySize, iterations, parallelism, salt, expected } = parse(hash);
    // hash-wasm refuses an empty password; Cognito never sends one, and no legacy password is empty.
    if (password === "") return false;
    const { argon2id } = await import("./argon2-kernel.ts");
    const actual = await argon2id({
      password,
      salt,
      iterations,
      parallelism,
      memorySize,
      hashLength: expected.length,
      outputType: "binary",
    });
    return timingSafeEqual(actual, expected);
  },
};
