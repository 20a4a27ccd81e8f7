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
import { Annotations, ArnFormat, type Duration, Names, Stack, Token, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";
import { AuditTable } from "./audit-table.ts";
import { ExistingPoolTriggers } from "./existing-pool-triggers.ts";
import { IpAllowlistWebAcl } from "./ip-allowlist-web-acl.ts";
import { LEGACY_USERS_KEY, LegacyUsersTable } from "./legacy-users-table.ts";
import { LogsEncryptionKey } from "./logs-encryption-key.ts";
import {
  environmentOf,
  InvalidSettingsError,
  type SuiteResources,
  settingsEnvironment,
  type TriggerSuiteSettings,
  validateSettings,
} from "./settings.ts";
import { SuiteDashboard } from "./suite-dashboard.ts";
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
   * The legacy directory user migration reads. Its key schema must be the one docs/tokens-and-migration.md documents.
   * @default - a new, empty legacy users table to import the old directory into
   */
  readonly legacyUsersTable?: dynamodb.ITable;
  /**
   * Where the alarms notify (ALARM and OK). Its policy, and its key if it is encrypted, must let
   * cloudwatch.amazonaws.com publish (AlarmTopic creates such a topic).
   * @default - alarms without actions: visible in the console and on the dashboard only
   */
  readonly alarmTopic?: sns.ITopic;
  /** The CloudWatch dashboard's name (unique per account and region). @default - "<stack name>-cognito-triggers" */
  readonly dashboardName?: string;
  /** @default ApplicationLogLevel.INFO */
  readonly logLevel?: lambda.ApplicationLogLevel;
  /** @default RetentionDays.THIRTEEN_MONTHS (400 days, the default audit retention) */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Encrypts every log group of the suite (functions, custom resource, AWS WAF). Its key policy must let
   * the CloudWatch Logs service principal of the region use it (see logs-encryption-key.ts).
   * @default - a new customer managed key with rotation, retained with the log groups
   */
  readonly logEncryptionKey?: kms.IKey;
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
  /**
   * An imported pool only: replace triggers the pool already has under the suite's keys. Each replaced
   * trigger is recorded in a pool tag and put back when the suite's triggers are removed (stack
   * deletion, rollback, another pool). Without it, such a pool is refused at deploy time, naming the
   * trigger.
   * @default false
   */
  readonly replaceExistingTriggers?: boolean;
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
  /** The key the suite's log groups are encrypted with. */
  readonly logEncryptionKey: kms.IKey;
  readonly alarms: Record<TriggerName, TriggerAlarms>;
  readonly dashboard: SuiteDashboard;
  /**
   * The custom resource that attaches the triggers to an imported pool, or, for a pool of this app,
   * removes them from it when the stack is deleted (the pool is retained; its triggers must not point
   * at deleted functions).
   */
  readonly poolAttachment: ExistingPoolTriggers;
  /** The effective settings (with defaults the construct derived, e.g. customEmail from the pool). */
  readonly settings: TriggerSuiteSettings;

  constructor(scope: Construct, id: string, props: CognitoTriggerSuiteProps) {
    super(scope, id);
    const { userPool } = props;
    // A pool of this app can be read at synth time; an imported one only at deploy time.
    const owned = userPool instanceof cognito.UserPool ? userPool : undefined;
    const lambdaVersion = props.preTokenGenerationVersion ?? cognito.LambdaVersion.V2_0;
    const timeout = props.timeout ?? COGNITO_TRIGGER_BUDGET;
    const requested: TriggerSuiteSettings = {
      ...props.settings,
      customEmail: props.settings.customEmail ?? (owned ? sendsEmailThroughSes(owned) : false),
      claimsConfig: props.settings.claimsConfig ?? {},
      userPoolAliasAttributes:
        props.settings.userPoolAliasAttributes ?? (owned ? nonEmpty(aliasAttributes(owned)) : undefined),
    };
    // Without a list the IP check is off, and the client rules would configure nothing: they are
    // checked like every setting, but not deployed (the handler would warn at every cold start).
    const ipCheckOff = (requested.ipAllowlist ?? []).length === 0;
    if (ipCheckOff) this.warnOfIgnoredIpSettings(requested);
    this.settings = ipCheckOff
      ? { ...requested, ipTrustedClientIds: undefined, ipUntrustedClientPolicy: undefined }
      : requested;

    this.auditTable = new AuditTable(this, "Audit");
    this.legacyUsersTable = props.legacyUsersTable ?? new LegacyUsersTable(this, "LegacyUsers").table;
    const resources: SuiteResources = {
      auditTableName: this.auditTable.table.tableName,
      legacyUsersTableName: this.legacyUsersTable.tableName,
    };
    const problems = [...validateSettings(requested, resources), ...this.crossChecks(props, owned, timeout)];
    if (problems.length > 0) throw new InvalidSettingsError(this.node.path, problems);

    this.logEncryptionKey = props.logEncryptionKey ?? new LogsEncryptionKey(this, "LogsKey").key;
    const logRetention = props.logRetention ?? logs.RetentionDays.THIRTEEN_MONTHS;
    const env = settingsEnvironment(this.settings, resources);
    const prefix = props.functionNamePrefix ?? this.defaultFunctionNamePrefix();
    const functions = {} as Record<TriggerName, lambda.IFunction>;
    const alarms = {} as Record<TriggerName, TriggerAlarms>;
    // What the suite sets in the pool's LambdaConfig; the attachment restores the pool from it.
    const suiteLambdaConfig: Record<string, unknown> = {};
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
        logRetention,
        logEncryptionKey: this.logEncryptionKey,
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      });
      functions[trigger] = made.function;
      alarms[trigger] = new TriggerAlarms(made, "Alarms", {
        trigger,
        function: made.function,
        topic: props.alarmTopic,
        timeout,
      });

      if ("AUDIT_TABLE_NAME" in environmentOf(trigger, env)) this.auditTable.grantAppend(made.role);
      permissions.push(this.allowInvocation(userPool, made.function));
      if (owned) this.attach(owned, trigger, functionName, lambdaVersion);
      suiteLambdaConfig[LAMBDA_CONFIG_KEYS[trigger]] =
        trigger === "pre-token-generation"
          ? { LambdaArn: made.function.functionArn, LambdaVersion: lambdaVersion.toString() }
          : made.function.functionArn;
    }
    // The construct ids stay as they are: a changed id would make CloudFormation delete the old
    // attachment, and that Delete takes the suite's triggers off the live pool.
    this.poolAttachment = owned
      ? new ExistingPoolTriggers(this, "OwnedPoolDetach", {
          userPool: owned,
          mode: "detach-on-delete",
          lambdaConfig: suiteLambdaConfig,
          dependsOn: permissions,
          logEncryptionKey: this.logEncryptionKey,
        })
      : new ExistingPoolTriggers(this, "ExistingPool", {
          userPool,
          lambdaConfig: suiteLambdaConfig,
          dependsOn: permissions,
          smsRole: props.smsRole,
          replaceExistingTriggers: props.replaceExistingTriggers,
          logEncryptionKey: this.logEncryptionKey,
        });
    this.functions = functions;
    this.alarms = alarms;
    this.dashboard = new SuiteDashboard(this, "Dashboard", {
      functions,
      dashboardName: props.dashboardName,
      alarms: Object.values(alarms).flatMap((set) => set.alarms),
    });

    this.grantLegacyDirectory(functions["user-migration"]);
    if (this.settings.welcomeEmailFrom) {
      functions["post-confirmation"].addToRolePolicy(
        welcomeEmailStatement(this, this.settings.welcomeEmailFrom),
      );
    }

    const allowlist = this.settings.ipAllowlist ?? [];
    this.webAcl =
      allowlist.length > 0 && props.ipAllowlistWebAcl !== false
        ? new IpAllowlistWebAcl(this, "IpAllowlist", {
            userPool,
            allowlist,
            logRetention,
            logEncryptionKey: this.logEncryptionKey,
          })
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

  /**
   * Migration reads a legacy record (whole: the password hash is in it), counts failed passwords on it
   * and marks it migrated; nothing else touches the legacy table. Its writes may name only the key and
   * the attributes migration owns (WRITTEN_ATTRIBUTES: the migration mark and the failure counter) and
   * return nothing, so even a compromised function cannot rewrite a password hash or read one back
   * through an update.
   */
  private grantLegacyDirectory(migration: lambda.IFunction): void {
    // triggers/user-migration/written-attributes.ts; real-account.test.ts holds the two lists together.
    const MIGRATION_WRITES = [
      "migratedAt",
      "migratedUserName",
      "failedAttempts",
      "failuresSince",
      "lockedUntil",
    ];
    iam.Grant.addToPrincipal({
      grantee: migration,
      actions: ["dynamodb:GetItem"],
      resourceArns: [this.legacyUsersTable.tableArn],
    });
    iam.Grant.addToPrincipal({
      grantee: migration,
      actions: ["dynamodb:UpdateItem"],
      resourceArns: [this.legacyUsersTable.tableArn],
      conditions: {
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [LEGACY_USERS_KEY, ...MIGRATION_WRITES] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      },
    });
  }

  /** The other IP settings do nothing without a list; say so at synth rather than at every cold start. */
  private warnOfIgnoredIpSettings(settings: TriggerSuiteSettings): void {
    const ignored = [
      (settings.ipTrustedClientIds ?? []).length > 0 ? "ipTrustedClientIds" : undefined,
      settings.ipUntrustedClientPolicy !== undefined ? "ipUntrustedClientPolicy" : undefined,
    ].filter((name) => name !== undefined);
    if (ignored.length === 0) return;
    Annotations.of(this).addWarningV2(
      "cognito-trigger-suite:ip-settings-ignored",
      `ipAllowlist is empty, so the IP check is off and ${ignored.join(" and ")} ${ignored.length === 1 ? "has" : "have"} no effect`,
    );
  }

  /** Cognito may invoke the function for this pool, in this account, and for nothing else. */
  private allowInvocation(userPool: cognito.IUserPool, fn: lambda.IFunction): lambda.CfnPermission {
    fn.addPermission("InvokedByUserPool", {
      principal: new iam.ServicePrincipal("cognito-idp.amazonaws.com"),
      sourceArn: userPool.userPoolArn,
      sourceAccount: Stack.of(this).account,
    });
    const permission = fn.permissionsNode.findChild("InvokedByUserPool") as lambda.CfnPermission;
    if (Token.isUnresolved(permission.sourceArn) && !(userPool instanceof cognito.UserPool)) {
      Validations.of(permission).acknowledge({
        id: "cdk-validator-cfnguard::lambda_function_public_access_prohibited_check",
        reason:
          "The permission is scoped to the imported pool's ARN (SourceArn, built with Fn::Join from the pool id) and to this account (SourceAccount); the Control Tower rule cannot evaluate intrinsic functions and so reports it as unscoped.",
      });
    }
    return permission;
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
