/**
 * PBKDF2-HMAC-SHA256 in Django's format: pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>.
 * The salt is used as its UTF-8 text, as Django does. node:crypto derives the key off the main thread;
 * the comparison is timingSafeEqual.
 */
import { pbkdf2, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import {
  boundedInteger,
  decodeBase64,
  type PasswordVerifier,
  UnusableHashError,
} from "./password-verifier.ts";

const SCHEME = "pbkdf2_sha256";
const derive = promisify(pbkdf2);
/** Django 5.x uses about a million; five million take about a second on one vCPU. */
export const MAX_PBKDF2_ITERATIONS = 5_000_000;
/**
 * node:crypto PBKDF2-HMAC-SHA256, per iteration (32-byte key: one block), on one vCPU: measured
 * 0.000167 ms (600,000 iterations: 100 ms).
 */
export const PBKDF2_MS_PER_ITERATION = 0.00017;

function parse(hash: string): { iterations: number; salt: string; expected: Buffer } {
  const parts = hash.split("$");
  if (parts.length !== 4) throw new UnusableHashError(SCHEME, "expected 4 $-separated fields");
  const [, iterationsText, salt, keyText] = parts as [string, string, string, string];
  const iterations = boundedInteger(SCHEME, "iterations", iterationsText, 1_000, MAX_PBKDF2_ITERATIONS);
  const expected = decodeBase64(keyText);
  if (salt === "" || !expected || expected.length < 16) {
    throw new UnusableHashError(SCHEME, "salt or key is missing or malformed");
  }
  return { iterations, salt, expected };
}

export const pbkdf2DjangoVerifier: PasswordVerifier = {
  scheme: SCHEME,
  recognises: (hash) => hash.startsWith("pbkdf2_sha256$"),
  // Keys longer than SHA-256's 32 bytes repeat the whole iteration count per block.
  costMs: (hash) => {
    const { iterations, expected } = parse(hash);
    return iterations * Math.ceil(expected.length / 32) * PBKDF2_MS_PER_ITERATION;
  },
  async verify(password, hash) {
    const { iterations, salt, expected } = parse(hash);
    const actual = await derive(password, salt, iterations, expected.length, "sha256");
    return timingSafeEqual(actual, expected);
  },
};
