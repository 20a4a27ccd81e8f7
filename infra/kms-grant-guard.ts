/**
 * A key policy statement the AWS Control Tower proactive control CT.KMS.PR.3 asks of every KMS key: only
 * AWS services may create grants on it, and only for AWS resources. The suite's keys need no grants at
 * all (CloudWatch Logs, SNS and CloudWatch use them through their key policy statements), so this
 * takes nothing away and stops a principal with broad IAM permissions from handing the key to another.
 */
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";

export function denyGrantsExceptForAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "GrantsOnlyByAwsServicesForAwsResources",
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ["kms:CreateGrant"],
      resources: ["*"],
      conditions: {
        BoolIfExists: { "kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false" },
      },
    }),
  );
}
