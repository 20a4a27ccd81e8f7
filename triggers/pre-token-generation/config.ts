/**
 * The pre token generation settings (docs/tokens-and-migration.md), exported so that the CDK app
 * checks a deployment with the very parser the handler runs at cold start. CLAIMS_CONFIG is required:
 * `{}` is the explicit "change nothing, keep the groups".
 */
import { json } from "../lib/config.ts";
import { type ClaimsConfig, parseClaimsConfig } from "./claims-config.ts";

export const preTokenGenerationConfigSpec = {
  CLAIMS_CONFIG: json<ClaimsConfig>({
    required: true,
    default: parseClaimsConfig({}),
    validate: parseClaimsConfig,
  }),
};
