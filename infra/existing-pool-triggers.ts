/**
 * Attaches the suite's functions to a user pool this app does not define (imported by id), through a
 * custom resource that reads the pool and writes it back with only LambdaConfig changed: UpdateUserPool
 * resets whatever it is not given, so a plain "set the triggers" call would wipe the pool's policies,
 * MFA, email and message settings. Deleting the stack removes the suite's triggers and nothing else.
 */
import { fileURLToPath } from "node:url";
import { CustomResource, Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct, type IDependable } from "constructs";
import { BUNDLING, NODE_22_ACKNOWLEDGMENT, NODE_RUNTIME, PROJECT_PATHS } from "./trigger-function.ts";

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
}

export class ExistingPoolTriggers extends Construct {
  readonly attachment: CustomResource;
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ExistingPoolTriggersProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "Attaches the Cognito trigger suite to an existing user pool",
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"],
        resources: [props.userPool.userPoolArn],
      }),
    );
    props.smsRole?.grantPassRole(role);

    this.function = new nodejs.NodejsFunction(this, "Function", {
      description: "Custom resource: sets the Cognito trigger suite's triggers on an existing user pool",
      entry: fileURLToPath(new URL("./existing-pool/handler.ts", import.meta.url)),
      handler: "handler",
      ...PROJECT_PATHS,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: BUNDLING,
    });
    Validations.of(this.function).acknowledge(NODE_22_ACKNOWLEDGMENT);

    this.attachment = new CustomResource(this, "Attachment", {
      serviceToken: this.function.functionArn,
      resourceType: "Custom::CognitoTriggerSuiteAttachment",
      properties: { UserPoolId: props.userPool.userPoolId, LambdaConfig: props.lambdaConfig },
    });
    for (const dependency of props.dependsOn) this.attachment.node.addDependency(dependency);
  }
}
