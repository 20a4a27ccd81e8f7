/**
 * Denials written through the real path (lazily loaded trail, DynamoDB client, conditional PutItem)
 * into dynalite: the SIGN_IN_DENIED record as security reviewers will read it.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { SIGN_IN_DENIED_MESSAGE } from "../../triggers/pre-authentication/denial.ts";
import { createHandler } from "../../triggers/pre-authentication/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";

const TABLE = "audit-pre-auth";
const ENV = {
  IP_ALLOWLIST: "203.0.113.0/24,2001:db8:1234::/48",
  IP_TRUSTED_CLIENT_IDS: "backend",
  AUDIT_TABLE_NAME: TABLE,
  AUDIT_RETENTION_DAYS: "400",
};

const signIn = (clientId: string, sourceIp: string | undefined) => ({
  version: "1",
  triggerSource: "PreAuthentication_Authentication",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Ab12Cd34E",
  userName: "taro",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
  request: {
    userAttributes: { sub: "7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f", email: "taro@example.com" },
    validationData: sourceIp === undefined ? null : { sourceIp },
    userNotFound: false,
  },
  response: {},
});

describe("pre authentication denials in DynamoDB", () => {
  let dynamo: LocalDynamo;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createAuditTable(dynamo.client, TABLE);
    logs = captureLogs();
  });
  afterAll(async () => {
    logs.restore();
    await dynamo.stop();
  });

  const items = async () =>
    ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => unmarshall(i));

  it("writes one SIGN_IN_DENIED record per denial, and nothing for an allowed sign-in", async () => {
    const now = new Date("2026-11-20T07:00:00.000Z");
    const handler = createHandler(ENV, { now: () => now });
    await expect(handler(signIn("backend", "203.0.113.9"), { awsRequestId: "ok" })).resolves.toBeDefined();
    await expect(handler(signIn("backend", "::ffff:198.51.100.7"), { awsRequestId: "out" })).rejects.toThrow(
      SIGN_IN_DENIED_MESSAGE,
    );
    await expect(handler(signIn("spa", "203.0.113.9"), { awsRequestId: "spa" })).rejects.toThrow(
      SIGN_IN_DENIED_MESSAGE,
    );

    const written = await items();
    expect(written.map((i) => i.requestId).sort()).toEqual(["out", "spa"]);
    expect(written.find((i) => i.requestId === "out")).toEqual({
      pk: "USER#7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f",
      sk: "2026-11-20T07:00:00.000Z#SIGN_IN_DENIED#out",
      dayShard: expect.stringMatching(/^DAY#2026-11-20#([0-9]|1[0-5])$/),
      at: "2026-11-20T07:00:00.000Z",
      expiresAt: now.getTime() / 1000 + 400 * 86_400,
      event: "SIGN_IN_DENIED",
      outcome: "denied",
      reason: "ip-not-allowed",
      triggerSource: "PreAuthentication_Authentication",
      userPoolId: "eu-west-1_Ab12Cd34E",
      clientId: "backend",
      userName: "taro",
      sub: "7d1f3c9e-1111-4c2b-9c55-0a4d5b6c7e8f",
      email: "taro@example.com",
      sourceIp: "198.51.100.7",
      requestId: "out",
    });
    // The public client's claimed address proves nothing, so it is not recorded as a source.
    const spa = written.find((i) => i.requestId === "spa");
    expect(spa).toMatchObject({ reason: "untrusted-client", clientId: "spa" });
    expect(spa).not.toHaveProperty("sourceIp");
  });

  it("audits a configuration failure as config-invalid in the table", async () => {
    const handler = createHandler({ ...ENV, IP_ALLOWLIST: "10.0.0.0/33" });
    await expect(handler(signIn("backend", "203.0.113.9"), { awsRequestId: "cfg" })).rejects.toThrow(
      GENERIC_USER_MESSAGE,
    );
    expect((await items()).find((i) => i.requestId === "cfg")).toMatchObject({
      event: "SIGN_IN_DENIED",
      outcome: "denied",
      reason: "config-invalid",
    });
  });
});
