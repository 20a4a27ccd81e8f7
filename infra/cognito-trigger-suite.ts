/**
 * CognitoTriggerSuite: attaches the seven core triggers to a user pool, and the three optional ones
 * (inbound federation, the custom email and SMS senders) when asked, secure by default.
 *
 * - Settings are the configuration contract (architecture.md) as typed props, checked at synth time by
 *   the handlers' own parsers; each function receives only the keys its handler reads.
 * - Least privilege: the audit table gets PutItem only, the welcome email may only be sent from its one
 *   identity, only user migration touches the legacy table (GetItem/UpdateItem), no wildcard resources.
 * - Pre token generation is attached through PreTokenGenerationConfig with V2_0 (or V3_0) and the
 *   construct refuses a pool that is not explicitly on the ESSENTIALS or PLUS feature plan.
 * - The optional triggers are versioned LambdaConfig entries ({ LambdaArn, LambdaVersion: "V1_0" }) that
 *   UserPool.addTrigger cannot set (it has no operation for inbound federation, and takes a custom
 *   sender only with the pool's own customSenderKmsKey): they are set on the pool's CloudFormation
 *   resource, with KMSKeyID for the senders. The custom senders get their own key
 *   (custom-sender-key.ts), kms:Decrypt on it and nothing else of KMS, and are invoked asynchronously
 *   (asynchronous-triggers.ts: one retry, events older than three minutes dropped).
 * - Custom message stays attached beside the custom senders. A sender takes over delivery of its
 *   channel, and what Cognito hands it is the encrypted code, not a message: Custom message no longer
 *   shapes that channel's messages (the sender writes its own, from the same templates), but it still
 *   shapes the other channel's, which Cognito keeps delivering (SMS when only the email sender is on).
 * - No pool -> function -> pool cycle. The pool's LambdaConfig names each function by an ARN built from
 *   its (deterministic) function name, not by a reference to the function resource, so the pool does not
 *   depend on the functions; Cognito's permission to invoke a function is a resource policy scoped with
 *   SourceArn/SourceAccount that depends on both. So a function may depend on anything created after the
 *   pool: IP_TRUSTED_CLIENT_IDS holds the ids of the pool's own app clients, which would otherwise close
 *   the cycle pool -> function -> client -> pool. No function needs the pool's ARN in any IAM policy.
 * - A pool imported by id (created elsewhere) cannot be read at synth time: ExistingPoolTriggers attaches
 *   the functions at deploy time, changing only the pool's LambdaConfig and checking its plan there.
 *   Which of the two a pool is, is decided without `instanceof` (user-pool-facts.ts): the consumer's
 *   aws-cdk-lib may be another copy than the suite's.
 * - What a consumer expects of an L3 construct: the stateful resources it creates keep their data by
 *   default (`removalPolicy`), their own audit table can replace the suite's (`auditTable`), each
 *   function can be tuned (`functionOverrides`), grants come from the construct (`grantReadAuditTrail`),
 *   and the policy findings it acknowledges on their behalf are listed (`policyAcknowledgments`) and
 *   can be turned off (`acknowledgePolicyFindings`).
 */
import {
  Annotations,
  ArnFormat,
  CfnResource,
  type Duration,
  Names,
  RemovalPolicy,
  Stack,
  Token,
} from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { Env } from "../triggers/lib/config.ts";
import {
  type CoreTriggerName,
  isOptionalTrigger,
  type OptionalTriggerName,
  TRIGGERS,
  type TriggerName,
} from "../triggers/lib/events.ts";
import { CUSTOM_SENDER_RETRIES, isInvokedAsynchronously } from "./asynchronous-triggers.ts";
import { AuditTable, auditTableSchemaProblems } from "./audit-table.ts";
import { CustomSenderKey, cognitoEncryptsCodesStatement } from "./custom-sender-key.ts";
import { ExistingPoolTriggers } from "./existing-pool-triggers.ts";
import { type IdentityPoolOptions, identityPoolProblems, SuiteIdentityPool } from "./identity-pool.ts";
import { IpAllowlistWebAcl } from "./ip-allowlist-web-acl.ts";
import { LEGACY_USERS_KEY, LegacyUsersTable } from "./legacy-users-table.ts";
import { LogsEncryptionKey } from "./logs-encryption-key.ts";
import {
  POLICY_ACKNOWLEDGMENTS,
  type PolicyAcknowledgment,
  PolicyAcknowledgments,
} from "./policy-acknowledgments.ts";
import { sendEmailFromStatement } from "./ses-send-from-policy.ts";
import {
  environmentOf,
  type IgnoredSetting,
  InvalidSettingsError,
  ignoredSettings,
  SETTING_KEYS,
  type SuiteResources,
  settingsEnvironment,
  TRIGGER_KEYS,
  type TriggerSuiteSettings,
  validateSettings,
} from "./settings.ts";
import { smsToPhoneNumbersOnly } from "./sms-publish-policy.ts";
import { SuiteDashboard } from "./suite-dashboard.ts";
import { TriggerAlarms } from "./trigger-alarms.ts";
import { COGNITO_TRIGGER_BUDGET, TriggerFunction } from "./trigger-function.ts";
import {
  aliasAttributes,
  cfnUserPool,
  type OwnedUserPool,
  ownedUserPool,
  sendsEmailThroughSes,
  userPoolTier,
} from "./user-pool-facts.ts";
import { wafAddresses } from "./waf-addresses.ts";

