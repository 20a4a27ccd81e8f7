/**
 * The package root of `cognito-trigger-suite`: the CognitoTriggerSuite construct, its props and
 * settings, and the constructs its props and members name. docs/deploying.md describes each.
 */

export type { CoreTriggerName, OptionalTriggerName, TriggerName } from "../triggers/lib/events.ts";
export { AlarmTopic, type AlarmTopicProps } from "./alarm-topic.ts";
export { AUDIT_TABLE_SCHEMA, AuditTable, type AuditTableProps } from "./audit-table.ts";
export {
  CognitoTriggerSuite,
  type CognitoTriggerSuiteProps,
  type CustomSendersOptions,
  type PerTrigger,
  type TriggerFunctionOverrides,
} from "./cognito-trigger-suite.ts";
export { CustomSenderKey, type CustomSenderKeyProps } from "./custom-sender-key.ts";
export {
  ExistingPoolTriggers,
  type ExistingPoolTriggersProps,
  LEGACY_ID_ATTRIBUTE,
} from "./existing-pool-triggers.ts";
export {
  type IdentityPoolOptions,
  SuiteIdentityPool,
  type SuiteIdentityPoolProps,
  type UnauthenticatedAccess,
} from "./identity-pool.ts";
export { IpAllowlistWebAcl, type IpAllowlistWebAclProps } from "./ip-allowlist-web-acl.ts";
export { LEGACY_USERS_KEY, LegacyUsersTable, type LegacyUsersTableProps } from "./legacy-users-table.ts";
export { LogsEncryptionKey, type LogsEncryptionKeyProps } from "./logs-encryption-key.ts";
export {
  POLICY_ACKNOWLEDGMENTS,
  type PolicyAcknowledgment,
  type PolicyAcknowledgmentRule,
} from "./policy-acknowledgments.ts";
export { InvalidSettingsError, type TriggerSuiteSettings } from "./settings.ts";
export { SuiteDashboard, type SuiteDashboardProps } from "./suite-dashboard.ts";
export { TriggerAlarms, type TriggerAlarmsProps } from "./trigger-alarms.ts";
export {
  COGNITO_TRIGGER_BUDGET,
  NODE_RUNTIME,
  TriggerFunction,
  type TriggerFunctionProps,
} from "./trigger-function.ts";
