/**
 * The bound on what one password verification may cost. Each hash parameter has its own bound (the
 * verifiers), but their product has none: scrypt with large N, r and p together, or argon2id with
 * large m and t, stays inside every per-parameter bound and still takes 5-15 s, past Cognito's 5 s.
 * So before verifying, the record's work is estimated and refused (like a wrong password) unless it
 * finishes well inside the time budget on this function's CPU.
 *
 *   estimated ms = costMs(hash) × MARGIN / cpuShare
 *   admitted     ⇔ estimated ms ≤ VERIFY_BUDGET_MS
 *
 * - costMs: the verifier's own calibration, ms on one full vCPU (measured here with the libraries the
 *   handler runs; each verifier's constant says what was measured);
 * - MARGIN 1.5: the vCPU Lambda gives may be slower than the one measured on, and the process shares
 *   it with the AWS calls of the same invocation;
 * - cpuShare: Lambda gives CPU in proportion to memory, one full vCPU at 1,769 MB ("Configuring Lambda
 *   function memory"); a verification runs on one thread, so more memory than that does not help.
 *   AWS_LAMBDA_FUNCTION_MEMORY_SIZE is set by Lambda; outside Lambda (tests, replay, the local pool)
 *   one full vCPU is assumed. The construct gives migration 1,024 MB: a share of 0.58;
 * - VERIFY_BUDGET_MS 1,000: of Cognito's 5 s, the directory read, the migratedAt mark and the audit
 *   write must also finish by MIGRATION_AWS_DEADLINE_MS (3.5 s, counted from the start).
 * At 1,024 MB this admits up to about 385 ms of measured work: bcrypt cost 12, PBKDF2 2.2 million
 * iterations, scrypt N·r·p of 1.4 million (ln=17, r=8, p=1), argon2id m·t of 320,000 KiB (64 MiB, t=4).
 */
import { UnusableHashError, verifierFor } from "./verifiers/registry.ts";

export const VERIFY_BUDGET_MS = 1_000;
export const MARGIN = 1.5;
/** The memory size at which Lambda gives one full vCPU. */
export const FULL_VCPU_MEMORY_MB = 1_769;

export type CostVerdict =
  | { kind: "admitted"; estimatedMs: number }
  | { kind: "too-costly"; estimatedMs: number; scheme: string }
  | { kind: "unsupported" }
  | { kind: "unusable"; error: UnusableHashError };

/** The share of one vCPU a function of this memory size runs on; 1 when unknown (not in Lambda). */
export function cpuShare(memorySize: string | undefined): number {
  const mb = Number(memorySize);
  if (memorySize === undefined || !Number.isFinite(mb) || mb <= 0) return 1;
  return Math.min(1, mb / FULL_VCPU_MEMORY_MB);
}

export class CostBound {
  constructor(readonly share: number) {}

  /** The verification's expected wall time here, margin included. */
  estimatedMs(costAtOneVcpuMs: number): number {
    return (costAtOneVcpuMs * MARGIN) / this.share;
  }

  judge(hash: string): CostVerdict {
    const verifier = verifierFor(hash);
    if (!verifier) return { kind: "unsupported" };
    let cost: number;
    try {
      cost = verifier.costMs(hash);
    } catch (error) {
      if (!(error instanceof UnusableHashError)) throw error;
      return { kind: "unusable", error };
    }
    const estimatedMs = this.estimatedMs(cost);
    return estimatedMs <= VERIFY_BUDGET_MS
      ? { kind: "admitted", estimatedMs }
      : { kind: "too-costly", estimatedMs, scheme: verifier.scheme };
  }
}
