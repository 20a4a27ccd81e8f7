/**
 * The post authentication settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start.
 */
import { auditConfigSpec, oneOf } from "../lib/config.ts";

export const postAuthenticationConfigSpec = {
  ...auditConfigSpec,
  AUDIT_FAILURE_MODE: oneOf(["open", "closed"] as const, "open"),
};