/** What a consumer may change of one trigger's function. */
export interface TriggerFunctionOverrides {
  /** In MB, 128 to 10240. @default 256, and 1024 for user migration (password hashing is CPU-bound) */
  readonly memorySize?: number;
  /** Reserved concurrency of this function. @default - `reservedConcurrentExecutions` of the suite */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Variables added to the function's environment (an observability agent's, say). A key the suite
   * sets is refused at synth: the handlers' configuration (the settings' keys, AUDIT_TABLE_NAME,
   * LEGACY_USERS_TABLE_NAME) is set only through `settings`, where it is checked.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Which custom senders to attach, and the key the pool encrypts their codes with. */
export interface CustomSendersOptions {
  /**
   * Attach the custom email sender (LambdaConfig.CustomEmailSender): Cognito no longer sends email
   * itself but hands every email's code to the function, which sends the message through SES from
   * `settings.customSenderEmailFrom` (required then).
   * @default false
   */
  readonly email?: boolean;
  /**
   * Attach the custom SMS sender (LambdaConfig.CustomSMSSender): Cognito no longer sends SMS itself but
   * hands every text's code to the function, which texts it through Amazon SNS.
   * @default false
   */
  readonly sms?: boolean;
  /**
   * The symmetric KMS key the pool encrypts the senders' codes with (LambdaConfig.KMSKeyID). A key of
   * this app gets the key policy statement Cognito needs (custom-sender-key.ts); an imported key's
   * policy must already hold it (docs/deploying.md "Custom email and SMS senders").
   * @default - a new customer managed symmetric key with rotation, with the suite's `removalPolicy`
   */
  readonly kmsKey?: kms.IKey;
}

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
   * An audit table of yours for the handlers to write, instead of a new one. It needs the keys and index
   * of the audit record (AUDIT_TABLE_SCHEMA in audit-table.ts; docs/deploying.md): string keys `pk`
   * (partition) and `sk` (sort), and a global secondary index `byTime` with string keys `dayShard`
   * (partition) and `at` (sort) that projects ALL attributes or INCLUDEs the record's. TTL on `expiresAt`
   * is recommended. A table of this app is checked against that at synth time; an imported one is not.
   * The grants (append for the triggers, `grantReadAuditTrail`, the reader policy) then name this table.
   * @default - a new audit table (on-demand, AWS managed key, point-in-time recovery, TTL)
   */
  readonly auditTable?: dynamodb.ITable;
  /**
   * What becomes of the stateful resources the construct creates when they leave the stack: the audit
   * table, the legacy users table, the functions' log groups, the AWS WAF log group and the logs KMS
   * key. Tables, keys or topics you pass in are not touched. DESTROY also turns the tables' deletion
   * protection off, since CloudFormation cannot delete a protected table. RETAIN by default because
   * what they hold outlives the stack: audit history (which an audit may ask for after the stack is
   * gone), unmigrated password hashes, and the records of refused sign-ins; the key keeps those logs
   * readable. SNAPSHOT is refused: none of these resources supports it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
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
  /**
   * Reserved concurrency for every trigger function; `functionOverrides` sets it per function.
   * @default - none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Per trigger function: memory, reserved concurrency (which wins over `reservedConcurrentExecutions`)
   * and environment variables added to the suite's.
   * @default - none: the defaults of TriggerFunctionOverrides
   */
  readonly functionOverrides?: Partial<Record<TriggerName, TriggerFunctionOverrides>>;
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
  /**
   * Acknowledge, with the suite's reasons, the policy findings the suite accepts (cdk-nag and the AWS
   * Control Tower rules of cdk-validator-cfnguard; POLICY_ACKNOWLEDGMENTS in policy-acknowledgments.ts,
   * docs/deploying.md "Acknowledged findings"); `policyAcknowledgments` lists those made. false: make
   * none, so that your own checks report each finding and you acknowledge it with your own reason.
   * @default true
   */
  readonly acknowledgePolicyFindings?: boolean;
  /**
   * Attach the inbound federation trigger (LambdaConfig.InboundFederation, V1_0): it judges every
   * federated sign-in's address by the sign-up domain policy (allowedEmailDomains, blockedEmailDomains)
   * and maps the provider's attributes (settings.federationAttributeMap, federationEmailVerified) before
   * Cognito writes the user's profile (docs/inbound-federation.md). Only a pool with federated identity
   * providers calls it.
   * @default false
   */
  readonly inboundFederation?: boolean;
  /**
   * Attach the custom email and/or SMS sender, with the KMS key the pool encrypts their codes with
   * (docs/custom-senders.md: when to use them rather than Custom message).
   * @default - neither: Cognito sends email and SMS itself, shaped by Custom message
   */
  readonly customSenders?: CustomSendersOptions;
  /**
   * Add an identity pool for the pool: AWS credentials in the browser for signed-in users of the given
   * app clients, authenticated identities only unless `unauthenticatedAccess` lists what guests may do,
   * classic flow off, optional principal tags from ID token claims (SuiteIdentityPool, identity-pool.ts).
   * Its roles hold nothing until you grant to them (`identityPool.authenticatedRole`).
   * @default - no identity pool
   */
  readonly identityPool?: IdentityPoolOptions;
}

