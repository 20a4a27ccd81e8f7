/**
 * The SNS topic the suite's alarms notify, encrypted with a customer managed key, with what CloudWatch
 * needs to actually deliver to it.
 *
 * - `enforceSSL` makes the CDK write a topic policy (the Deny of publishing without TLS). That policy
 *   replaces the default one SNS gives a topic, and nothing in it lets CloudWatch publish: alarms would
 *   change state and notify nobody ("Failed to execute action ... is not authorized to perform:
 *   SNS:Publish" in the alarm's history). So the policy also allows sns:Publish to the service principal
 *   cloudwatch.amazonaws.com, as "Why didn't I receive an SNS notification for my CloudWatch alarm
 *   trigger?" (AWS re:Post Knowledge Center) and "Example cases for Amazon SNS access control" (Amazon SNS
 *   Developer Guide) show.
 * - The topic is encrypted, so CloudWatch must also be able to use the key: kms:Decrypt and
 *   kms:GenerateDataKey* for the service principal in the key policy, as "How do I configure a CloudWatch
 *   alarm with an encrypted SNS topic?" (AWS re:Post Knowledge Center) and "Enable compatibility between
 *   event sources from AWS services and encrypted topics" (Amazon SNS Developer Guide, "Managing Amazon SNS
 *   encryption keys and costs") describe. An AWS managed key (alias/aws/sns) cannot be used: its policy
 *   cannot be changed.
 * - Both statements hold only for alarms of this account and region (aws:SourceAccount, and aws:SourceArn
 *   like arn:<partition>:cloudwatch:<region>:<account>:alarm:*), so the service cannot be made to publish
 *   on behalf of another account's alarm (the confused deputy).
 */
import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { denyGrantsExceptForAwsServices } from "./kms-grant-guard.ts";

const CLOUDWATCH = "cloudwatch.amazonaws.com";

export interface AlarmTopicProps {
  /**
   * An address subscribed to the topic. AWS sends it a confirmation email; nothing is delivered to it
   * until someone follows the link in that email.
   * @default - no subscription
   */
  readonly email?: string;
  /** @default "Cognito trigger suite alarms" */
  readonly displayName?: string;
  /**
   * The key the topic is encrypted with. Its key policy gets the statement that lets CloudWatch use it,
   * so it must be a key whose policy this app manages (not an imported one, nor an AWS managed key).
   * @default - a new customer managed key with automatic rotation
   */
  readonly masterKey?: kms.IKey;
}

export class AlarmTopic extends Construct {
  /** Pass this as the suite's `alarmTopic`. Its id is `Default`: the topic's logical id is this construct's. */
  readonly topic: sns.Topic;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.masterKey) {
      this.key = props.masterKey;
    } else {
      const key = new kms.Key(this, "Key", {
        description: "Encrypts the Cognito trigger suite's alarm topic",
        enableKeyRotation: true,
        // Nothing stays encrypted under it: SNS messages are delivered, not kept.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      denyGrantsExceptForAwsServices(key);
      this.key = key;
    }

    this.topic = new sns.Topic(this, "Default", {
      displayName: props.displayName ?? "Cognito trigger suite alarms",
      masterKey: this.key,
      enforceSSL: true,
    });

    const fromThisAccountsAlarms = {
      StringEquals: { "aws:SourceAccount": stack.account },
      ArnLike: {
        "aws:SourceArn": stack.formatArn({
          service: "cloudwatch",
          resource: "alarm",
          resourceName: "*",
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsOfThisAccountPublish",
        principals: [new iam.ServicePrincipal(CLOUDWATCH)],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    const keyStatement = this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsOfThisAccountUseKey",
        principals: [new iam.ServicePrincipal(CLOUDWATCH)],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: fromThisAccountsAlarms,
      }),
    );
    if (!keyStatement.statementAdded) {
      throw new Error(
        `${this.node.path}: masterKey's policy cannot be changed here (an imported key?), so CloudWatch could not publish to the topic; pass a kms.Key of this app or leave masterKey out`,
      );
    }

    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
