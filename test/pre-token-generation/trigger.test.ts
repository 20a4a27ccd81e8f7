import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../triggers/pre-token-generation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { tokenEvent } from "./events.ts";

const CONFIG = {
  idToken: {
    add: { app: { value: "acme-notes" }, tenant_id: { fromAttribute: "custom:tenant_id" } },
    suppress: ["phone_number"],
  },
  accessToken: {
    add: {
      tenant_id: { fromAttribute: "custom:tenant_id" },
      features: { value: ["notes", "sharing"] },
      aud: { fromClientId: true },
    },
    suppress: ["email"],
  },
  groupScopes: { editors: ["notes/write", "notes/read"], admins: ["notes/admin", "notes/write"] },
};

interface TokenClaimsPart {
  claimsToAddOrOverride?: Record<string, unknown>;
  claimsToSuppress?: string[];
  scopesToAdd?: string[];
}
/** The parts of both response shapes these tests read. */
interface TokenResponse {
  claimsOverrideDetails: TokenClaimsPart & { groupOverrideDetails?: unknown };
  claimsAndScopeOverrideDetails: {
    idTokenGeneration?: TokenClaimsPart;
    accessTokenGeneration?: TokenClaimsPart;
    groupOverrideDetails?: unknown;
  };
}

const handlerWith = (config: object) => createHandler({ CLAIMS_CONFIG: JSON.stringify(config) });
const GROUPS = {
  groupsToOverride: ["editors"],
  iamRolesToOverride: ["arn:aws:iam::123456789012:role/editors"],
  preferredRole: "arn:aws:iam::123456789012:role/editors",
};

