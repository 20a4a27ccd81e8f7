/**
 * scrypt, in the PHC string format that Python's passlib writes:
 *   $scrypt$ln=<log2 of N>,r=<block size>,p=<parallelism>$<salt>$<key>
 * salt and key in base64 without padding ("." may stand for "+", as in passlib). The key length is the
 * decoded key's length (passlib: 32 bytes). node:crypto derives it off the main thread; the comparison
 * is timingSafeEqual.
 */
import { scrypt, timingSafeEqual } from "node:crypto";
import {
  boundedInteger,
  decodeBase64,
  type PasswordVerifier,
  UnusableHashError,
} from "./password-verifier.ts";

const SCHEME = "scrypt";
const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;
/** scrypt needs 128·N·r bytes; more than 256 MiB does not fit a reasonably sized Lambda function. */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
/**
 * node:crypto scrypt, per unit of N·r·p, on one vCPU: measured 0.00017-0.00025 ms (N=2^14 r=8 p=1:
 * 25 ms; N=2^16 r=8 p=1: 133 ms; larger N is slower per unit, its memory no longer in cache). The
 * highest is taken: the bound must not admit what it underestimates.
 */
export const SCRYPT_MS_PER_BLOCK_MIX = 0.00026;

interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  expected: Buffer;
}

function parse(hash: string): ScryptHash {
  const match = FORMAT.exec(hash);
  if (!match) throw new UnusableHashError(SCHEME, "not a $scrypt$ln=..,r=..,p=..$salt$key string");
  const ln = boundedInteger(SCHEME, "ln", match[1], 10, 20);
  const r = boundedInteger(SCHEME, "r", match[2], 1, 32);
  const p = boundedInteger(SCHEME, "p", match[3], 1, 16);
  if (128 * 2 ** ln * r > MAX_SCRYPT_MEMORY_BYTES) {
    throw new UnusableHashError(SCHEME, "needs more than 256 MiB of memory");
  }
  const salt = decodeBase64(match[4] as string);
  const expected = decodeBase64(match[5] as string);
  if (!salt || salt.length < 8 || !expected || expected.length < 16) {
    throw new UnusableHashError(SCHEME, "salt or key is malformed");
  }
  return { N: 2 ** ln, r, p, salt, expected };
}

function derive(
  password: string,
  salt: Buffer,
  length: number,
  N: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password,
      salt,
      length,
      { N, r, p, maxmem: MAX_SCRYPT_MEMORY_BYTES + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export const scryptVerifier: PasswordVerifier = {
  scheme: SCHEME,
  recognises: (hash) => hash.startsWith("$scrypt$"),
  // The p lanes run one after the other in node:crypto: the work is the product N·r·p.
  costMs: (hash) => {
    const { N, r, p } = parse(hash);
    return N * r * p * SCRYPT_MS_PER_BLOCK_MIX;
  },
  async verify(password, hash) {
    const { N, r, p, salt, expected } = parse(hash);
    const actual = await derive(password, salt, expected.length, N, r, p);
    return timingSafeEqual(actual, expected);
  },
};
