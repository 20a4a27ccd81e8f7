/**
 * What lets a principal text a phone number through Amazon SNS and do nothing else with SNS: the pool's
 * SMS MFA role and the custom SMS sender. `sns:Publish` to a phone number names no resource
 * (`Resource: "*"`), so publishing to any SNS ARN (topics, platform endpoints) is denied, which leaves
 * direct SMS only.
 */
import * as iam from "aws-cdk-lib/aws-iam";

export function smsToPhoneNumbersOnly(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: "NoTopicsOrEndpoints",
      effect: iam.Effect.DENY,
      actions: ["sns:Publish"],
      resources: ["arn:*:sns:*:*:*"],
    }),
    new iam.PolicyStatement({
      sid: "SmsToPhoneNumbers",
      actions: ["sns:Publish"],
      resources: ["*"],
    }),
  ];
}
