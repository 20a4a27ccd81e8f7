/**
 * The pre authentication settings (README "Configuration"). With IP_ALLOWLIST unset or blank the
 * check is off and every sign-in continues; the trusted-client rule exists only to protect the list,
 * so IP_TRUSTED_CLIENT_IDS and IP_UNTRUSTED_CLIENT_POLICY then change nothing. With a list, every
 * denial is audited, so AUDIT_TABLE_NAME becomes required.
 */
import { auditConfigSpec, type ConfigOf, type Env, optionalText } from "../lib/config.ts";
import { ConfigError } from "../lib/errors.ts";
import { ipPolicyConfigSpec, signInPolicyFrom } from "../lib/ip/ip-policy-config.ts";
import type { SignInPolicy } from "../lib/ip/sign-in-policy.ts";

export const preAuthenticationConfigSpec = {
  // Shared with user migration (triggers/lib/ip/): the same keys, read the same way.
  ...ipPolicyConfigSpec,
  AUDIT_TABLE_NAME: optionalText(),
  AUDIT_RETENTION_DAYS: auditConfigSpec.AUDIT_RETENTION_DAYS,
};

export interface AuditSettings {
  /** Undefined only while the allowlist is off, or (for config-invalid denials) when the key is unusable. */
  tableName: string | undefined;
  retentionDays: number;
}

export interface PreAuthenticationConfig {
  /** Undefined: the check is off. */
  policy: SignInPolicy | undefined;
  audit: AuditSettings;
}

export function preparePreAuthenticationConfig(
  values: ConfigOf<typeof preAuthenticationConfigSpec>,
): PreAuthenticationConfig {
  const audit = { tableName: values.AUDIT_TABLE_NAME, retentionDays: values.AUDIT_RETENTION_DAYS };
  if (!values.IP_ALLOWLIST) return { policy: undefined, audit };
  if (audit.tableName === undefined) {
    throw new ConfigError(
      "AUDIT_TABLE_NAME",
      "is required while IP_ALLOWLIST is set (every denial is audited)",
    );
  }
  return { policy: signInPolicyFrom(values), audit };
}

/**
 * Where a config-invalid denial is recorded when the configuration as a whole could not be read:
 * the table when AUDIT_TABLE_NAME is usable (with the default retention if AUDIT_RETENTION_DAYS is the
 * broken key), otherwise nowhere but the audit_fallback log line.
 */
export function auditSettingsDespiteInvalidConfig(env: Env): AuditSettings {
  const tableName = preAuthenticationConfigSpec.AUDIT_TABLE_NAME(env.AUDIT_TABLE_NAME, "AUDIT_TABLE_NAME");
  let retentionDays: number;
  try {
    retentionDays = preAuthenticationConfigSpec.AUDIT_RETENTION_DAYS(
      env.AUDIT_RETENTION_DAYS,
      "AUDIT_RETENTION_DAYS",
    );
  } catch {
    retentionDays = preAuthenticationConfigSpec.AUDIT_RETENTION_DAYS(undefined, "AUDIT_RETENTION_DAYS");
  }
  return { tableName, retentionDays };
}
