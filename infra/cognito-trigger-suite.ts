/**
 * CognitoTriggerSuite: attaches the seven triggers to a user pool, secure by default.
 *
 * - Settings are the configuration contract (architecture.md) as typed props, checked at synth time by
 *   the handlers' own parsers; each function receives only the keys its handler reads.
 * - Least privilege: the audit table gets PutItem only, the welcome email may only be sent from its one
 *   identity, only user migration touches the legacy table (GetItem/UpdateItem), no wildcard resources.
 * - Pre token generation is attached through PreTokenGenerationConfig with V2_0 (or V3_0) and the
 *   construct refuses a pool that is not explicitly on the ESSENTIALS or PLUS feature plan.
 * - No pool -> function -> pool cycle. The pool's LambdaConfig names each function by an ARN built from
 *   its (deterministic) function name, not by a reference to the function resource, so the pool does not
 *   depend on the functions; Cognito's permission to invoke a function is a resource policy scoped with
 *   SourceArn/SourceAccount that depends on both. So a function may depend on anything created after the
 *   pool: IP_TRUSTED_CLIENT_IDS holds the ids of the pool's own app clients, which would otherwise close
 *   the cycle pool -> function -> client -> pool. No function needs the pool's ARN in any IAM policy.
 * - A pool imported by id (created elsewhere) cannot be read at synth time: ExistingPoolTriggers attaches
 *   the functions at deploy time, changing only the pool's LambdaConfig and checking its plan there.
 */
import { ArnFormat, type Duration, Names, Stack, Token } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";
import { AuditTable } from "./audit-table.ts";
import { ExistingPoolTriggers } from "./existing-pool-triggers.ts";
import { IpAllowlistWebAcl } from "./ip-allowlist-web-acl.ts";
import { LegacyUsersTable } from "./legacy-users-table.ts";
import {
  environmentOf,
  InvalidSettingsError,
  type SuiteResources,
  settingsEnvironment,
  type TriggerSuiteSettings,
  validateSettings,
} from "./settings.ts";
import { TriggerAlarms } from "./trigger-alarms.ts";
import { COGNITO_TRIGGER_BUDGET, TriggerFunction } from "./trigger-function.ts";
import { aliasAttributes, sendsEmailThroughSes, userPoolTier } from "./user-pool-facts.ts";
import { wafAddresses } from "./waf-addresses.ts";
import { welcomeEmailStatement } from "./welcome-email-policy.ts";

export interface CognitoTriggerSuiteProps {
  /**
   * The pool to attach to: a UserPool of this app (attached through its LambdaConfig), or a pool created
   * elsewhere and imported by id (`UserPool.fromUserPoolId`), attached by a custom resource that changes
   * only the pool's LambdaConfig (see ExistingPoolTriggers).
   */
  readonly userPool: cognito.IUserPool;
  readonly settings: TriggerSuiteSettings;
  /**
   * The pre token generation event version. V2_0 customises access tokens of users; V3_0 also machine
   * (client credentials) tokens. V1_0 customises the ID token only. V2_0 and V3_0 need ESSENTIALS or PLUS.
   * @default LambdaVersion.V2_0
   */
  readonly preTokenGenerationVersion?: cognito.LambdaVersion;
  /**
   * The legacy directory user migration reads. Its key schema must be the one the README documents.
   * @default - a new, empty legacy users table to import the old directory into
   */
  readonly legacyUsersTable?: dynamodb.ITable;
  /** Where the trigger alarms notify. @default - alarms without actions */
  readonly alarmTopic?: sns.ITopic;
  /** @default ApplicationLogLevel.INFO */
  readonly logLevel?: lambda.ApplicationLogLevel;
  /** @default RetentionDays.THIRTEEN_MONTHS (400 days, the default audit retention) */
  readonly logRetention?: logs.RetentionDays;
  /** Reserved concurrency for every function. @default - none (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
  /** Memory per function, in MB. @default 256, and 1024 for user migration (password hashing is CPU-bound) */
  readonly memorySize?: Partial<Record<TriggerName, number>>;
  /** @default Duration.seconds(5), Cognito's own limit; longer is refused */
  readonly timeout?: Duration;
  /**
   * Put an AWS WAF web ACL holding `ipAllowlist` on the pool. Turn it off only when the pool already has
   * a web ACL that enforces the list (a pool takes one web ACL).
   * @default true (when ipAllowlist is not empty)
   */
  readonly ipAllowlistWebAcl?: boolean;
  /** The functions are named `<prefix>-<trigger>`. @default - unique per construct path */
  readonly functionNamePrefix?: string;
  /** An imported pool's SMS role (SmsConfiguration.SnsCallerArn), which writing the pool back passes. */
  readonly smsRole?: iam.IRole;
}

