/**
 * A legacy directory on dynalite for the migration tests: the table as docs/tokens-and-migration.md documents it, and
 * users whose hashes are made here with the real libraries (bcryptjs, node:crypto, hash-wasm), so the
 * verifiers are checked against what other software writes, not against themselves.
 */
import { pbkdf2Sync, randomBytes, scryptSync } from "node:crypto";
import {
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import bcrypt from "bcryptjs";
import { argon2id } from "hash-wasm";
import { legacyTableDefinition } from "../../cli/local/legacy-users.ts";
import type { TriggerEvent } from "../../triggers/lib/events.ts";

export const LEGACY_TABLE = "legacy-users-test";
export const AUDIT_TABLE = "audit-test";
export const ENV = {
  LEGACY_USERS_TABLE_NAME: LEGACY_TABLE,
  AUDIT_TABLE_NAME: AUDIT_TABLE,
  AUDIT_RETENTION_DAYS: "30",
};

export async function createLegacyTable(client: DynamoDBClient): Promise<void> {
  await client.send(new CreateTableCommand(legacyTableDefinition(LEGACY_TABLE)));
}

export async function putLegacyUser(client: DynamoDBClient, item: Record<string, unknown>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: LEGACY_TABLE, Item: marshall(item) }));
}

export async function getLegacyUser(client: DynamoDBClient, login: string) {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: LEGACY_TABLE, Key: { login: { S: login } } }),
  );
  return Item ? unmarshall(Item) : undefined;
}

/** passlib's "ab64": base64 without padding, "." for "+". */
const ab64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "").replace(/\+/g, ".");

/** One hash per supported format, made by the libraries that write them in the wild. */
export const HASHERS: Record<string, (password: string) => Promise<string>> = {
  "bcrypt $2b$": async (password) => bcrypt.hash(password, 10),
  "bcrypt $2a$": async (password) => (await bcrypt.hash(password, 10)).replace(/^\$2b\$/, "$2a$"),
  // PHP's password_hash writes $2y$; the algorithm is the same.
  "bcrypt $2y$": async (password) => (await bcrypt.hash(password, 10)).replace(/^\$2b\$/, "$2y$"),
  "pbkdf2_sha256 (Django)": async (password) => {
    const salt = randomBytes(16).toString("hex").slice(0, 22);
    const key = pbkdf2Sync(password, salt, 600_000, 32, "sha256").toString("base64");
    return `pbkdf2_sha256$600000$${salt}$${key}`;
  },
  "scrypt (passlib format)": async (password) => {
    const salt = randomBytes(16);
    const key = scryptSync(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    return `$scrypt$ln=15,r=8,p=1$${ab64(salt)}$${ab64(key)}`;
  },
  argon2id: async (password) =>
    argon2id({
      password,
      salt: randomBytes(16),
      iterations: 2,
      parallelism: 1,
      memorySize: 19_456,
      hashLength: 32,
      outputType: "encoded",
    }),
};

export function migrationEvent(
  triggerSource: "UserMigration_Authentication" | "UserMigration_ForgotPassword",
  userName: string,
  password?: string,
): TriggerEvent {
  return {
    version: "1",
    triggerSource,
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "1h2j3k4l5m6n7o8p9q0r1s2t3u" },
    request:
      password === undefined
        ? { validationData: null }
        : { password, validationData: { sourceIp: "203.0.113.25" } },
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  };
}
