/**
 * The customer managed KMS key the suite's log groups are encrypted with (the functions', the
 * existing-pool custom resource's and the AWS WAF logs). The logs hold more than debugging output:
 * `audit_fallback` lines are whole audit records (user names, addresses, source IPs), and WAF logs the
 * source address of every refused request.
 *
 * CloudWatch Logs uses the key on the log groups' behalf, so the key policy lets the regional Logs
 * service principal use it, and only for log groups of this account and region: the condition on the
 * encryption context `aws:logs:arn`, as "Encrypt log data in CloudWatch Logs using AWS KMS" (CloudWatch
 * Logs User Guide) prescribes.
 *
 * The key is retained with the stack's log groups by default: deleting it would make the retained logs
 * unreadable. Give it the removal policy of the log groups it encrypts.
 */
import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { denyGrantsExceptForAwsServices } from "./kms-grant-guard.ts";

export interface LogsEncryptionKeyProps {
  /**
   * What happens to the key when it leaves the stack (DESTROY schedules its deletion, after KMS's
   * waiting period). Never shorter-lived than the log groups it encrypts.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class LogsEncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogsEncryptionKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, "Key", {
      description: "Encrypts the Cognito trigger suite's log groups",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchLogsOfThisAccount",
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": stack.formatArn({
              service: "logs",
              resource: "log-group",
              resourceName: "*",
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    denyGrantsExceptForAwsServices(this.key);
  }
}
