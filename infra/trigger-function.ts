/**
 * One trigger's Lambda function: its handler bundled on its own by the local esbuild (no Docker) with
 * the options of bundle-options.ts (ES modules split into chunks, minified, source maps, the AWS SDK
 * included), Node.js 24 (the current Lambda runtime) on arm64, Lambda's JSON log format with a log
 * level, its own log group with a retention encrypted with the suite's logs key, and its own role that
 * can write to that log group and nothing else until the construct grants more.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  AssetHashType,
  type BundlingOptions,
  DockerImage,
  Duration,
  type ILocalBundling,
  RemovalPolicy,
  Validations,
} from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { TriggerName } from "../triggers/lib/events.ts";
import { bundleHandler, LAMBDA_HANDLER, PROJECT_ROOT } from "./bundle-options.ts";

/** Cognito waits 5 s for a trigger and then gives up (and may retry): a longer timeout only wastes money. */
export const COGNITO_TRIGGER_BUDGET = Duration.seconds(5);

/** Where esbuild runs from: this repository, wherever the construct is used from. */
export const PROJECT_PATHS = {
  projectRoot: PROJECT_ROOT,
  depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
};

/**
 * NodejsFunction bundling for functions that are not triggers (the existing-pool custom resource): its
 * cold start does not matter, so one CommonJS file is fine there. The triggers use bundle-options.ts.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: "node24",
  format: nodejs.OutputFormat.CJS,
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
};

/** The current Lambda Node.js runtime; CI runs the tests on the same major (.ci/run). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * The AWS Control Tower proactive control CT.LAMBDA.PR.3 (cdk-validator-cfnguard) wants every function
 * in a VPC. The suite's functions reach nothing private: only the public endpoints of DynamoDB, SES and
 * Cognito. A VPC would add NAT gateways or interface endpoints (cost, and a network path that can fail)
 * and longer cold starts, for no isolation gained.
 */
export const NO_VPC_ACKNOWLEDGMENT = {
  id: "cdk-validator-cfnguard::lambda_inside_vpc_check",
  reason:
    "The function reaches only public AWS service endpoints (DynamoDB, SES, Cognito) and no private resource; a VPC would add NAT or endpoint cost, a failure point and cold-start time without isolating anything.",
};

export function handlerEntry(trigger: TriggerName): string {
  return fileURLToPath(new URL(`../triggers/${trigger}/handler.ts`, import.meta.url));
}

/**
 * CDK local bundling with the esbuild API. `entry` is a field (not only a closure) because the CDK
 * caches staged assets by a JSON of the bundling options: without it, all seven would share one bundle.
 */
class LocalEsbuild implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    bundleHandler(this.entry, outputDir);
    return true;
  }
}

/**
 * The handler's code asset: the folder esbuild writes (index.mjs, its chunks and source maps), hashed by
 * that output. Local bundling either succeeds or throws, so the Docker image is never pulled or run;
 * the CDK only requires one to be named.
 */
export function handlerCode(entry: string): lambda.Code {
  const bundling: BundlingOptions = {
    image: DockerImage.fromRegistry("local-esbuild-bundling-only"),
    local: new LocalEsbuild(entry),
  };
  return lambda.Code.fromAsset(PROJECT_ROOT, { assetHashType: AssetHashType.OUTPUT, bundling });
}

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
  readonly reservedConcurrentExecutions?: number;
}

export class TriggerFunction extends Construct {
  readonly function: lambda.Function;
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
      encryptionKey: props.logEncryptionKey,
      // audit_fallback lines are audit records that could not be written: keep them with the table.
      removalPolicy: RemovalPolicy.RETAIN,
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
      code: handlerCode(entry),
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

    Validations.of(this.function).acknowledge(NO_VPC_ACKNOWLEDGMENT);
  }
}
