/**
 * One trigger's Lambda function: its handler bundled on its own by esbuild (minified, source maps, the
 * AWS SDK included so that cold starts do not load it unbundled from the runtime), Node.js 22 on arm64,
 * Lambda's JSON log format with a log level, its own log group with a retention, and its own role that
 * can write to that log group and nothing else until the construct grants more.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { TriggerName } from "../triggers/lib/events.ts";

/** Cognito waits 5 s for a trigger and then gives up (and may retry): a longer timeout only wastes money. */
export const COGNITO_TRIGGER_BUDGET = Duration.seconds(5);

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Where esbuild runs from: this repository, wherever the construct is used from. */
export const PROJECT_PATHS = {
  projectRoot: PROJECT_ROOT,
  depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
};

/**
 * esbuild on the local machine (no Docker): minified, with source maps (without the sources), the AWS
 * SDK bundled and tree-shaken rather than loaded whole from the runtime, CommonJS output.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: "node22",
  format: nodejs.OutputFormat.CJS,
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
};

export const NODE_RUNTIME = lambda.Runtime.NODEJS_22_X;

/** The cdk-nag finding every function of the suite raises on purpose. */
export const NODE_22_ACKNOWLEDGMENT = {
  id: "AwsSolutions-L1",
  reason:
    "The suite deliberately runs on Node.js 22, the runtime it is built and tested for; moving to a newer runtime is a reviewed change, not a default.",
};

export function handlerEntry(trigger: TriggerName): string {
  return fileURLToPath(new URL(`../triggers/${trigger}/handler.ts`, import.meta.url));
}

export interface TriggerFunctionProps {
  readonly trigger: TriggerName;
  readonly functionName: string;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logLevel: lambda.ApplicationLogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

export class TriggerFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TriggerFunctionProps) {
    super(scope, id);
    const entry = handlerEntry(props.trigger);
    if (!existsSync(entry)) {
      throw new Error(`${this.node.path}: the ${props.trigger} handler is missing (${entry})`);
    }

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      // audit_fallback lines are audit records that could not be written: keep them with the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of the AWS managed basic execution policy, which could write to any log group.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the Cognito ${props.trigger} trigger`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, "Function", {
      functionName: props.functionName,
      description: `Cognito user pool trigger: ${props.trigger}`,
      entry,
      handler: "handler",
      ...PROJECT_PATHS,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      // Stack traces in the logs point at the TypeScript sources, not at the minified bundle.
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.logLevel,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      bundling: BUNDLING,
    });

    Validations.of(this.function).acknowledge(NODE_22_ACKNOWLEDGMENT);
  }
}
