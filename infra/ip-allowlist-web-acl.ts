/**
 * The first layer of the IP allowlist (architecture.md, "Threat model"): an AWS WAF web ACL associated
 * with the user pool. WAF sees the real source address of every public API and managed-login request,
 * which no trigger event carries, so the list holds for public clients too; the pre authentication
 * trigger is the second layer, for server-side sign-ins that pass the end user's address.
 */
import { Names } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { wafAddresses } from "./waf-addresses.ts";

export interface IpAllowlistWebAclProps {
  readonly userPool: cognito.IUserPool;
  /** The IP_ALLOWLIST entries (IPv4/IPv6 CIDRs or single addresses). */
  readonly allowlist: readonly string[];
}

export class IpAllowlistWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly ipSets: wafv2.CfnIPSet[] = [];

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
  }
}
