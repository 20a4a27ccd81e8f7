/**
 * The policy findings CognitoTriggerSuite acknowledges on its consumer's behalf, as data: each rule, why
 * the suite accepts its finding, and on which resources. Every acknowledgment the suite's constructs
 * make goes through `PolicyAcknowledgments`, which records where it was made (the construct's
 * `policyAcknowledgments`, docs/deploying.md "Acknowledged findings") or, when the consumer turns them
 * off (`acknowledgePolicyFindings: false`), makes none: the consumer's own checks then report each
 * finding, and the consumer acknowledges it with its own reason or fixes it.
 *
 * An acknowledgment is `Validations.of(scope).acknowledge`: construct metadata that the CDK's policy
 * validation and cdk-nag read. It changes nothing in the template.
 */
import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** A finding the suite can acknowledge. */
export interface PolicyAcknowledgmentRule {
  /** The rule as `Validations.acknowledge` takes it: `<plugin>::<rule>`. */
  readonly id: string;
  /** The control the rule implements, as the policy report names it. */
  readonly control: string;
  /** Why the suite accepts the finding; recorded with the acknowledgment. */
  readonly reason: string;
  /** Which resources the acknowledgment is made on, and when. */
  readonly resources: string;
}

export const POLICY_ACKNOWLEDGMENTS = {
  /**
   * The AWS Control Tower proactive control CT.LAMBDA.PR.3 (cdk-validator-cfnguard) wants every
   * function in a VPC. The suite's functions reach nothing private: only the public endpoints of
   * DynamoDB, SES, SNS, KMS and Cognito. A VPC would add NAT gateways or interface endpoints (cost, and a network
   * path that can fail) and longer cold starts, for no isolation gained.
   */
  functionOutsideVpc: {
    id: "cdk-validator-cfnguard::lambda_inside_vpc_check",
    control: "CT.LAMBDA.PR.3",
    reason:
      "The function reaches only public AWS service endpoints (DynamoDB, SES, SNS, KMS, Cognito) and no private resource; a VPC would add NAT or endpoint cost, a failure point and cold-start time without isolating anything.",
    resources: "every function: the triggers and the pool attachment's custom resource",
  },
  /** CT.CLOUDWATCH.PR.1 wants an action on every alarm; without a topic there is nobody to notify. */
  alarmWithoutAction: {
    id: "cdk-validator-cfnguard::cloudwatch_alarm_action_check",
    control: "CT.CLOUDWATCH.PR.1",
    reason:
      "No alarm topic was configured (alarmTopic; alarmEmail or alarmTopicArn in the repository's configuration): the alarm is shown in the console and on the dashboard, and notifies once a topic is given.",
    resources: "every alarm, only when no alarm topic is given",
  },
  /**
   * CT.LAMBDA.PR.2 wants a function's resource policy scoped to a source. The permission is scoped, but
   * the imported pool's ARN is built with Fn::Join from its id, which the rule cannot evaluate.
   */
  importedPoolInvokePermission: {
    id: "cdk-validator-cfnguard::lambda_function_public_access_prohibited_check",
    control: "CT.LAMBDA.PR.2",
    reason:
      "The permission is scoped to the imported pool's ARN (SourceArn, built with Fn::Join from the pool id) and to this account (SourceAccount); the Control Tower rule cannot evaluate intrinsic functions and so reports it as unscoped.",
    resources: "each function's invoke permission for Cognito, only for a pool imported by id",
  },
  /**
   * cdk-nag's AwsSolutions-COG7 refuses an identity pool that allows unauthenticated identities. The
   * suite's identity pool allows them only when the consumer asks (`identityPool.unauthenticatedAccess`)
   * and then gives the guests' role exactly the actions and resources listed, wildcard actions refused.
   */
  unauthenticatedIdentities: {
    id: "AwsSolutions-COG7",
    control: "AwsSolutions-COG7",
    reason:
      "Unauthenticated identities were asked for (identityPool.unauthenticatedAccess); their role holds exactly the IAM actions and resources listed there, wildcard actions refused at synth, and nothing else.",
    resources: "the identity pool, only with identityPool.unauthenticatedAccess",
  },
  /**
   * cdk-nag's AwsSolutions-IAM5 refuses a wildcard resource. The custom SMS sender texts phone numbers
   * through Amazon SNS, and `sns:Publish` to a phone number names no resource: the statement must be
   * `Resource: "*"`. The same policy denies publishing to every SNS ARN (sms-publish-policy.ts), which
   * leaves direct SMS only.
   */
  smsToPhoneNumbers: {
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
    control: "AwsSolutions-IAM5",
    reason:
      'sns:Publish to a phone number names no resource, so the SMS statement must be Resource "*"; the same policy denies publishing to every SNS ARN (topics, platform endpoints), leaving only direct SMS.',
    resources: "the custom SMS sender's role policy, only with customSenders.sms",
  },
} as const satisfies Record<string, PolicyAcknowledgmentRule>;

/** An acknowledgment made: on which construct, of which rule, and why. */
export interface PolicyAcknowledgment {
  /** The construct path (`Stack/Triggers/PreSignUp/Function`). */
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/**
 * Makes the suite's acknowledgments and keeps the list of those made. Disabled, it makes none, so the
 * consumer's checks see every finding.
 */
export class PolicyAcknowledgments {
  private readonly acknowledgments: PolicyAcknowledgment[] = [];

  /** @param enabled false: acknowledge nothing (the consumer's `acknowledgePolicyFindings: false`) */
  constructor(readonly enabled: boolean = true) {}

  /** The acknowledgments made so far, in the order they were made. */
  get made(): readonly PolicyAcknowledgment[] {
    return this.acknowledgments;
  }

  acknowledge(scope: IConstruct, rule: PolicyAcknowledgmentRule): void {
    if (!this.enabled) return;
    Validations.of(scope).acknowledge({ id: rule.id, reason: rule.reason });
    this.acknowledgments.push({ path: scope.node.path, id: rule.id, reason: rule.reason });
  }
}
