/** Pre token generation events as Cognito sends them (V1 without scopes, V2/V3 with). */
import type { TriggerEvent } from "../../triggers/lib/events.ts";

export function tokenEvent(
  version: "1" | "2" | "3",
  overrides: { triggerSource?: string; groups?: string[]; attributes?: Record<string, string> } = {},
): TriggerEvent {
  const v2 = version !== "1";
  return {
    version,
    triggerSource: overrides.triggerSource ?? "TokenGeneration_Authentication",
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName: "7a9b0c1d-2031-70e5-8f6a-3b4c5d6e7f80",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "6a3l0kq7h2b1vgd9f8e0s4r2tn" },
    request: {
      userAttributes: overrides.attributes ?? {
        sub: "7a9b0c1d-2031-70e5-8f6a-3b4c5d6e7f80",
        email: "taro@example.com",
        email_verified: "true",
        "custom:tenant_id": "acme-jp",
      },
      groupConfiguration: {
        groupsToOverride: overrides.groups ?? ["editors"],
        iamRolesToOverride: ["arn:aws:iam::123456789012:role/editors"],
        preferredRole: "arn:aws:iam::123456789012:role/editors",
      },
      ...(v2 ? { scopes: ["aws.cognito.signin.user.admin"] } : {}),
    },
    response: v2 ? { claimsAndScopeOverrideDetails: null } : { claimsOverrideDetails: null },
  };
}