describe("pre token generation", () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("gives a V2 event access-token claims (JSON values included) and scopes from group membership", async () => {
    const result = (await handlerWith(CONFIG)(tokenEvent("2", { groups: ["editors", "admins"] }))) as {
      response: Record<string, unknown>;
    };
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: {
          claimsToAddOrOverride: { app: "acme-notes", tenant_id: "acme-jp" },
          claimsToSuppress: ["phone_number"],
        },
        accessTokenGeneration: {
          claimsToAddOrOverride: {
            tenant_id: "acme-jp",
            features: ["notes", "sharing"],
            aud: "6a3l0kq7h2b1vgd9f8e0s4r2tn",
          },
          claimsToSuppress: ["email"],
          scopesToAdd: ["notes/write", "notes/read", "notes/admin"],
        },
        groupOverrideDetails: { ...GROUPS, groupsToOverride: ["editors", "admins"] },
      },
    });
  });

  it("does not add a scope the token already has", async () => {
    const event = tokenEvent("2");
    (event.request.scopes as string[]).push("notes/read");
    const result = (await handlerWith(CONFIG)(event)) as { response: TokenResponse };
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd).toEqual([
      "notes/write",
    ]);
  });

  it("keeps the groups by default, in V1 and V2, by copying request.groupConfiguration", async () => {
    const handler = handlerWith({ idToken: { add: { app: { value: "acme-notes" } } } });
    const v1 = (await handler(tokenEvent("1"))) as { response: TokenResponse };
    expect(v1.response.claimsOverrideDetails.groupOverrideDetails).toEqual(GROUPS);
    const v2 = (await handler(tokenEvent("2"))) as { response: TokenResponse };
    expect(v2.response.claimsAndScopeOverrideDetails.groupOverrideDetails).toEqual(GROUPS);
  });

  it("drops the groups with keepGroups false (an empty override is what removes them)", async () => {
    const result = (await handlerWith({ keepGroups: false })(tokenEvent("2"))) as {
      response: TokenResponse;
    };
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      groupOverrideDetails: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
    });
  });

  it("never gives a V1 event access-token changes, and says once per cold start that V2 is needed", async () => {
    const handler = handlerWith(CONFIG);
    for (let i = 0; i < 3; i++) {
      const result = (await handler(tokenEvent("1"))) as { response: Record<string, unknown> };
      expect(result.response).toEqual({
        claimsOverrideDetails: {
          claimsToAddOrOverride: { app: "acme-notes", tenant_id: "acme-jp" },
          claimsToSuppress: ["phone_number"],
          groupOverrideDetails: GROUPS,
        },
      });
    }
    const notices = logs.parsed().filter((line) => String(line.msg).includes("V2_0"));
    expect(notices).toEqual([
      expect.objectContaining({ level: "WARN", notApplied: ["accessToken", "groupScopes"] }),
    ]);

    // A new cold start (a new handler) says it again.
    await handlerWith(CONFIG)(tokenEvent("1"));
    expect(logs.parsed().filter((line) => String(line.msg).includes("V2_0"))).toHaveLength(2);
  });

  it("stays quiet about V2 when the configuration has nothing a V1 event cannot carry", async () => {
    await handlerWith({ idToken: { add: { app: { value: "acme-notes" } } } })(tokenEvent("1"));
    expect(logs.lines.filter((line) => line.includes("V2_0"))).toEqual([]);
  });

  it("sends JSON ID-token values (idToken.jsonValues) to V2 events and holds them back from V1 events", async () => {
    const handler = handlerWith({
      idToken: {
        jsonValues: true,
        add: { tenants: { value: ["acme-jp", "acme-us"] }, app: { value: "acme" } },
      },
    });
    const v2 = (await handler(tokenEvent("2"))) as { response: TokenResponse };
    expect(v2.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      tenants: ["acme-jp", "acme-us"],
      app: "acme",
    });
    const v1 = (await handler(tokenEvent("1"))) as { response: TokenResponse };
    expect(v1.response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({ app: "acme" });
    expect(logs.parsed().find((line) => String(line.msg).includes("V2_0"))).toMatchObject({
      notApplied: ["idToken.add.tenants (a JSON value)"],
    });
  });

  it("leaves out a claim whose attribute the user does not have", async () => {
    const event = tokenEvent("1", { attributes: { sub: "s", email: "a@example.com" } });
    const result = (await handlerWith(CONFIG)(event)) as { response: TokenResponse };
    expect(result.response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({ app: "acme-notes" });
  });

  it("leaves out claims from a null attribute or a client id that is null, a number or not a client id", async () => {
    for (const clientId of [null, 42, { id: "x" }, "", "not a client id", undefined]) {
      const event = tokenEvent("2", { attributes: { sub: "s", email: "a@example.com" } });
      (event.request.userAttributes as Record<string, unknown>)["custom:tenant_id"] = null;
      (event.callerContext as Record<string, unknown>).clientId = clientId;
      const result = (await handlerWith(CONFIG)(event)) as { response: TokenResponse };
      const details = result.response.claimsAndScopeOverrideDetails;
      expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({ app: "acme-notes" });
      expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
        features: ["notes", "sharing"],
      });
    }
  });

  it("answers with its own decision, never with claims the event's response arrived with", async () => {
    const handler = handlerWith({ idToken: { add: { app: { value: "acme-notes" } } }, keepGroups: false });
    const planted = {
      claimsToAddOrOverride: { sub: "attacker", role: "admin" },
      groupOverrideDetails: { groupsToOverride: ["admins"] },
    };
    const v1 = tokenEvent("1");
    v1.response = {
      claimsOverrideDetails: planted,
      claimsAndScopeOverrideDetails: { idTokenGeneration: planted },
    };
    expect(((await handler(v1)) as { response: unknown }).response).toEqual({
      claimsOverrideDetails: {
        claimsToAddOrOverride: { app: "acme-notes" },
        groupOverrideDetails: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      },
    });
    // Nothing to change: the decided shape is null, as Cognito pre-fills it, not what was planted.
    const quiet = handlerWith({});
    const machine = tokenEvent("3", { triggerSource: "TokenGeneration_ClientCredentials", attributes: {} });
    machine.response = {
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: ["admin"] } },
    };
    expect(((await quiet(machine)) as { response: unknown }).response).toEqual({
      claimsAndScopeOverrideDetails: null,
    });
  });

  it("answers every user TokenGeneration source in both shapes", async () => {
    const handler = handlerWith(CONFIG);
    for (const triggerSource of [
      "TokenGeneration_HostedAuth",
      "TokenGeneration_Authentication",
      "TokenGeneration_NewPasswordChallenge",
      "TokenGeneration_AuthenticateDevice",
      "TokenGeneration_RefreshTokens",
    ]) {
      const v1 = (await handler(tokenEvent("1", { triggerSource }))) as { response: Record<string, unknown> };
      expect(Object.keys(v1.response)).toEqual(["claimsOverrideDetails"]);
      const v2 = (await handler(tokenEvent("2", { triggerSource }))) as { response: TokenResponse };
      expect(v2.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd).toEqual([
        "notes/write",
        "notes/read",
      ]);
    }
  });

  it("customises only the access token of a V3 client-credentials (machine) token: no user, no groups", async () => {
    const event = tokenEvent("3", { triggerSource: "TokenGeneration_ClientCredentials", attributes: {} });
    const result = (await handlerWith(CONFIG)(event)) as { response: Record<string, unknown> };
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: { features: ["notes", "sharing"], aud: "6a3l0kq7h2b1vgd9f8e0s4r2tn" },
          claimsToSuppress: ["email"],
        },
      },
    });
  });

  it("reads the shape from the event: version first, then the V2-only request.scopes", async () => {
    const handler = handlerWith({ accessToken: { add: { app: { value: "acme" } } } });
    // Each event arrives with an empty response, so the only key afterwards is the shape written.
    const shapeOf = async (event: ReturnType<typeof tokenEvent>) =>
      Object.keys(((await handler(event)) as { response: Record<string, unknown> }).response);
    const noVersionWithScopes = { ...tokenEvent("2"), version: "0", response: {} };
    const noVersionNoScopes = { ...tokenEvent("1"), version: "0", response: {} };
    const numericVersion = { ...tokenEvent("2"), version: 2 as unknown as string, response: {} };
    expect(await shapeOf(noVersionWithScopes)).toEqual(["claimsAndScopeOverrideDetails"]);
    expect(await shapeOf(noVersionNoScopes)).toEqual(["claimsOverrideDetails"]);
    expect(await shapeOf(numericVersion)).toEqual(["claimsAndScopeOverrideDetails"]);
  });

  it("leaves the event as it came when there is nothing to change", async () => {
    const event = tokenEvent("3", { triggerSource: "TokenGeneration_ClientCredentials", attributes: {} });
    const result = await handlerWith({ idToken: { add: { app: { value: "x" } } } })(structuredClone(event));
    expect(result).toEqual(event);
  });
});
