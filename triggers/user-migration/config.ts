/**
 * The user migration settings (README "Tokens and migration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start. AUDIT_TABLE_NAME is required: every
 * migration and every refusal is audited.
 */
import { auditConfigSpec, commaList, requiredText } from "../lib/config.ts";
import { parseAliasAttribute } from "./alias-sign-in.ts";

export const userMigrationConfigSpec = {
  LEGACY_USERS_TABLE_NAME: requiredText(),
  USER_POOL_ALIAS_ATTRIBUTES: commaList({ required: false, item: parseAliasAttribute }),
  ...auditConfigSpec,
};
