/**
 * The first layer of the IP allowlist (architecture.md, "Threat model"): an AWS WAF web ACL associated
 * with the user pool. WAF sees the real source address of every public API and managed-login request,
 * which no trigger event carries, so the list holds for public clients too; the pre authentication
 * trigger is the second layer, for server-side sign-ins that pass the end user's address.
 *
 * Every request the web ACL blocks is logged to a CloudWatch Logs group (`aws-waf-logs-…`, the prefix
 * AWS WAF requires), so refused sign-in attempts can be reviewed: the source address, country, URI,
 * headers (with `authorization` and `cookie` redacted) and the rule that decided. AWS WAF never logs
 * request bodies, so no password or code reaches the log. Allowed requests are not logged: they are in
 * the audit trail, and logging every sign-in would cost for nothing.
 */
import { ArnFormat, Aws, Fn, Names, RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { wafAddresses } from "./waf-addresses.ts";

export interface IpAllowlistWebAclProps {
  readonly userPool: cognito.IUserPool;
  /** The IP_ALLOWLIST entries (IPv4/IPv6 CIDRs or single addresses). */
  readonly allowlist: readonly string[];
  /** How long blocked requests stay in the WAF log. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the WAF log group. */
  readonly logEncryptionKey: kms.IKey;
  /**
   * What happens to the WAF log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN (evidence of refused sign-ins, like the audit table)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** AWS WAF delivers to CloudWatch Logs only into groups named with this prefix. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

export class IpAllowlistWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly ipSets: wafv2.CfnIPSet[] = [];
  /** Where AWS WAF logs the requests it blocked. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: IpAllowlistWebAclProps) {
    super(scope, id);
    const { ipv4, ipv6 } = wafAddresses(props.allowlist);
    const metricPrefix = Names.uniqueResourceName(this, { maxLength: 100 });

    const statements: wafv2.CfnWebACL.StatementProperty[] = [];
    for (const [family, addresses] of [
      ["IPV4", ipv4],
      ["IPV6", ipv6],
    ] as const) {
      if (addresses.length === 0) continue;
      const ipSet = new wafv2.CfnIPSet(this, `Allowed${family}`, {
        description: `IP allowlist ${family} ranges of the Cognito trigger suite`,
        scope: "REGIONAL",
        ipAddressVersion: family,
        addresses,
      });
      this.ipSets.push(ipSet);
      statements.push({ ipSetReferenceStatement: { arn: ipSet.attrArn } });
    }
    const allowListed =
      statements.length === 1
        ? (statements[0] as wafv2.CfnWebACL.StatementProperty)
        : { orStatement: { statements } };

    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      description: "Blocks every user pool request from outside the IP allowlist",
      scope: "REGIONAL",
      defaultAction: { block: {} },
      rules: [
        {
          name: "AllowListedAddresses",
          priority: 0,
          action: { allow: {} },
          statement: allowListed,
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: `${metricPrefix}-AllowListedAddresses`,
            sampledRequestsEnabled: true,
          },
        },
      ],
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: `${metricPrefix}-IpAllowlist`,
        sampledRequestsEnabled: true,
      },
    });

    new wafv2.CfnWebACLAssociation(this, "Association", {
      resourceArn: props.userPool.userPoolArn,
      webAclArn: this.webAcl.attrArn,
    });

    this.logGroup = new logs.LogGroup(this, "Logs", {
      // The group is retained, so a stack of the same name deployed again after `cdk destroy` must not
      // meet the old group's name: the stack id's GUID makes it unique to this stack instance.
      logGroupName: `${WAF_LOG_GROUP_PREFIX}${Names.uniqueResourceName(this, { maxLength: 400, separator: "-" })}-${Fn.select(2, Fn.split("/", Aws.STACK_ID))}`,
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      // Evidence of refused sign-ins outlives the stack by default, like the audit table.
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.attrArn,
      // AWS WAF takes the log group's ARN without the ":*" suffix that LogGroup.logGroupArn carries.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: "logs",
          resource: "log-group",
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: "authorization" } }, { singleHeader: { Name: "cookie" } }],
      loggingFilter: {
        DefaultBehavior: "DROP",
        Filters: [
          {
            Behavior: "KEEP",
            Requirement: "MEETS_ANY",
            Conditions: [{ ActionCondition: { Action: "BLOCK" } }],
          },
        ],
      },
    });
  }
}
