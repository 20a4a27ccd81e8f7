/**
 * The email gate of every federated sign-in: Pre sign-up's domain policy, judged here before Cognito
 * creates or updates the profile. A refusal is one message that reveals nothing, a FederationDenied
 * metric by reason, and a FEDERATION_DENIED record, written to a real DynamoDB stand-in (dynalite)
 * through the default store; a failed write leaves the refusal standing.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler, FEDERATION_REFUSED_MESSAGE } from "../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { SIGN_UP_REFUSED_MESSAGE } from "../../triggers/pre-sign-up/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const TABLE = "inbound-federation-audit";
const FUNCTION = "suite-InboundFederation-Q9w8";
const GOOGLE = "inbound-federation/oidc-google-allowed";
const ENV = {
  ...sampleExpectation(GOOGLE).env,
  AUDIT_TABLE_NAME: TABLE,
  AWS_LAMBDA_FUNCTION_NAME: FUNCTION,
};

type Attributes = Record<string, string>;
interface FederationEvent {
  userName: string;
  request: { attributes: { idToken?: Attributes; userInfo?: Attributes } };
}

/** The Google sample with `email` as the address in both the ID token and userInfo (none when undefined). */
function withEmail(email: string | undefined): FederationEvent {
  const event = sampleEvent(GOOGLE) as unknown as FederationEvent;
  for (const source of [event.request.attributes.idToken, event.request.attributes.userInfo]) {
    if (!source) continue;
    if (email === undefined) delete source.email;
    else source.email = email;
  }
  return event;
}

const output = captureOutputOfEachTest();

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createAuditTable(dynamo.client, TABLE);
});
afterAll(async () => dynamo.stop());

async function auditItems(): Promise<Record<string, unknown>[]> {
  const scan = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
  return (scan.Items ?? []).map((item) => unmarshall(item));
}

describe("a refused federated sign-in", () => {
  it.each([
    ["visitor@guest.example.co.jp", "domain-blocked"],
    ["eve@example.com.evil.io", "domain-not-allowed"],
    ["kenji@exаmple.com", "domain-not-allowed"], // Cyrillic а: another domain in ASCII form
    ["a@b@example.com", "email-invalid"],
    ["ken\u200Dji@example.com", "email-invalid"],
    ["   ", "email-missing"],
    [undefined, "email-missing"],
  ])(
    "%j: the same message, FederationDenied/%s, and a FEDERATION_DENIED item in the table",
    async (email, reason) => {
      const requestId = `req-${reason}-${String(email).length}`;
      const event = withEmail(email);
      await expect(createHandler(ENV)(event, { awsRequestId: requestId })).rejects.toMatchObject({
        name: "UserFacingError",
        message: FEDERATION_REFUSED_MESSAGE,
      });
      expect(output.metrics.documents()).toEqual([emfDocument("FederationDenied", FUNCTION, reason)]);
      const item = (await auditItems()).find((i) => i.requestId === requestId);
      expect(item).toEqual({
        pk: `USER#${event.userName}`,
        sk: expect.stringMatching(new RegExp(`#FEDERATION_DENIED#${requestId}$`)),
        dayShard: expect.stringMatching(/^DAY#\d{4}-\d{2}-\d{2}#\d+$/),
        at: expect.any(String),
        expiresAt: expect.any(Number),
        event: "FEDERATION_DENIED",
        outcome: "denied",
        reason,
        triggerSource: "InboundFederation_ExternalProvider",
        userPoolId: sampleEvent(GOOGLE).userPoolId,
        clientId: sampleEvent(GOOGLE).callerContext.clientId,
        userName: event.userName,
        requestId,
        ...(email?.trim() ? { email: email.trim() } : {}),
      });
      expect(output.logs.parsed()).toContainEqual(
        expect.objectContaining({
          level: "INFO",
          msg: "federated sign-in refused",
          reason,
          providerType: "Google",
        }),
      );
    },
  );

  it("is told in words that name nothing about the lists, like Pre sign-up's, and without a final period", () => {
    expect(FEDERATION_REFUSED_MESSAGE).not.toMatch(/\.$|domain|allow|block|list/i);
    expect(FEDERATION_REFUSED_MESSAGE.replace("Sign-in", "Sign-up")).toBe(SIGN_UP_REFUSED_MESSAGE);
  });

  it("stands when the audit write fails: the record goes to the audit_fallback line", async () => {
    const failing = { put: async () => Promise.reject(new Error("table unavailable")) };
    await expect(createHandler(ENV, { auditStore: failing })(withEmail("eve@evil.io"))).rejects.toThrow(
      FEDERATION_REFUSED_MESSAGE,
    );
    expect(output.logs.parsed().find((line) => line.msg === "audit_fallback")).toMatchObject({
      record: { event: "FEDERATION_DENIED", reason: "domain-not-allowed" },
    });
    expect(output.metrics.names()).toEqual(["AuditFallbacks", "FederationDenied/domain-not-allowed"]);
  });

  it("runs for a returning user too: the gate is every federated sign-in, not only the first", async () => {
    // Cognito sends the same event for a new and a returning federated user; one that was admitted
    // once is refused once its domain is blocked.
    const event = withEmail("kenji@example.com");
    await expect(createHandler(ENV, { auditStore: new MemoryAuditStore() })(event)).resolves.toBeDefined();
    const blocked = { ...ENV, BLOCKED_EMAIL_DOMAINS: "example.com" };
    await expect(
      createHandler(blocked, { auditStore: new MemoryAuditStore() })(withEmail("kenji@example.com")),
    ).rejects.toThrow(FEDERATION_REFUSED_MESSAGE);
  });
});

describe("an admitted federated sign-in", () => {
  it("writes no audit record and counts no metric", async () => {
    const auditStore = new MemoryAuditStore();
    await createHandler(ENV, { auditStore })(sampleEvent(GOOGLE));
    expect(auditStore.items.size).toBe(0);
    expect(output.metrics.names()).toEqual([]);
  });
});

describe("a configuration refusal", () => {
  it("is counted as ConfigRefusals, not as a policy denial, and audited as config-invalid in the table", async () => {
    const broken = { ...ENV, FEDERATION_ATTRIBUTE_MAP: '{"email": "email", "identities": "identities"}' };
    await expect(createHandler(broken)(sampleEvent(GOOGLE), { awsRequestId: "req-config" })).rejects.toThrow(
      GENERIC_USER_MESSAGE,
    );
    expect(output.metrics.names()).toEqual(["ConfigRefusals"]);
    expect((await auditItems()).find((i) => i.requestId === "req-config")).toMatchObject({
      event: "FEDERATION_DENIED",
      reason: "config-invalid",
    });
  });
});
