/**
 * The user migration settings (docs/tokens-and-migration.md, README "Configuration"), exported so that the CDK
 * app checks a deployment with the very parsers the handler runs at cold start. AUDIT_TABLE_NAME is
 * required: every migration and every refusal is audited. The IP allowlist keys are pre
 * authentication's, read by the same shared parsers (triggers/lib/ip/).
 *
 * LEGACY_STANDIN_HASH is checked here against the cost bound at one full vCPU (what a synth can know);
 * the handler checks it again at cold start against its own memory size (trigger.ts).
 */
import { auditConfigSpec, commaList, integer, requiredText } from "../lib/config.ts";
import { ipPolicyConfigSpec } from "../lib/ip/ip-policy-config.ts";
import { parseAliasAttribute } from "./alias-sign-in.ts";
import { CostBound } from "./cost-bound.ts";
import { standInHashSetting } from "./dummy-verification.ts";

export const userMigrationConfigSpec = {
  LEGACY_USERS_TABLE_NAME: requiredText(),
  USER_POOL_ALIAS_ATTRIBUTES: commaList({ required: false, item: parseAliasAttribute }),
  LEGACY_STANDIN_HASH: standInHashSetting(new CostBound(1)),
  MIGRATION_MAX_FAILED_ATTEMPTS: integer({ default: 5, min: 1, max: 100 }),
  MIGRATION_LOCK_MINUTES: integer({ default: 15, min: 1, max: 1440 }),
  ...ipPolicyConfigSpec,
  ...auditConfigSpec,
};
