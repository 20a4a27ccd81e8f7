/**
 * The inbound federation settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start. The email domain policy is Pre
 * sign-up's own keys and parser: one policy, judged at both gates.
 */
import { auditConfigSpec, commaList, json, oneOf } from "../lib/config.ts";
import { parseDomainPattern } from "../pre-sign-up/domain-pattern.ts";
import { type AttributeMap, DEFAULT_ATTRIBUTE_MAP, parseAttributeMap } from "./attribute-map.ts";

/** FEDERATION_EMAIL_VERIFIED: `honour` passes the provider's `email_verified` on; `never` maps "false". */
export const FEDERATION_EMAIL_VERIFIED_POLICIES = ["honour", "never"] as const;
export type FederationEmailVerifiedPolicy = (typeof FEDERATION_EMAIL_VERIFIED_POLICIES)[number];

export const inboundFederationConfigSpec = {
  ALLOWED_EMAIL_DOMAINS: commaList({ required: true, item: parseDomainPattern }),
  BLOCKED_EMAIL_DOMAINS: commaList({ required: false, item: parseDomainPattern }),
  FEDERATION_ATTRIBUTE_MAP: json<AttributeMap>({
    required: false,
    default: DEFAULT_ATTRIBUTE_MAP,
    validate: parseAttributeMap,
  }),
  FEDERATION_EMAIL_VERIFIED: oneOf(FEDERATION_EMAIL_VERIFIED_POLICIES, "honour"),
  ...auditConfigSpec,
};