/** How each core trigger is attached to the pool (the optional ones by LambdaConfig, see `attach`). */
const OPERATIONS: Record<CoreTriggerName, cognito.UserPoolOperation> = {
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
  "inbound-federation": "InboundFederation",
  "custom-email-sender": "CustomEmailSender",
  "custom-sms-sender": "CustomSMSSender",
};

/** The event version of the optional triggers, their only one. */
const OPTIONAL_TRIGGER_VERSION = "V1_0";

const DEFAULT_MEMORY_MB: Record<TriggerName, number> = {
  "pre-sign-up": 256,
  "custom-message": 256,
  "pre-authentication": 256,
  "post-authentication": 256,
  "post-confirmation": 256,
  "pre-token-generation": 256,
  "user-migration": 1024,
  "inbound-federation": 256,
  "custom-email-sender": 256,
  "custom-sms-sender": 256,
};

const LONGEST_TRIGGER_NAME = Math.max(...Object.keys(TRIGGERS).map((name) => name.length));
const MAX_FUNCTION_NAME = 64;

/**
 * The environment keys only the suite sets: every key of the handlers' configuration (whether this
 * deployment sets it or not) and the tables' names. An override of one would configure a handler past
 * the settings' checks.
 */
const SUITE_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  ...Object.values(SETTING_KEYS),
  ...Object.values(TRIGGER_KEYS).flat(),
]);

/** Lambda refuses a function whose environment (keys and values) exceeds 4 KB (as settings.ts checks). */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** One entry per core trigger, and one per optional trigger the deployment attaches. */
export type PerTrigger<T> = Record<CoreTriggerName, T> & Partial<Record<OptionalTriggerName, T>>;

export class CognitoTriggerSuite extends Construct {
  /** The trigger functions: each core trigger's, and each optional trigger's this deployment attaches. */
  readonly functions: PerTrigger<lambda.IFunction>;
  readonly auditTable: AuditTable;
  readonly legacyUsersTable: dynamodb.ITable;
  readonly webAcl: IpAllowlistWebAcl | undefined;
  /** The key the suite's log groups are encrypted with. */
  readonly logEncryptionKey: kms.IKey;
  /** The alarms of each function in `functions`. */
  readonly alarms: PerTrigger<TriggerAlarms>;
  /** The key the pool encrypts the custom senders' codes with; undefined without a custom sender. */
  readonly customSenderKey: kms.IKey | undefined;
  readonly dashboard: SuiteDashboard;
  /**
   * The custom resource that attaches the triggers to an imported pool, or, for a pool of this app,
   * removes them from it when the stack is deleted (the pool is retained; its triggers must not point
   * at deleted functions).
   */
  readonly poolAttachment: ExistingPoolTriggers;
  /** The effective settings (with defaults the construct derived, e.g. customEmail from the pool). */
  readonly settings: TriggerSuiteSettings;
  /**
   * The policy findings the construct acknowledged on your behalf: on which construct, which rule, and
   * why (policy-acknowledgments.ts). Empty with `acknowledgePolicyFindings: false`.
   */
  readonly policyAcknowledgments: readonly PolicyAcknowledgment[];
  /** The identity pool (`identityPool`), with its roles to grant to; undefined without the prop. */
  readonly identityPool: SuiteIdentityPool | undefined;

