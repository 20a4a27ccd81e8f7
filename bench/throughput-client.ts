/**
 * Bundled in the same esbuild build as post authentication's trigger.ts (code splitting shares their
 * modules), so the throughput runner gets the very DynamoDB client the handler writes with, and the
 * record the handler would write, for its bare PutItem calls.
 */
export { PutItemCommand } from "@aws-sdk/client-dynamodb";
export { marshall } from "@aws-sdk/util-dynamodb";
export { AUDIT_TIME_SHARDS, buildAuditRecord } from "../triggers/lib/audit/record.ts";
export { dynamoClient } from "../triggers/lib/aws-clients.ts";
export { signInEntry } from "../triggers/post-authentication/sign-in-record.ts";
