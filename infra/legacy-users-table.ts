/**
 * The legacy directory user migration reads, created when the deployment does not name an existing
 * one: an empty table to import the old user store into (record format in docs/tokens-and-migration.md). It holds
 * password hashes, so it is encrypted, recoverable to any second of the last 35 days, and by default
 * protected from deletion and kept when the stack is deleted.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";

/** The partition key the migration trigger reads by (triggers/user-migration/dynamo-legacy-store.ts). */
export const LEGACY_USERS_KEY = "login";

export interface LegacyUsersTableProps {
  /**
   * What happens to the table when it leaves the stack. DESTROY also turns its deletion protection
   * off, or CloudFormation could not delete it.
   * @default RemovalPolicy.RETAIN (it holds the legacy password hashes not yet migrated)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class LegacyUsersTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: LegacyUsersTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: LEGACY_USERS_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
  }
}
