/**
 * The sign-up decision on an email address: the block list is checked first and wins, then the
 * allow list; an address that cannot be read is refused. Pure, so every case is a table test.
 */
import { type DomainPattern, matchesDomain } from "./domain-pattern.ts";
import { emailDomain } from "./email-domain.ts";

/** Audit reasons of a refused sign-up (the `reason` of SIGN_UP_DENIED records). */
export type SignUpDenialReason =
  | "email-missing"
  | "email-invalid"
  | "domain-blocked"
  | "domain-not-allowed"
  // A federated address its identity provider did not verify (federated-email.ts), not judged here.
  | "email-unverified";

export interface DomainPolicy {
  allowed: readonly DomainPattern[];
  blocked: readonly DomainPattern[];
}

export type Verdict =
  | { allowed: true; domain: string }
  | { allowed: false; reason: SignUpDenialReason; domain?: string };

export function judgeEmail(email: string | undefined, policy: DomainPolicy): Verdict {
  const parsed = emailDomain(email);
  if ("problem" in parsed) return { allowed: false, reason: parsed.problem };
  const { domain } = parsed;
  if (policy.blocked.some((pattern) => matchesDomain(pattern, domain))) {
    return { allowed: false, reason: "domain-blocked", domain };
  }
  if (!policy.allowed.some((pattern) => matchesDomain(pattern, domain))) {
    return { allowed: false, reason: "domain-not-allowed", domain };
  }
  return { allowed: true, domain };
}
