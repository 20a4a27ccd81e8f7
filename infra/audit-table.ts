/**
 * The audit table (architecture.md, "Audit record") and the read-only policy security reviewers get.
 * The triggers may only append: `grantAppend` gives PutItem on the table itself and nothing else, so no
 * trigger can read, change or delete history even if its code were compromised.
 */
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { AUDIT_TIME_INDEX } from "../triggers/lib/audit/record.ts";

/** The record's TTL attribute (epoch seconds), written by triggers/lib/audit/record.ts. */
export const AUDIT_TTL_ATTRIBUTE = "expiresAt";

export class AuditTable extends Construct {
  readonly table: dynamodb.Table;
  /** Attach to the roles or groups of security reviewers: query, read and describe, never write. */
  readonly readerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Audit history outlives the stack: deleting the stack leaves the table in place.
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: AUDIT_TTL_ATTRIBUTE,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: AUDIT_TIME_INDEX,
      partitionKey: { name: "dayShard", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "at", type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    const tableArn = this.table.tableArn;
    const indexArn = `${tableArn}/index/${AUDIT_TIME_INDEX}`;
    this.readerPolicy = new iam.ManagedPolicy(this, "ReaderPolicy", {
      description: "Read-only access to the Cognito trigger suite's audit trail, for security reviewers",
      statements: [
        new iam.PolicyStatement({
          sid: "ReadAuditTrail",
          actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
          resources: [tableArn, indexArn],
        }),
        new iam.PolicyStatement({
          // `cognito-triggers audit --stack` finds the table through the stack's outputs.
          sid: "FindAuditTableFromStackOutputs",
          actions: ["cloudformation:DescribeStacks"],
          resources: [Stack.of(this).stackId],
        }),
      ],
    });
  }

  /** PutItem on the table only: no index, no read, no update, no delete. */
  grantAppend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ["dynamodb:PutItem"],
      resourceArns: [this.table.tableArn],
    });
  }
}