  constructor(scope: Construct, id: string, props: CognitoTriggerSuiteProps) {
    super(scope, id);
    const { userPool } = props;
    // A pool of this app can be read at synth time; an imported one only at deploy time.
    const owned = ownedUserPool(userPool);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const acknowledgments = new PolicyAcknowledgments(props.acknowledgePolicyFindings ?? true);
    this.policyAcknowledgments = acknowledgments.made;
    const lambdaVersion = props.preTokenGenerationVersion ?? cognito.LambdaVersion.V2_0;
    const timeout = props.timeout ?? COGNITO_TRIGGER_BUDGET;
    const requested: TriggerSuiteSettings = {
      ...props.settings,
      customEmail: props.settings.customEmail ?? (owned ? sendsEmailThroughSes(owned) : false),
      claimsConfig: props.settings.claimsConfig ?? {},
      userPoolAliasAttributes:
        props.settings.userPoolAliasAttributes ?? (owned ? nonEmpty(aliasAttributes(owned)) : undefined),
    };
    const deployed = deployedTriggers(props);
    // Without a list the IP check is off, and the client rules would configure nothing: they are
    // checked like every setting, but not deployed (the handler would warn at every cold start).
    const ipCheckOff = (requested.ipAllowlist ?? []).length === 0;
    if (ipCheckOff) this.warnOfIgnoredIpSettings(requested);
    // A setting only an optional trigger that is not attached reads configures nothing: it is not
    // deployed, and said so (a warning, not an error, as for the IP settings above: a deployment may
    // switch a trigger off and keep its settings for later).
    const ignored = ignoredSettings(requested, deployed);
    this.warnOfWhatAbsentTriggersWouldUse(props, ignored, deployed);
    this.settings = {
      ...requested,
      ...(ipCheckOff ? { ipTrustedClientIds: undefined, ipUntrustedClientPolicy: undefined } : {}),
      ...Object.fromEntries(ignored.map(({ setting }) => [setting, undefined])),
    };

    this.auditTable = new AuditTable(this, "Audit", { table: props.auditTable, removalPolicy });
    this.legacyUsersTable =
      props.legacyUsersTable ?? new LegacyUsersTable(this, "LegacyUsers", { removalPolicy }).table;
    const sendsCustomMessages = deployed.some(isInvokedAsynchronously);
    this.customSenderKey = sendsCustomMessages
      ? (props.customSenders?.kmsKey ?? new CustomSenderKey(this, "CustomSenderKey", { removalPolicy }).key)
      : undefined;
    const resources: SuiteResources = {
      auditTableName: this.auditTable.table.tableName,
      legacyUsersTableName: this.legacyUsersTable.tableName,
      customSenderKeyArn: this.customSenderKey?.keyArn,
    };
    const senderWithoutAddress =
      deployed.includes("custom-email-sender") && requested.customSenderEmailFrom === undefined;
    const settingProblems = validateSettings(requested, resources, deployed).filter(
      // crossChecks says it once, with what the address is for.
      (problem) => !(senderWithoutAddress && problem.startsWith(`customSenderEmailFrom (`)),
    );
    const env = settingsEnvironment(this.settings, resources);
    const problems = [...settingProblems, ...this.crossChecks(props, owned, timeout, env, deployed)];
    if (problems.length > 0) throw new InvalidSettingsError(this.node.path, problems);

    this.logEncryptionKey =
      props.logEncryptionKey ?? new LogsEncryptionKey(this, "LogsKey", { removalPolicy }).key;
    const logRetention = props.logRetention ?? logs.RetentionDays.THIRTEEN_MONTHS;
    const prefix = props.functionNamePrefix ?? this.defaultFunctionNamePrefix();
    const functions = {} as PerTrigger<lambda.IFunction>;
    const alarms = {} as PerTrigger<TriggerAlarms>;
    // What the suite sets in the pool's LambdaConfig; the attachment restores the pool from it.
    const suiteLambdaConfig: Record<string, unknown> = {};
    const permissions: lambda.CfnPermission[] = [];
    for (const trigger of deployed) {
      const id = pascalCase(trigger);
      const functionName = `${prefix}-${trigger}`;
      const override = props.functionOverrides?.[trigger] ?? {};
      const configuration = environmentOf(trigger, env);
      const made = new TriggerFunction(this, id, {
        trigger,
        functionName,
        // The suite's keys last: crossChecks refused any addition that names one.
        environment: { ...override.environment, ...configuration },
        memorySize: override.memorySize ?? DEFAULT_MEMORY_MB[trigger],
        timeout,
        logLevel: props.logLevel ?? lambda.ApplicationLogLevel.INFO,
        logRetention,
        logEncryptionKey: this.logEncryptionKey,
        logRemovalPolicy: removalPolicy,
        reservedConcurrentExecutions:
          override.reservedConcurrentExecutions ?? props.reservedConcurrentExecutions,
        acknowledgments,
      });
      if (isInvokedAsynchronously(trigger)) made.function.configureAsyncInvoke(CUSTOM_SENDER_RETRIES);
      functions[trigger] = made.function;
      alarms[trigger] = new TriggerAlarms(made, "Alarms", {
        trigger,
        function: made.function,
        topic: props.alarmTopic,
        timeout,
        acknowledgments,
      });

      if ("AUDIT_TABLE_NAME" in configuration) this.auditTable.grantAppend(made.role);
      permissions.push(this.allowInvocation(userPool, owned, made.function, acknowledgments));
      if (owned) this.attach(owned, trigger, functionName, lambdaVersion);
      suiteLambdaConfig[LAMBDA_CONFIG_KEYS[trigger]] =
        trigger === "pre-token-generation"
          ? { LambdaArn: made.function.functionArn, LambdaVersion: lambdaVersion.toString() }
          : isOptionalTrigger(trigger)
            ? { LambdaArn: made.function.functionArn, LambdaVersion: OPTIONAL_TRIGGER_VERSION }
            : made.function.functionArn;
    }
    if (this.customSenderKey) {
      // Beside the senders, so that the attachment keeps the two together (lambda-config-change.ts).
      suiteLambdaConfig.KMSKeyID = this.customSenderKey.keyArn;
      if (owned) cfnUserPool(owned).addPropertyOverride("LambdaConfig.KMSKeyID", this.customSenderKey.keyArn);
      this.letCognitoEncryptCodes(this.customSenderKey, userPool, owned !== undefined);
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
          acknowledgments,
        })
      : new ExistingPoolTriggers(this, "ExistingPool", {
          userPool,
          lambdaConfig: suiteLambdaConfig,
          dependsOn: permissions,
          smsRole: props.smsRole,
          replaceExistingTriggers: props.replaceExistingTriggers,
          logEncryptionKey: this.logEncryptionKey,
          acknowledgments,
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
        sendEmailFromStatement(this, this.settings.welcomeEmailFrom, "SendWelcomeEmailFromItsIdentity"),
      );
    }
    if (this.customSenderKey) {
      this.grantCustomSenders(functions, this.customSenderKey, userPool, acknowledgments);
    }

