/**
 * The stack `npm run deploy` creates: a user pool the way the suite's users expect (email sign-in,
 * `nickname` required, strong passwords, MFA by TOTP and/or SMS (`mfaFactors`), user existence errors
 * hidden, ESSENTIALS), a public SPA client (SRP) and a confidential server client (USER_PASSWORD_AUTH
 * and ADMIN_USER_PASSWORD_AUTH, which user migration needs, and the trusted client of the IP
 * allowlist), the seven core triggers through CognitoTriggerSuite (and inbound federation and the
 * custom senders when the configuration asks: `inboundFederation`, `customSenders`), and the outputs the
 * README and the audit CLI read. With `existingUserPoolId` it creates no pool and attaches the triggers
 * to that one instead.
 */
import {
  Annotations,
  CfnOutput,
  Duration,
  Names,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import { AlarmTopic } from "./alarm-topic.ts";
import { CognitoTriggerSuite } from "./cognito-trigger-suite.ts";
import { smsToPhoneNumbersOnly } from "./sms-publish-policy.ts";
import { type StackConfig, StackConfigError } from "./stack-config.ts";

/** Token lifetimes of both clients: access and ID tokens one hour, refresh tokens 30 days. */
export const TOKEN_VALIDITY = {
  accessTokenValidity: Duration.hours(1),
  idTokenValidity: Duration.hours(1),
  refreshTokenValidity: Duration.days(30),
} as const;

export interface CognitoTriggerSuiteStackProps extends StackProps {
  readonly config: StackConfig;
}

export class CognitoTriggerSuiteStack extends Stack {
  readonly userPool: cognito.IUserPool;
  /** The pool's clients; absent when the stack attaches to an existing pool. */
  readonly clients: { spa: cognito.UserPoolClient; server: cognito.UserPoolClient } | undefined;
  readonly suite: CognitoTriggerSuite;

  constructor(scope: Construct, id: string, props: CognitoTriggerSuiteStackProps) {
    super(scope, id, props);
    const { config } = props;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });

    let trustedClientIds = config.settings.ipTrustedClientIds ?? [];
    if (config.existingUserPoolId) {
      this.checkPoolRegion(config.existingUserPoolId);
      this.userPool = cognito.UserPool.fromUserPoolId(this, "UserPool", config.existingUserPoolId);
    } else {
      const userPool = this.createUserPool(config);
      this.userPool = userPool;
      this.clients = this.createClients(userPool, config.mfaFactors.includes("SMS"));
      // The server client is the trusted client of the IP allowlist: its secret never leaves the backend,
      // which writes the end user's address from its own connection. Without a list there is no check
      // to trust it for.
      if ((config.settings.ipAllowlist ?? []).length > 0) {
        trustedClientIds = [this.clients.server.userPoolClientId, ...trustedClientIds];
      }
      output("SpaClientId", this.clients.spa.userPoolClientId, "Public SPA client (SRP, no secret)");
      output(
        "ServerClientId",
        this.clients.server.userPoolClientId,
        "Confidential server client (secret in the console)",
      );
    }

    this.suite = new CognitoTriggerSuite(this, "Triggers", {
      userPool: this.userPool,
      settings: { ...config.settings, ipTrustedClientIds: trustedClientIds },
      preTokenGenerationVersion: cognito.LambdaVersion[config.preTokenGenerationVersion],
      legacyUsersTable: config.legacyUsersTableName
        ? dynamodb.Table.fromTableName(this, "LegacyUsersTable", config.legacyUsersTableName)
        : undefined,
      alarmTopic: this.alarmTopic(config),
      logLevel: lambda.ApplicationLogLevel[config.logLevel],
      logRetention: retentionDays(config.logRetentionDays),
      ipAllowlistWebAcl: config.ipAllowlistWebAcl,
      replaceExistingTriggers: config.replaceExistingTriggers,
      smsRole: config.smsRoleArn
        ? iam.Role.fromRoleArn(this, "SmsRole", config.smsRoleArn, { mutable: false })
        : undefined,
      inboundFederation: config.inboundFederation,
      customSenders: config.customSenders,
    });
    if (config.inboundFederation && !config.existingUserPoolId) {
      Annotations.of(this).addWarningV2(
        "cognito-trigger-suite:inbound-federation-without-providers",
        "inboundFederation is on, but the stack's pool has no federated identity provider: Cognito calls the inbound federation trigger only for sign-ins through one (add a provider to the pool, or attach to a pool that has one with existingUserPoolId)",
      );
    }

    output("UserPoolId", this.userPool.userPoolId, "The user pool");
    output(
      "AuditTableName",
      this.suite.auditTable.table.tableName,
      "The audit trail (cognito-triggers audit --table)",
    );
    output(
      "AuditReaderPolicyArn",
      this.suite.auditTable.readerPolicy.managedPolicyArn,
      "Attach to security reviewers: read-only access to the audit trail",
    );
    output(
      "DashboardName",
      this.suite.dashboard.dashboard.dashboardName,
      "CloudWatch dashboard of the triggers",
    );
    output(
      "LegacyUsersTableName",
      this.suite.legacyUsersTable.tableName,
      "The legacy directory user migration reads",
    );
  }

  private createUserPool(config: StackConfig): cognito.UserPool {
    const sms = config.mfaFactors.includes("SMS");
    const smsRole = sms ? this.createSmsRole() : undefined;
    const userPool = new cognito.UserPool(this, "UserPool", {
      featurePlan: cognito.FeaturePlan[config.featurePlan],
      // PLUS is threat protection; without this it would be paid for and off.
      standardThreatProtectionMode:
        config.featurePlan === "PLUS"
          ? config.threatProtection === "ENFORCED"
            ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
            : cognito.StandardThreatProtectionMode.AUDIT_ONLY
          : undefined,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email takes effect only once the new address is verified.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        nickname: { required: true, mutable: true },
      },
      // Set by user migration (the user's id in the legacy directory); no client may write it.
      customAttributes: { legacy_id: new cognito.StringAttribute({ mutable: true, maxLen: 256 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: config.mfa === "REQUIRED" ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: config.mfaFactors.includes("TOTP"), sms, email: false },
      // SMS MFA codes go to phone_number, a standard attribute every pool has (mutable, not required); it is
      // not declared in the schema, since adding a schema attribute to a deployed pool fails. The phone is
      // not auto-verified: SMS MFA does not need a verified number, and with email and phone both
      // auto-verified Cognito verifies only the phone at sign-up, which would leave the email (the
      // sign-in and recovery address) unverified.
      smsRole: smsRole?.role,
      smsRoleExternalId: smsRole?.externalId,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      email: config.email
        ? cognito.UserPoolEmail.withSES({
            fromEmail: config.email.from,
            fromName: config.email.fromName,
            replyTo: config.email.replyTo,
            // Without an explicit region the CDK refuses environment-agnostic stacks; SES then is the pool's region.
            sesRegion: config.email.sesRegion ?? this.region,
            sesVerifiedDomain: config.email.verifiedDomain,
          })
        : cognito.UserPoolEmail.withCognito(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (config.mfa === "OPTIONAL") {
      Validations.of(userPool).acknowledge({
        id: "AwsSolutions-COG2",
        reason:
          'MFA is optional because the deployment configuration says "mfa": "OPTIONAL"; the default is REQUIRED.',
      });
    }
    if (config.featurePlan !== "PLUS") {
      Validations.of(userPool).acknowledge({
        id: "AwsSolutions-COG8",
        reason:
          'The suite needs ESSENTIALS (access-token customisation). PLUS adds paid threat protection; with "featurePlan": "PLUS" the stack turns it on (audit-only unless "threatProtection": "ENFORCED").',
      });
    }

    return userPool;
  }

  /**
   * A pool id starts with its region (`eu-west-1_AbCdEf123`), and a trigger can only be attached to a
   * pool of its own region. Checked here when the stack's region is known; the attachment checks it
   * again at deploy time.
   */
  private checkPoolRegion(userPoolId: string): void {
    const poolRegion = userPoolId.split("_")[0];
    if (!Token.isUnresolved(this.region) && poolRegion !== this.region) {
      throw new StackConfigError(
        `existingUserPoolId ${userPoolId} is in ${poolRegion}, but the stack deploys to ${this.region}: Cognito invokes only functions of the pool's own region; deploy the stack to ${poolRegion}`,
      );
    }
  }

  /**
   * The role the pool sends SMS MFA codes with: Cognito may assume it only with the pool's external id,
   * and it may only publish SMS (sms-publish-policy.ts: direct SMS only, every SNS ARN denied).
   */
  private createSmsRole(): { role: iam.Role; externalId: string } {
    // Unique to this stack and stable across deployments; not a secret: it keeps Cognito from assuming the
    // role for any pool configured without it (the confused deputy).
    const externalId = `${Names.uniqueId(this)}-sms-mfa`;
    const role = new iam.Role(this, "PoolSmsRole", {
      description: "Lets the Cognito user pool send SMS (MFA codes) through Amazon SNS",
      assumedBy: new iam.ServicePrincipal("cognito-idp.amazonaws.com", {
        conditions: { StringEquals: { "sts:ExternalId": externalId } },
      }),
      inlinePolicies: { "sms-publish": new iam.PolicyDocument({ statements: smsToPhoneNumbersOnly() }) },
    });
    Validations.of(role).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        'sns:Publish to a phone number names no resource, so the SMS statement must be Resource "*"; publishing to every SNS ARN (topics, platform endpoints) is denied, leaving only direct SMS, and only Cognito with this pool\'s external id may assume the role.',
    });
    return { role, externalId };
  }

  private createClients(userPool: cognito.UserPool, phone: boolean) {
    // Users may change their profile, never the id migration recorded. With SMS MFA the phone number is
    // theirs to give at sign-up and to change (the code goes to it).
    const writable = new cognito.ClientAttributes()
      .withStandardAttributes({
        email: true,
        nickname: true,
        givenName: true,
        familyName: true,
        locale: true,
        ...(phone ? { phoneNumber: true } : {}),
      })
      .withCustomAttributes();
    const spa = userPool.addClient("SpaClient", {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      disableOAuth: true,
      writeAttributes: writable,
      ...TOKEN_VALIDITY,
    });
    const server = userPool.addClient("ServerClient", {
      generateSecret: true,
      authFlows: { userPassword: true, adminUserPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      disableOAuth: true,
      writeAttributes: writable,
      ...TOKEN_VALIDITY,
    });
    return { spa, server };
  }

  private alarmTopic(config: StackConfig): sns.ITopic | undefined {
    if (config.alarmTopicArn) return sns.Topic.fromTopicArn(this, "AlarmTopic", config.alarmTopicArn);
    if (!config.alarmEmail) {
      Annotations.of(this).addWarningV2(
        "cognito-trigger-suite:alarms-notify-nobody",
        "Neither alarmEmail nor alarmTopicArn is set: the alarms show in the console and the dashboard, but notify nobody",
      );
      return undefined;
    }
    // Encrypted, TLS only, and CloudWatch alarms of this account may publish (alarm-topic.ts).
    return new AlarmTopic(this, "AlarmTopic", { email: config.alarmEmail }).topic;
  }
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === "number");
  if (!allowed.includes(days)) {
    throw new Error(
      `logRetentionDays ${days} is not a CloudWatch Logs retention; use one of ${allowed.join(", ")}`,
    );
  }
  return days as logs.RetentionDays;
}
