/**
 * The UpdateUserPool request that changes only a pool's triggers. UpdateUserPool resets every setting
 * it is not given to its default, so the request repeats everything DescribeUserPool reports that the
 * API can update, and changes LambdaConfig alone:
 * - the suite's triggers are set;
 * - triggers the suite set before and no longer wants are removed, but only while they still point at
 *   what the suite set (a trigger someone changed since then is theirs);
 * - every other trigger of the pool is kept as it is.
 */

import { isDeepStrictEqual } from "node:util";
import type {
  LambdaConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";

/** What DescribeUserPool returns and UpdateUserPool takes back (PoolName is `Name` in the description). */
const UPDATABLE = [
  "Policies",
  "DeletionProtection",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
  "KeyConfiguration",
  "IssuerConfiguration",
  "AcrConfiguration",
] as const satisfies readonly (keyof UserPoolType & keyof UpdateUserPoolCommandInput)[];

export type LambdaConfig = LambdaConfigType;

export function lambdaConfigChange(
  pool: UserPoolType,
  wanted: LambdaConfig,
  previouslySet: LambdaConfig = {},
): UpdateUserPoolCommandInput {
  const current: Record<string, unknown> = { ...(pool.LambdaConfig ?? {}) };
  for (const [key, value] of Object.entries(previouslySet)) {
    if (!(key in wanted) && isDeepStrictEqual(current[key], value)) delete current[key];
  }
  Object.assign(current, wanted);
  // A flat PreTokenGeneration beside PreTokenGenerationConfig can keep the pool on V1_0.
  if (wanted.PreTokenGenerationConfig) delete current.PreTokenGeneration;

  const request: Record<string, unknown> = {
    UserPoolId: pool.Id,
    PoolName: pool.Name,
    LambdaConfig: current,
  };
  for (const key of UPDATABLE) if (pool[key] !== undefined) request[key] = structuredClone(pool[key]);

  // DescribeUserPool reports the deprecated UnusedAccountValidityDays beside its replacement, and
  // UpdateUserPool refuses the two together.
  const adminCreateUser = request.AdminCreateUserConfig as Record<string, unknown> | undefined;
  if (adminCreateUser && pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined) {
    delete adminCreateUser.UnusedAccountValidityDays;
  }
  return request as unknown as UpdateUserPoolCommandInput;
}

/** Pre token generation V2_0/V3_0 needs the ESSENTIALS or PLUS plan; the reason it cannot attach, if any. */
export function featurePlanProblem(pool: UserPoolType, wanted: LambdaConfig): string | undefined {
  const version = wanted.PreTokenGenerationConfig?.LambdaVersion;
  if (version === undefined || version === "V1_0") return undefined;
  const tier = pool.UserPoolTier;
  if (tier === "ESSENTIALS" || tier === "PLUS") return undefined;
  return `pre token generation ${version} needs the ESSENTIALS or PLUS feature plan, but user pool ${pool.Id} is on ${tier ?? "an unknown plan"}`;
}