    const allowlist = this.settings.ipAllowlist ?? [];
    this.webAcl =
      allowlist.length > 0 && props.ipAllowlistWebAcl !== false
        ? new IpAllowlistWebAcl(this, "IpAllowlist", {
            userPool,
            allowlist,
            logRetention,
            logEncryptionKey: this.logEncryptionKey,
            logRemovalPolicy: removalPolicy,
          })
        : undefined;

    this.identityPool = props.identityPool
      ? new SuiteIdentityPool(this, "IdentityPool", { ...props.identityPool, userPool, acknowledgments })
      : undefined;

    if (owned) {
      this.node.addValidation({ validate: () => featurePlanProblems(owned, lambdaVersion) });
      const key = this.customSenderKey;
      this.node.addValidation({ validate: () => ownOptionalTriggerProblems(owned, deployed, key) });
    }
    // At synth time, so that an index the consumer adds after the suite is seen.
    const { auditTable } = props;
    if (auditTable) this.node.addValidation({ validate: () => auditTableSchemaProblems(auditTable) });
  }

  /**
   * Read-only access to the audit trail for a role of yours (security reviewers, a reporting job):
   * describe, get, query and scan the audit table and its time index, never write. What the reader
   * policy (`auditTable.readerPolicy`) holds, as a grant.
   */
  grantReadAuditTrail(grantee: iam.IGrantable): iam.Grant {
    return this.auditTable.grantRead(grantee);
  }

  /**
   * Attaches by an ARN built from the function's name, so that the pool does not depend on the function
   * (see the file comment). addTrigger's own permission is skipped: it would name the function by that
   * ARN too and so not wait for the function to exist; allowInvocation adds the real one.
   */
  private attach(
    userPool: OwnedUserPool,
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
    if (isOptionalTrigger(trigger)) {
      // No UserPoolOperation sets these (see the file comment): the pool's resource takes them directly.
      cfnUserPool(userPool).addPropertyOverride(`LambdaConfig.${LAMBDA_CONFIG_KEYS[trigger]}`, {
        LambdaArn: functionArn,
        LambdaVersion: OPTIONAL_TRIGGER_VERSION,
      });
      return;
    }
    const byName = lambda.Function.fromFunctionAttributes(this, `${pascalCase(trigger)}ByName`, {
      functionArn,
      sameEnvironment: false,
      skipPermissions: true,
    });
    userPool.addTrigger(OPERATIONS[trigger], byName);
    if (trigger === "pre-token-generation") {
      // addTrigger takes V2_0/V3_0 only together with its own copy's PRE_TOKEN_GENERATION_CONFIG (it
      // compares the objects), which this copy's is not when the pool's aws-cdk-lib is another: attached
      // without a version (V1_0), the version is then set on the pool's CloudFormation resource.
      cfnUserPool(userPool).addPropertyOverride(
        "LambdaConfig.PreTokenGenerationConfig.LambdaVersion",
        lambdaVersion.toString(),
      );
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

  /**
   * Cognito may use the key for the pool's codes (custom-sender-key.ts). A key imported by ARN cannot
   * be given a statement: its policy must already hold it, which cannot be seen from here, so say so.
   */
  private letCognitoEncryptCodes(key: kms.IKey, userPool: cognito.IUserPool, poolOfThisApp: boolean): void {
    const { statementAdded } = key.addToResourcePolicy(
      cognitoEncryptsCodesStatement(this, userPool, poolOfThisApp),
    );
    if (statementAdded) return;
    Annotations.of(this).addWarningV2(
      "cognito-trigger-suite:custom-sender-key-policy",
      "customSenders.kmsKey is imported, so its key policy cannot be extended here: it must let cognito-idp.amazonaws.com kms:CreateGrant on it for this user pool (aws:SourceArn) and account (aws:SourceAccount), or Cognito cannot encrypt the custom senders' codes (docs/deploying.md)",
    );
  }

  /**
   * Each custom sender may decrypt the codes with the pool's key and nothing else of KMS; the email
   * sender may send from its one identity, the SMS sender text phone numbers and nothing else of SNS.
   * The email sender may also read a user of this pool (AdminGetUser), for the one message whose event
   * carries no address: the account-takeover notification goes to the user's verified email, which it
   * looks up (triggers/custom-email-sender/notification-recipient.ts). AdminGetUser has no condition
   * keys, so this pool's ARN is as narrow as IAM allows. The pool does not depend on the function (see
   * the file comment), so naming the pool here closes no cycle.
   */
  private grantCustomSenders(
    functions: PerTrigger<lambda.IFunction>,
    key: kms.IKey,
    userPool: cognito.IUserPool,
    acknowledgments: PolicyAcknowledgments,
  ): void {
    for (const sender of [functions["custom-email-sender"], functions["custom-sms-sender"]]) {
      if (!sender) continue;
      iam.Grant.addToPrincipal({ grantee: sender, actions: ["kms:Decrypt"], resourceArns: [key.keyArn] });
    }
    const email = functions["custom-email-sender"];
    const from = this.settings.customSenderEmailFrom;
    if (email && from) {
      email.addToRolePolicy(sendEmailFromStatement(this, from, "SendCustomSenderEmailFromItsIdentity"));
    }
    if (email) {
      email.addToRolePolicy(
        new iam.PolicyStatement({
          sid: "LookUpAccountTakeoverRecipient",
          actions: ["cognito-idp:AdminGetUser"],
          resources: [userPool.userPoolArn],
        }),
      );
    }
    const sms = functions["custom-sms-sender"];
    if (sms) {
      for (const statement of smsToPhoneNumbersOnly()) sms.addToRolePolicy(statement);
      const policy = sms.role?.node.tryFindChild("DefaultPolicy");
      if (policy) acknowledgments.acknowledge(policy, POLICY_ACKNOWLEDGMENTS.smsToPhoneNumbers);
    }
  }

  /**
   * Settings, overrides and a key given for optional triggers this deployment does not attach: they
   * configure nothing, and the synth says so once.
   */
  private warnOfWhatAbsentTriggersWouldUse(
    props: CognitoTriggerSuiteProps,
    ignored: readonly IgnoredSetting[],
    deployed: readonly TriggerName[],
  ): void {
    const warn = (id: string, message: string) =>
      Annotations.of(this).addWarningV2(`cognito-trigger-suite:${id}`, message);
    for (const { setting, readers } of ignored) {
      warn(
        `setting-ignored:${setting}`,
        `${setting} (${SETTING_KEYS[setting]}) is read only by the ${readers.join(" and ")} trigger, which this deployment does not attach (${readers.map(switchOf).join(", ")}): it has no effect`,
      );
    }
    for (const trigger of Object.keys(props.functionOverrides ?? {})) {
      if (!(trigger in TRIGGERS) || deployed.includes(trigger as TriggerName)) continue;
      warn(
        `override-ignored:${trigger}`,
        `functionOverrides names the ${trigger} trigger, which this deployment does not attach (${switchOf(trigger as TriggerName)}): it has no effect`,
      );
    }
    if (props.customSenders?.kmsKey && !deployed.some(isInvokedAsynchronously)) {
      warn(
        "custom-sender-key-unused",
        "customSenders.kmsKey is given but neither customSenders.email nor customSenders.sms is on: no custom sender uses it",
      );
    }
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
  private allowInvocation(
    userPool: cognito.IUserPool,
    owned: OwnedUserPool | undefined,
    fn: lambda.IFunction,
    acknowledgments: PolicyAcknowledgments,
  ): lambda.CfnPermission {
    fn.addPermission("InvokedByUserPool", {
      principal: new iam.ServicePrincipal("cognito-idp.amazonaws.com"),
      sourceArn: userPool.userPoolArn,
      sourceAccount: Stack.of(this).account,
    });
    const permission = fn.permissionsNode.findChild("InvokedByUserPool") as lambda.CfnPermission;
    if (Token.isUnresolved(permission.sourceArn) && !owned) {
      acknowledgments.acknowledge(permission, POLICY_ACKNOWLEDGMENTS.importedPoolInvokePermission);
    }
    return permission;
  }

  private crossChecks(
    props: CognitoTriggerSuiteProps,
    owned: OwnedUserPool | undefined,
    timeout: Duration,
    env: Env,
    deployed: readonly TriggerName[],
  ): string[] {
    const problems: string[] = [];
    const settings = this.settings;
    if (deployed.includes("custom-email-sender") && settings.customSenderEmailFrom === undefined) {
      problems.push(
        "customSenders.email attaches the custom email sender, which sends the pool's email itself: set customSenderEmailFrom (CUSTOM_SENDER_EMAIL_FROM) to the verified SES identity to send from",
      );
    }
    if (this.customSenderKey) problems.push(...customSenderKeyProblems(this.customSenderKey));
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
    if (props.removalPolicy === RemovalPolicy.SNAPSHOT) {
      problems.push(
        "removalPolicy SNAPSHOT: none of the suite's stateful resources (DynamoDB tables, log groups, KMS key) supports it; use RETAIN or DESTROY",
      );
    }
    problems.push(
      ...reservedConcurrencyProblems("reservedConcurrentExecutions", props.reservedConcurrentExecutions),
    );
    if (props.identityPool) problems.push(...identityPoolProblems(props.identityPool));
    for (const [trigger, override] of Object.entries(props.functionOverrides ?? {})) {
      if (!(trigger in TRIGGERS)) {
        problems.push(
          `functionOverrides names "${trigger}", which is not a trigger; the triggers are ${Object.keys(TRIGGERS).join(", ")}`,
        );
        continue;
      }
      // Said by warnOfWhatAbsentTriggersWouldUse.
      if (!deployed.includes(trigger as TriggerName)) continue;
      problems.push(...this.overrideProblems(trigger as TriggerName, override ?? {}, env));
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

  /** What Lambda would refuse of one function's overrides, and additions that name a key of the suite. */
  private overrideProblems(trigger: TriggerName, override: TriggerFunctionOverrides, env: Env): string[] {
    const problems: string[] = [];
    const size = override.memorySize;
    if (
      size !== undefined &&
      !Token.isUnresolved(size) &&
      !(Number.isInteger(size) && size >= 128 && size <= 10_240)
    ) {
      problems.push(`memorySize of ${trigger} is ${size} MB; Lambda allows 128 to 10240`);
    }
    problems.push(
      ...reservedConcurrencyProblems(
        `functionOverrides["${trigger}"].reservedConcurrentExecutions`,
        override.reservedConcurrentExecutions,
      ),
    );
    const additions = override.environment ?? {};
    const taken = Object.keys(additions).filter((key) => SUITE_ENVIRONMENT_KEYS.has(key));
    if (taken.length > 0) {
      problems.push(
        `functionOverrides["${trigger}"].environment sets ${taken.join(", ")}, which only the suite sets (the handlers' configuration and table names); use settings instead`,
      );
    }
    if (Object.keys(additions).length > 0) {
      const bytes = environmentBytes({ ...additions, ...environmentOf(trigger, env) });
      if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
        problems.push(
          `the ${trigger} function's environment with functionOverrides["${trigger}"].environment would be ${bytes} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}`,
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

/** The core triggers, and the optional ones the props ask for, in the order of TRIGGERS. */
function deployedTriggers(props: CognitoTriggerSuiteProps): TriggerName[] {
  const asked: Record<OptionalTriggerName, boolean> = {
    "inbound-federation": props.inboundFederation === true,
    "custom-email-sender": props.customSenders?.email === true,
    "custom-sms-sender": props.customSenders?.sms === true,
  };
  return (Object.keys(TRIGGERS) as TriggerName[]).filter(
    (trigger) => !isOptionalTrigger(trigger) || asked[trigger],
  );
}

/** The prop that attaches an optional trigger, as a consumer writes it. */
function switchOf(trigger: TriggerName): string {
  switch (trigger) {
    case "inbound-federation":
      return "inboundFederation";
    case "custom-email-sender":
      return "customSenders.email";
    case "custom-sms-sender":
      return "customSenders.sms";
    default:
      return "always attached";
  }
}

/**
 * Cognito encrypts with a symmetric encryption key only. Read from a key of this app's resource (an
 * imported key cannot be read at synth time), without `instanceof` (another copy of aws-cdk-lib).
 */
function customSenderKeyProblems(key: kms.IKey): string[] {
  const resource = key.node.defaultChild;
  if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== "AWS::KMS::Key") return [];
  const stack = Stack.of(key);
  const spec = stack.resolve((resource as kms.CfnKey).keySpec) ?? "SYMMETRIC_DEFAULT";
  const usage = stack.resolve((resource as kms.CfnKey).keyUsage) ?? "ENCRYPT_DECRYPT";
  if (spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT") return [];
  return [
    `customSenders.kmsKey is a ${spec} key for ${usage}; Cognito encrypts the custom senders' codes with a symmetric encryption key only (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)`,
  ];
}

/** The LambdaConfig key of each optional trigger, as aws-cdk-lib's UserPool writes it and as Cognito does. */
const POOL_OWN_KEYS: Record<OptionalTriggerName, readonly string[]> = {
  "inbound-federation": ["inboundFederation", "InboundFederation"],
  "custom-email-sender": ["customEmailSender", "CustomEmailSender"],
  "custom-sms-sender": ["customSmsSender", "CustomSMSSender"],
};

/**
 * An optional trigger the pool of this app already has of its own (its `lambdaTriggers`,
 * `customSenderKmsKey` or an escape hatch), under a key the suite sets, would be overwritten without a
 * word: addTrigger refuses that for the core triggers, and so does this for the others. A custom sender
 * of the pool's own beside the suite's key is refused too: its codes would be encrypted with a key it
 * cannot decrypt. At synth time, so that what the consumer sets after the construct is seen.
 */
function ownOptionalTriggerProblems(
  userPool: OwnedUserPool,
  deployed: readonly TriggerName[],
  key: kms.IKey | undefined,
): string[] {
  const stack = Stack.of(userPool);
  const config = (stack.resolve(cfnUserPool(userPool).lambdaConfig) ?? {}) as Record<string, unknown>;
  const has = (trigger: OptionalTriggerName) =>
    POOL_OWN_KEYS[trigger].some((name) => config[name] !== undefined);
  const problems: string[] = [];
  for (const trigger of Object.keys(POOL_OWN_KEYS) as OptionalTriggerName[]) {
    if (!has(trigger)) continue;
    const sender = isInvokedAsynchronously(trigger);
    if (deployed.includes(trigger) || (sender && key)) {
      problems.push(
        `the user pool already has a ${trigger} trigger of its own (LambdaConfig.${LAMBDA_CONFIG_KEYS[trigger]}), which ${deployed.includes(trigger) ? `the suite's would replace (${switchOf(trigger)})` : "would get codes encrypted with the suite's key, which it cannot decrypt"}: remove it from the pool, or leave the suite's off`,
      );
    }
  }
  const poolKey = config.kmsKeyId ?? config.KMSKeyID;
  const same = (a: unknown, b: unknown) =>
    JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
  if (key && poolKey !== undefined && !same(poolKey, key.keyArn)) {
    problems.push(
      "the user pool already has a custom sender key of its own (customSenderKmsKey, LambdaConfig.KMSKeyID): pass it as customSenders.kmsKey, or remove it from the pool",
    );
  }
  return problems;
}

/**
 * Access-token customisation (V2_0) and machine tokens (V3_0) need the ESSENTIALS or PLUS plan. An
 * unset plan is refused too: CloudFormation then leaves an existing pool on whatever plan it has, which
 * for pools created before November 2024 is LITE.
 */
function featurePlanProblems(userPool: OwnedUserPool, lambdaVersion: cognito.LambdaVersion): string[] {
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

/** Reserved concurrency is a whole number of executions, 0 (the function never runs) or more. */
function reservedConcurrencyProblems(name: string, value: number | undefined): string[] {
  if (value === undefined || Token.isUnresolved(value) || (Number.isInteger(value) && value >= 0)) return [];
  return [`${name} is ${value}; Lambda takes a whole number of 0 or more`];
}

function environmentBytes(env: Readonly<Record<string, string>>): number {
  return Object.entries(env).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
