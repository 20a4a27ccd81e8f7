/**
 * One trigger's Lambda function: its handler bundled on its own (handler-code.ts: prebuilt in the
 * package, bundled at synth in the repository, with the options of bundle-options.ts: ES modules
 * split into chunks, minified, source maps, the AWS SDK included), Node.js 24 (the current Lambda runtime) on arm64, Lambda's JSON log format with a log
 * level, its own log group with a retention encrypted with the suite's logs key, and its own role that
 * can write to that log group and nothing else until the construct grants more.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { TriggerName } from "../triggers/lib/events.ts";
import { LAMBDA_HANDLER } from "./bundle-options.ts";
import { handlerCode } from "./handler-code.ts";
import { POLICY_ACKNOWLEDGMENTS, PolicyAcknowledgments } from "./policy-acknowledgments.ts";

/** Cognito waits 5 s for a trigger and then gives up (and may retry): a longer timeout only wastes money. */
export const COGNITO_TRIGGER_BUDGET = Duration.seconds(5);

/** The current Lambda Node.js runtime; CI runs the tests on the same major (.ci/run). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface TriggerFunctionProps {
  readonly trigger: TriggerName;
  readonly functionName: string;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logLevel: lambda.ApplicationLogLevel;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group (audit_fallback lines hold audit records: addresses and user names). */
  readonly logEncryptionKey: kms.IKey;
  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN (audit_fallback lines are audit records: they are kept with the table)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default - none (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Makes and records the acknowledgment that the function needs no VPC (policy-acknowledgments.ts).
   * @default - a PolicyAcknowledgments of its own, enabled
   */
  readonly acknowledgments?: PolicyAcknowledgments;
}

export class TriggerFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TriggerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      // audit_fallback lines are audit records that could not be written: keep them with the table.
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An explicit role instead of the AWS managed basic execution policy, which could write to any log group.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the Cognito ${props.trigger} trigger`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, "Function", {
      functionName: props.functionName,
      description: `Cognito user pool trigger: ${props.trigger}`,
      code: handlerCode(props.trigger),
      handler: LAMBDA_HANDLER,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      // No NODE_OPTIONS=--enable-source-maps: with it, Node reads and scans every loaded file's map at
      // cold start (+3 ms for pre sign-up, +12 ms for a handler that loads the SDK;
      // docs/performance.md). The maps ship beside the code, so a logged stack trace can still be decoded.
      environment: props.environment,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.logLevel,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });

    (props.acknowledgments ?? new PolicyAcknowledgments()).acknowledge(
      this.function,
      POLICY_ACKNOWLEDGMENTS.functionOutsideVpc,
    );
  }
}