/** How each trigger is attached to the pool. */
const OPERATIONS: Record<TriggerName, cognito.UserPoolOperation> = {
  "pre-sign-up": cognito.UserPoolOperation.PRE_SIGN_UP,
  "custom-message": cognito.UserPoolOperation.CUSTOM_MESSAGE,
  "pre-authentication": cognito.UserPoolOperation.PRE_AUTHENTICATION,
  "post-authentication": cognito.UserPoolOperation.POST_AUTHENTICATION,
  "post-confirmation": cognito.UserPoolOperation.POST_CONFIRMATION,
  "pre-token-generation": cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
  "user-migration": cognito.UserPoolOperation.USER_MIGRATION,
};

/** The key of the pool's LambdaConfig each trigger is set under. */
const LAMBDA_CONFIG_KEYS: Record<TriggerName, string> = {
  "pre-sign-up": "PreSignUp",
  "custom-message": "CustomMessage",
  "pre-authentication": "PreAuthentication",
  "post-authentication": "PostAuthentication",
  "post-confirmation": "PostConfirmation",
  "pre-token-generation": "PreTokenGenerationConfig",
  "user-migration": "UserMigration",
};

const DEFAULT_MEMORY_MB: Record<TriggerName, number> = {
  "pre-sign-up": 256,
  "custom-message": 256,
  "pre-authentication": 256,
  "post-authentication": 256,
  "post-confirmation": 256,
  "pre-token-generation": 256,
  "user-migration": 1024,
};

const LONGEST_TRIGGER_NAME = Math.max(...Object.keys(TRIGGERS).map((name) => name.length));
const MAX_FUNCTION_NAME = 64;

export class CognitoTriggerSuite extends Construct {
  readonly functions: Record<TriggerName, lambda.IFunction>;
  readonly auditTable: AuditTable;
  readonly legacyUsersTable: dynamodb.ITable;
  readonly webAcl: IpAllowlistWebAcl | undefined;
  readonly alarms: Record<TriggerName, TriggerAlarms>;
  /** Set when the pool is imported: the custom resource that attaches the triggers. */
  readonly existingPoolTriggers: ExistingPoolTriggers | undefined;
  /** The effective settings (with defaults the construct derived, e.g. customEmail from the pool). */
  readonly settings: TriggerSuiteSettings;

