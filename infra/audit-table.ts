/**
 * The audit table and the read-only policy security reviewers get.
 *
 * The triggers may only append, as far as IAM can say it. `grantAppend` gives PutItem on the table
 * itself and nothing else (no read, no update, no delete, not the index), with the conditions IAM offers
 * for PutItem:
 * - `dynamodb:ReturnValues` NONE: a put cannot hand back the item it replaced (ALL_OLD);
 * - `dynamodb:Attributes` the record's own attributes only, so no other data can be parked in the table;
 * - `dynamodb:LeadingKeys` `USER#*`: only the key space of audit records.
 * What IAM cannot say: that the put is conditional (`attribute_not_exists` is the writer's code), what
 * `expiresAt` holds (a compromised function could put a record that expires at once), or that a failed
 * conditional put returns nothing (`ReturnValuesOnConditionCheckFailure` has no condition key).
 * Point-in-time recovery (35 days) is the backstop for the first two; docs/deploying.md says all three.
 */
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import {
  AUDIT_RECORD_ATTRIBUTES,
  AUDIT_TIME_INDEX,
  AUDIT_TIME_INDEX_ATTRIBUTES,
} from "../triggers/lib/audit/record.ts";

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
      // The account's AWS managed key (aws/dynamodb): key use shows in CloudTrail, and readers with
      // DynamoDB permissions need no key policy of their own.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
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
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...AUDIT_TIME_INDEX_ATTRIBUTES],
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

  /** PutItem on the table only, under the conditions of the file comment. */
  grantAppend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ["dynamodb:PutItem"],
      resourceArns: [this.table.tableArn],
      conditions: {
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [...AUDIT_RECORD_ATTRIBUTES] },
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["USER#*"] },
        // Absent means NONE, DynamoDB's default; any other value is refused.
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      },
    });
  }

  /** Read-only access to the trail (what readerPolicy holds), for a role of the consumer's. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${AUDIT_TIME_INDEX}`],
    });
  }
}
