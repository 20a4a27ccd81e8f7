/**
 * Inbound federation: Cognito calls this on every federated sign-in, new and returning users alike,
 * before it creates or updates the user's profile, and applies what it answers.
 *
 * 1. The provider's attributes are read by provider type (provider-attributes.ts); the token response
 *    is never read.
 * 2. The email (FEDERATION_ATTRIBUTE_MAP's `email`) is judged by Pre sign-up's domain policy, with Pre
 *    sign-up's own keys and code (ALLOWED_EMAIL_DOMAINS, BLOCKED_EMAIL_DOMAINS, domain-policy.ts). A
 *    missing, invalid, blocked or not-allowed address refuses the sign-in: counted (FederationDenied, by
 *    reason), audited (FEDERATION_DENIED) and answered with one message that says nothing about the
 *    policy. Cognito then ends the federated sign-in with an error.
 * 3. Otherwise the answer maps exactly the pool attributes the map names (attributes-to-map.ts), with
 *    the verified flags FEDERATION_EMAIL_VERIFIED decides. Whatever the event carried in its response
 *    is replaced.
 * Logged: the provider type, the decision and the names of the mapped pool attributes; never a value,
 * a token or an assertion. A refusal for invalid configuration is counted as ConfigRefusals by the
 * runtime and audited here.
 *
 * Nothing here loads the AWS SDK: the denial audit (and with it the audit trail) is imported on refusal
 * only, so an admitted sign-in starts about as fast as an empty handler.
 */
import type { Env } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { GENERIC_USER_MESSAGE, MalformedEventError, UserFacingError } from "../lib/errors.ts";
import { DENIAL_REASONS, type DenialReason, METRIC } from "../lib/metrics.ts";
import type { Services } from "../lib/services.ts";
import { judgeEmail } from "../pre-sign-up/domain-policy.ts";
import { attributesToMap } from "./attributes-to-map.ts";
import { inboundFederationConfigSpec } from "./config.ts";
import { lookUp, readProviderProfile } from "./provider-attributes.ts";

/** The same words for every refusal, so the answer reveals nothing about the lists. */
export const FEDERATION_REFUSED_MESSAGE = "Sign-in is not available for this email address";

type FederationDenialReason = DenialReason<"FederationDenied">;

const config = inboundFederationConfigSpec;

export function createHandler(env: Env, services: Services = {}) {
  return defineTrigger({
    trigger: "inbound-federation",
    config,
    handle: async (event, invocation) => {
      const { config, log, metrics } = invocation;
      const profile = readProviderProfile(event.request);
      if ("problem" in profile) {
        log.warn("malformed event refused", { problem: profile.problem });
        metrics.count(METRIC.MalformedEvents);
        throw new UserFacingError(GENERIC_USER_MESSAGE, { cause: new MalformedEventError(profile.problem) });
      }
      const { providerType } = profile;
      if (profile.userInfoIgnored)
        log.info("userInfo ignored: it is about another subject", { providerType });

      const email = lookUp(profile, config.FEDERATION_ATTRIBUTE_MAP.email ?? []);
      const verdict = judgeEmail(email?.value, {
        allowed: config.ALLOWED_EMAIL_DOMAINS,
        blocked: config.BLOCKED_EMAIL_DOMAINS,
      });
      // judgeEmail admits no missing address: `email === undefined` only narrows the type.
      if (!verdict.allowed || email === undefined) {
        const reason = federationReason(verdict.allowed ? "email-missing" : verdict.reason);
        log.info("federated sign-in refused", { reason, providerType });
        const { auditEmailDenial } = await import("../lib/audit/email-denial.ts");
        await auditEmailDenial(
          event,
          { event: "FEDERATION_DENIED", reason, email: email?.value },
          invocation,
        );
        // Counted with the answer, so that an invocation is never both a denial and an unexpected error.
        metrics.denied(METRIC.FederationDenied, reason);
        throw new UserFacingError(FEDERATION_REFUSED_MESSAGE);
      }

      const { attributes, dropped } = attributesToMap(
        config.FEDERATION_ATTRIBUTE_MAP,
        profile,
        { found: email, domain: verdict.domain },
        config.FEDERATION_EMAIL_VERIFIED,
      );
      // At DEBUG, as the other triggers log their allowed path (an INFO line on every federated sign-in
      // costs the cold start measurably); at INFO when the provider sent something that was dropped.
      const droppedAny = Object.keys(dropped).length > 0;
      (droppedAny ? log.info : log.debug)("federated sign-in admitted", {
        providerType,
        mapped: Object.keys(attributes),
        ...(droppedAny ? { dropped } : {}),
      });
      // A fresh object: nothing the event carried in its response reaches Cognito.
      event.response = { userAttributesToMap: attributes };
      return event;
    },
    // Refusing every federated sign-in for a bad setting is a denial too; audit it when the table is known.
    onConfigError: async (event, invocation) => {
      const { auditConfigRefusal } = await import("../lib/audit/email-denial.ts");
      await auditConfigRefusal(event, { event: "FEDERATION_DENIED", email: undefined }, env, invocation);
    },
  })(env, services);
}

/** The domain policy's reasons are the denial metric's; anything else would be a new reason to add there. */
function federationReason(reason: string): FederationDenialReason {
  if ((DENIAL_REASONS.FederationDenied as readonly string[]).includes(reason)) {
    return reason as FederationDenialReason;
  }
  throw new Error(`the domain policy gave a reason FederationDenied does not count: ${reason}`);
}
