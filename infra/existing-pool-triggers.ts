/**
 * Attaches the suite's functions to a user pool this app does not define (imported by id), through a
 * custom resource that reads the pool and writes it back with only LambdaConfig changed: UpdateUserPool
 * resets whatever it is not given, so a plain "set the triggers" call would wipe the pool's policies,
 * MFA, email and message settings. Deleting the stack removes the suite's triggers and nothing else.
 *
 * - A trigger of the pool under one of the suite's keys that is not the suite's function is refused
 *   (the deployment fails, naming it), unless `replaceExistingTriggers`: then it is replaced, recorded
 *   in a pool tag `cognito-trigger-suite:replaced:<key>` and put back when the suite's triggers are
 *   removed (Delete, including CloudFormation's rollback and replacement Deletes).
 * - Changing the pool is a replacement: the new pool is attached, the old one detached afterwards.
 * - The pool must be in the stack's region and have `requiredAttributes` (custom:legacy_id for user
 *   migration); V2_0/V3_0 pre token generation needs the ESSENTIALS or PLUS plan.
 * - Mode "detach-on-delete", for a pool the stack owns (CloudFormation sets its triggers): only the
 *   Delete acts, removing the suite's triggers, so that the pool `cdk destroy` retains (deletion
 *   protection) does not call deleted functions. The attachment depends on the functions' invoke
 *   permissions (`dependsOn`), so CloudFormation deletes it, and detaches, before the functions.
 */
import { CustomResource, Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct, type IDependable } from "constructs";
import { LAMBDA_HANDLER } from "./bundle-options.ts";
import type { AttachmentMode } from "./existing-pool/attachment-mode.ts";
import { handlerCode } from "./handler-code.ts";
import { POLICY_ACKNOWLEDGMENTS, PolicyAcknowledgments } from "./policy-acknowledgments.ts";
import { NODE_RUNTIME } from "./trigger-function.ts";

/** What user migration writes into every user it migrates. */
export const LEGACY_ID_ATTRIBUTE = "custom:legacy_id";

export interface ExistingPoolTriggersProps {
  readonly userPool: cognito.IUserPool;
  /** The pool's LambdaConfig entries to own, e.g. { PreSignUp: arn, PreTokenGenerationConfig: {...} }. */
  readonly lambdaConfig: Record<string, unknown>;
  /** What must exist before the pool may call the functions (their invoke permissions). */
  readonly dependsOn: readonly IDependable[];
  /**
   * The role the pool sends SMS with (SmsConfiguration.SnsCallerArn), if it has one: writing the pool
   * back passes that role, which needs iam:PassRole.
   */
  readonly smsRole?: iam.IRole;
  /**
   * Replace triggers the pool already has under the suite's keys (functions that are not the suite's).
   * They are recorded in pool tags `cognito-trigger-suite:replaced:<key>` and put back when the suite's
   * triggers are removed. Off, the deployment fails naming each such trigger.
   * @default false
   */
  readonly replaceExistingTriggers?: boolean;
  /**
   * Attributes the pool must have; the deployment fails naming each one it lacks.
   * @default - ["custom:legacy_id"] when lambdaConfig has UserMigration, otherwise none
   */
  readonly requiredAttributes?: readonly string[];
  /**
   * "attach": set the triggers on Create/Update, remove them on Delete (a pool the stack does not own).
   * "detach-on-delete": a pool the stack owns, whose own resource sets the triggers: only remove them
   * on Delete (pass the same lambdaConfig the pool is given).
   * @default "attach"
   */
  readonly mode?: AttachmentMode;
  /**
   * Encrypts the custom resource's log group (the suite's logs key).
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Makes and records the acknowledgment that the function needs no VPC (policy-acknowledgments.ts).
   * @default - a PolicyAcknowledgments of its own, enabled
   */
  readonly acknowledgments?: PolicyAcknowledgments;
}

export class ExistingPoolTriggers extends Construct {
  readonly attachment: CustomResource;
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ExistingPoolTriggersProps) {
    super(scope, id);
    const mode = props.mode ?? "attach";
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description:
        mode === "attach"
          ? "Attaches the Cognito trigger suite to an existing user pool"
          : "Detaches the Cognito trigger suite from its user pool when the stack is deleted",
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          "cognito-idp:DescribeUserPool",
          "cognito-idp:UpdateUserPool",
          // The record of replaced triggers is written by UpdateUserPool (UserPoolTags); whether IAM also
          // evaluates the tagging actions for that is not documented, so they are granted, on this one
          // pool. UntagResource also removes a record UpdateUserPool left behind.
          "cognito-idp:TagResource",
          "cognito-idp:UntagResource",
        ],
        resources: [props.userPool.userPoolArn],
      }),
    );
    props.smsRole?.grantPassRole(role);

    // Bundled like the triggers (handler-code.ts): prebuilt in the package, from source in the repository.
    this.function = new lambda.Function(this, "Function", {
      description:
        mode === "attach"
          ? "Custom resource: sets the Cognito trigger suite's triggers on an existing user pool"
          : "Custom resource: removes the Cognito trigger suite's triggers from its user pool on stack deletion",
      code: handlerCode("existing-pool"),
      handler: LAMBDA_HANDLER,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
    (props.acknowledgments ?? new PolicyAcknowledgments()).acknowledge(
      this.function,
      POLICY_ACKNOWLEDGMENTS.functionOutsideVpc,
    );

    this.attachment = new CustomResource(this, "Attachment", {
      serviceToken: this.function.functionArn,
      resourceType: "Custom::CognitoTriggerSuiteAttachment",
      properties: {
        UserPoolId: props.userPool.userPoolId,
        LambdaConfig: props.lambdaConfig,
        Mode: mode,
        // CloudFormation hands custom resources every value as a string.
        ReplaceExistingTriggers: String(props.replaceExistingTriggers ?? false),
        RequiredAttributes: [
          ...(props.requiredAttributes ??
            ("UserMigration" in props.lambdaConfig ? [LEGACY_ID_ATTRIBUTE] : [])),
        ],
      },
    });
    for (const dependency of props.dependsOn) this.attachment.node.addDependency(dependency);
  }
}
