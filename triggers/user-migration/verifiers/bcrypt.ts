/**
 * bcrypt ($2a$, $2b$, $2y$), verified with bcryptjs (pure JavaScript, no native build for arm64 Lambda).
 * The three prefixes name the same algorithm for passwords shorter than 255 bytes, which is every
 * password Cognito accepts; bcryptjs reads all three. Like every bcrypt, only the first 72 bytes of the
 * password count. bcryptjs compares the recomputed hash in constant time.
 */
import { boundedInteger, type PasswordVerifier, UnusableHashError } from "./password-verifier.ts";

const SCHEME = "bcrypt";
const FORMAT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
/** Cost 14 takes about a second on one vCPU; higher costs cannot answer within Cognito's 5 s. */
export const MAX_BCRYPT_COST = 14;
/**
 * bcryptjs, per 2^cost rounds, on one vCPU: measured 0.058-0.061 ms (cost 10: 62 ms, cost 12: 236 ms;
 * Node 20, x64, `npx vitest run test/user-migration/cost-bound.test.ts` prints the figures again).
 */
export const BCRYPT_MS_PER_ROUND = 0.061;

function cost(hash: string): number {
  const match = FORMAT.exec(hash);
  if (!match) throw new UnusableHashError(SCHEME, "not a 60-character modular-crypt hash");
  return boundedInteger(SCHEME, "cost", match[1], 4, MAX_BCRYPT_COST);
}

export const bcryptVerifier: PasswordVerifier = {
  scheme: SCHEME,
  recognises: (hash) => hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"),
  costMs: (hash) => 2 ** cost(hash) * BCRYPT_MS_PER_ROUND,
  async verify(password, hash) {
    cost(hash);
    // Loaded on first use: users of the other formats never pay for it.
    const { default: bcrypt } = await import("bcryptjs");
    return bcrypt.compare(password, hash);
  },
};
