/**
 * The pre sign-up settings (README "Configuration"), exported so that the CDK app checks a deployment
 * with the very parsers the handler runs at cold start.
 */
import { auditConfigSpec, commaList, flag } from "../lib/config.ts";
import { parseDomainPattern } from "./domain-pattern.ts";
import { federatedUnverifiedEmail } from "./federated-email.ts";

export const preSignUpConfigSpec = {
  ALLOWED_EMAIL_DOMAINS: commaList({ required: true, item: parseDomainPattern }),
  BLOCKED_EMAIL_DOMAINS: commaList({ required: false, item: parseDomainPattern }),
  AUTO_CONFIRM: flag(false),
  FEDERATED_UNVERIFIED_EMAIL: federatedUnverifiedEmail(),
  ...auditConfigSpec,
};