  constructor(scope: Construct, id: string, props: CognitoTriggerSuiteProps) {
    super(scope, id);
    const { userPool } = props;
    // A pool of this app can be read at synth time; an imported one only at deploy time.
    const owned = userPool instanceof cognito.UserPool ? userPool : undefined;
    const lambdaVersion = props.preTokenGenerationVersion ?? cognito.LambdaVersion.V2_0;
    const timeout = props.timeout ?? COGNITO_TRIGGER_BUDGET;
    this.settings = {
      ...props.settings,
      customEmail: props.settings.customEmail ?? (owned ? sendsEmailThroughSes(owned) : false),
      claimsConfig: props.settings.claimsConfig ?? {},
      userPoolAliasAttributes:
        props.settings.userPoolAliasAttributes ?? (owned ? nonEmpty(aliasAttributes(owned)) : undefined),
    };

    this.auditTable = new AuditTable(this, "Audit");
    this.legacyUsersTable = props.legacyUsersTable ?? new LegacyUsersTable(this, "LegacyUsers").table;
    const resources: SuiteResources = {
      auditTableName: this.auditTable.table.tableName,
      legacyUsersTableName: this.legacyUsersTable.tableName,
    };
    const problems = [
      ...validateSettings(this.settings, resources),
      ...this.crossChecks(props, owned, timeout),
    ];
    if (problems.length > 0) throw new InvalidSettingsError(this.node.path, problems);

    const env = settingsEnvironment(this.settings, resources);
    const prefix = props.functionNamePrefix ?? this.defaultFunctionNamePrefix();
    const functions = {} as Record<TriggerName, lambda.IFunction>;
    const alarms = {} as Record<TriggerName, TriggerAlarms>;
    const importedPoolConfig: Record<string, unknown> = {};
    const permissions: lambda.CfnPermission[] = [];
    for (const trigger of Object.keys(TRIGGERS) as TriggerName[]) {
      const id = pascalCase(trigger);
      const functionName = `${prefix}-${trigger}`;
      const made = new TriggerFunction(this, id, {
        trigger,
        functionName,
        environment: environmentOf(trigger, env),
        memorySize: props.memorySize?.[trigger] ?? DEFAULT_MEMORY_MB[trigger],
        timeout,
        logLevel: props.logLevel ?? lambda.ApplicationLogLevel.INFO,
        logRetention: props.logRetention ?? logs.RetentionDays.THIRTEEN_MONTHS,
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      });
      functions[trigger] = made.function;
      alarms[trigger] = new TriggerAlarms(made, "Alarms", {
        trigger,
        function: made.function,
        topic: props.alarmTopic,
      });

      if ("AUDIT_TABLE_NAME" in environmentOf(trigger, env)) this.auditTable.grantAppend(made.role);
      permissions.push(this.allowInvocation(userPool, made.function));
      if (owned) this.attach(owned, trigger, functionName, lambdaVersion);
      else {
        importedPoolConfig[LAMBDA_CONFIG_KEYS[trigger]] =
          trigger === "pre-token-generation"
            ? { LambdaArn: made.function.functionArn, LambdaVersion: lambdaVersion.toString() }
            : made.function.functionArn;
      }
    }
    this.existingPoolTriggers = owned
      ? undefined
      : new ExistingPoolTriggers(this, "ExistingPool", {
          userPool,
          lambdaConfig: importedPoolConfig,
          dependsOn: permissions,
          smsRole: props.smsRole,
        });
    this.functions = functions;
    this.alarms = alarms;

    // Migration reads a legacy record and marks it migrated; nothing else touches the legacy table.
    iam.Grant.addToPrincipal({
      grantee: functions["user-migration"],
      actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      resourceArns: [this.legacyUsersTable.tableArn],
    });
    if (this.settings.welcomeEmailFrom) {
      functions["post-confirmation"].addToRolePolicy(
        welcomeEmailStatement(this, this.settings.welcomeEmailFrom),
      );
    }

    const allowlist = this.settings.ipAllowlist ?? [];
    this.webAcl =
      allowlist.length > 0 && props.ipAllowlistWebAcl !== false
        ? new IpAllowlistWebAcl(this, "IpAllowlist", { userPool, allowlist })
        : undefined;

    if (owned) this.node.addValidation({ validate: () => featurePlanProblems(owned, lambdaVersion) });
  }

