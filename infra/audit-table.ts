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
 *
 * The table is created here, or is the consumer's own (`table`): then the grants and the reader policy
 * name that table and its index, and the table must have the keys and index the handlers write
 * (AUDIT_TABLE_SCHEMA; `auditTableSchemaProblems` checks a table of the same app at synth time). A
 * table encrypted with a customer managed key it names (`encryptionKey`) gets that key in the grants,
 * as aws-cdk-lib's own table grants do.
 */
import { CfnResource, RemovalPolicy, Stack } from "aws-cdk-lib";
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

/**
 * The keys and index the handlers write and `cognito-triggers audit` reads (triggers/lib/audit/record.ts).
 * A table of the consumer's own needs the same: string keys `pk` and `sk`, and a global secondary index
 * `byTime` with string keys `dayShard` and `at` that projects the record's attributes (INCLUDE them, or
 * ALL). TTL on `expiresAt` and point-in-time recovery are recommended, not required.
 */
export const AUDIT_TABLE_SCHEMA = {
  partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
  sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
  timeIndex: {
    indexName: AUDIT_TIME_INDEX,
    partitionKey: { name: "dayShard", type: dynamodb.AttributeType.STRING },
    sortKey: { name: "at", type: dynamodb.AttributeType.STRING },
  },
} as const;

export interface AuditTableProps {
  /**
   * The consumer's own audit table, used instead of creating one: it must have the keys and index of
   * AUDIT_TABLE_SCHEMA. No table is created then, and `removalPolicy` does not apply.
   * @default - a new table (on-demand, AWS managed key, point-in-time recovery, TTL on expiresAt)
   */
  readonly table?: dynamodb.ITable;
  /**
   * What happens to the table this construct creates when it leaves the stack. DESTROY also turns its
   * deletion protection off, or CloudFormation could not delete it.
   * @default RemovalPolicy.RETAIN (audit history outlives the stack)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class AuditTable extends Construct {
  readonly table: dynamodb.ITable;
  /** Attach to the roles or groups of security reviewers: query, read and describe, never write. */
  readonly readerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AuditTableProps = {}) {
    super(scope, id);
    this.table = props.table ?? this.createTable(props.removalPolicy ?? RemovalPolicy.RETAIN);

    const tableArn = this.table.tableArn;
    const indexArn = this.indexArn();
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
    // What aws-cdk-lib's own write grants give on the key; nothing when the table names none.
    this.table.encryptionKey?.grant(grantee, ...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS);
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
    this.table.encryptionKey?.grant(grantee, ...KEY_READ_ACTIONS);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
      resourceArns: [this.table.tableArn, this.indexArn()],
    });
  }

  private indexArn(): string {
    return `${this.table.tableArn}/index/${AUDIT_TIME_INDEX}`;
  }

  private createTable(removalPolicy: RemovalPolicy): dynamodb.Table {
    const { partitionKey, sortKey, timeIndex } = AUDIT_TABLE_SCHEMA;
    const table = new dynamodb.Table(this, "Table", {
      partitionKey,
      sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The account's AWS managed key (aws/dynamodb): key use shows in CloudTrail, and readers with
      // DynamoDB permissions need no key policy of their own.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Protected unless the stack may delete it (CloudFormation cannot delete a protected table).
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      // Audit history outlives the stack by default: deleting the stack leaves the table in place.
      removalPolicy,
      timeToLiveAttribute: AUDIT_TTL_ATTRIBUTE,
    });
    table.addGlobalSecondaryIndex({
      ...timeIndex,
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...AUDIT_TIME_INDEX_ATTRIBUTES],
    });
    return table;
  }
}

/** What aws-cdk-lib's table grants give on a table's customer managed key (aws-dynamodb perms). */
const KEY_READ_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];
const KEY_WRITE_ACTIONS = ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];

/** The CloudFormation table types whose key schema auditTableSchemaProblems can read (Table, TableV2). */
const TABLE_TYPES = ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"];

interface KeyElement {
  attributeName: string;
  keyType: string;
}

/**
 * How a table of this app falls short of AUDIT_TABLE_SCHEMA, one line per problem; empty for a table
 * that fits, or one that cannot be read at synth time (imported by name or ARN: the deployment then
 * shows a misfit as failed audit writes, which the AuditFallbacks alarm reports). Run it at synth time
 * (`node.addValidation`), so that an index added after the suite is seen. Read from the table's
 * CloudFormation resource, so it also holds for a table made with another copy of aws-cdk-lib.
 */
export function auditTableSchemaProblems(table: dynamodb.ITable): string[] {
  const resource = table.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource) || !TABLE_TYPES.includes(resource.cfnResourceType)) {
    return [];
  }
  const stack = Stack.of(table);
  const cfn = resource as dynamodb.CfnTable;
  const keySchema = stack.resolve(cfn.keySchema) as KeyElement[] | undefined;
  const attributes = (stack.resolve(cfn.attributeDefinitions) ?? []) as {
    attributeName: string;
    attributeType: string;
  }[];
  const indexes = (stack.resolve(cfn.globalSecondaryIndexes) ?? []) as {
    indexName: string;
    keySchema: KeyElement[];
    projection?: { projectionType?: string; nonKeyAttributes?: string[] };
  }[];
  const typeOf = (name: string) => attributes.find((a) => a.attributeName === name)?.attributeType;
  const keysOf = (elements: KeyElement[] | undefined) =>
    (elements ?? []).map((e) => `${e.attributeName} (${e.keyType}, ${typeOf(e.attributeName)})`).join(", ");
  const wanted = (partition: string, sort: string) => `${partition} (HASH, S), ${sort} (RANGE, S)`;

  const problems: string[] = [];
  const { partitionKey, sortKey, timeIndex } = AUDIT_TABLE_SCHEMA;
  const tableKeys = wanted(partitionKey.name, sortKey.name);
  if (keysOf(keySchema) !== tableKeys) {
    problems.push(
      `auditTable's key schema is ${keysOf(keySchema) || "unknown"}; the handlers write ${tableKeys}`,
    );
  }
  const index = indexes.find((each) => each.indexName === timeIndex.indexName);
  const indexKeys = wanted(timeIndex.partitionKey.name, timeIndex.sortKey.name);
  if (!index) {
    problems.push(`auditTable has no global secondary index ${timeIndex.indexName} (${indexKeys})`);
  } else {
    if (keysOf(index.keySchema) !== indexKeys) {
      problems.push(
        `auditTable's index ${timeIndex.indexName} has the keys ${keysOf(index.keySchema)}; the handlers write ${indexKeys}`,
      );
    }
    const projected = index.projection?.projectionType;
    const missing =
      projected === "ALL"
        ? []
        : AUDIT_TIME_INDEX_ATTRIBUTES.filter(
            (name) => projected !== "INCLUDE" || !index.projection?.nonKeyAttributes?.includes(name),
          );
    if (missing.length > 0) {
      problems.push(
        `auditTable's index ${timeIndex.indexName} does not project ${missing.join(", ")}, which the audit CLI reads: project ALL, or INCLUDE them`,
      );
    }
  }
  return problems;
}