  /**
   * Attaches by an ARN built from the function's name, so that the pool does not depend on the function
   * (see the file comment). addTrigger's own permission is skipped: it would name the function by that
   * ARN too and so not wait for the function to exist; allowInvocation adds the real one.
   */
  private attach(
    userPool: cognito.UserPool,
    trigger: TriggerName,
    functionName: string,
    lambdaVersion: cognito.LambdaVersion,
  ): void {
    const functionArn = Stack.of(this).formatArn({
      service: "lambda",
      resource: "function",
      resourceName: functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const byName = lambda.Function.fromFunctionAttributes(this, `${pascalCase(trigger)}ByName`, {
      functionArn,
      sameEnvironment: false,
      skipPermissions: true,
    });
    const operation = OPERATIONS[trigger];
    if (operation === cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG) {
      userPool.addTrigger(operation, byName, lambdaVersion);
    } else {
      userPool.addTrigger(operation, byName);
    }
  }

  /** Cognito may invoke the function for this pool, in this account, and for nothing else. */
  private allowInvocation(userPool: cognito.IUserPool, fn: lambda.IFunction): lambda.CfnPermission {
    fn.addPermission("InvokedByUserPool", {
      principal: new iam.ServicePrincipal("cognito-idp.amazonaws.com"),
      sourceArn: userPool.userPoolArn,
      sourceAccount: Stack.of(this).account,
    });
    return fn.permissionsNode.findChild("InvokedByUserPool") as lambda.CfnPermission;
  }

  private crossChecks(
    props: CognitoTriggerSuiteProps,
    owned: cognito.UserPool | undefined,
    timeout: Duration,
  ): string[] {
    const problems: string[] = [];
    const settings = this.settings;
    if (timeout.toMilliseconds() > COGNITO_TRIGGER_BUDGET.toMilliseconds()) {
      problems.push(`timeout is ${timeout.toHumanString()}; Cognito waits at most 5 seconds for a trigger`);
    }
    if (settings.customEmail && owned && !sendsEmailThroughSes(owned)) {
      problems.push(
        "customEmail (CUSTOM_EMAIL) is true but the pool does not send email through SES (EmailSendingAccount DEVELOPER); Cognito refuses custom email content then",
      );
    }
    const allowlist = settings.ipAllowlist ?? [];
    if (
      settings.ipUntrustedClientPolicy === "allow" &&
      allowlist.length > 0 &&
      props.ipAllowlistWebAcl === false
    ) {
      problems.push(
        'ipUntrustedClientPolicy "allow" admits public clients on the strength of the AWS WAF web ACL, which ipAllowlistWebAcl: false turns off',
      );
    }
    if (allowlist.length > 0 && props.ipAllowlistWebAcl !== false) {
      try {
        // The WAF layer needs what the trigger layer accepts and a little more (no /0); say so now.
        wafAddresses(allowlist);
      } catch (error) {
        problems.push(`ipAllowlist (${(error as Error).message})`);
      }
    }
    for (const [trigger, size] of Object.entries(props.memorySize ?? {})) {
      if (size !== undefined && (size < 128 || size > 10_240)) {
        problems.push(`memorySize of ${trigger} is ${size} MB; Lambda allows 128 to 10240`);
      }
    }
    if (props.functionNamePrefix !== undefined) {
      const longest = props.functionNamePrefix.length + 1 + LONGEST_TRIGGER_NAME;
      if (!/^[\w-]+$/.test(props.functionNamePrefix) || longest > MAX_FUNCTION_NAME) {
        problems.push(
          `functionNamePrefix ${JSON.stringify(props.functionNamePrefix)} must be letters, digits, "-" or "_" and at most ${MAX_FUNCTION_NAME - 1 - LONGEST_TRIGGER_NAME} characters`,
        );
      }
    }
    return problems;
  }

  private defaultFunctionNamePrefix(): string {
    return Names.uniqueResourceName(this, {
      maxLength: MAX_FUNCTION_NAME - 1 - LONGEST_TRIGGER_NAME,
      separator: "-",
    });
  }
}

/**
 * Access-token customisation (V2_0) and machine tokens (V3_0) need the ESSENTIALS or PLUS plan. An
 * unset plan is refused too: CloudFormation then leaves an existing pool on whatever plan it has, which
 * for pools created before November 2024 is LITE.
 */
function featurePlanProblems(userPool: cognito.UserPool, lambdaVersion: cognito.LambdaVersion): string[] {
  if (lambdaVersion === cognito.LambdaVersion.V1_0) return [];
  const tier = userPoolTier(userPool);
  if (tier === undefined || Token.isUnresolved(tier)) {
    return [
      `pre token generation ${lambdaVersion} needs the ESSENTIALS or PLUS feature plan: set featurePlan on the user pool explicitly (FeaturePlan.ESSENTIALS or FeaturePlan.PLUS)`,
    ];
  }
  if (tier === cognito.FeaturePlan.LITE) {
    return [
      `pre token generation ${lambdaVersion} needs the ESSENTIALS or PLUS feature plan, but the user pool is on LITE: use FeaturePlan.ESSENTIALS or FeaturePlan.PLUS, or preTokenGenerationVersion V1_0 (ID token only)`,
    ];
  }
  return [];
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
