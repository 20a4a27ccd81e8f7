/**
 * The pre authentication handler end to end with the in-memory audit store: who is let through, that
 * every denial gives the same answer and one audit record with its reason, and fail-closed configuration.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { SIGN_IN_DENIED_MESSAGE } from "../../triggers/pre-authentication/denial.ts";
import { createHandler } from "../../triggers/pre-authentication/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";

const TRUSTED = "1h2j3k4l5m6n7o8p9q0r1s2t3u";
const PUBLIC = "6a3l0kq7h2b1vgd9f8e0s4r2tn";
const NOW = new Date("2026-11-20T08:30:00.000Z");

const ENV = {
  IP_ALLOWLIST: "203.0.113.0/24,2001:db8:1234::/48",
  IP_TRUSTED_CLIENT_IDS: `${TRUSTED},backend2`,
  IP_UNTRUSTED_CLIENT_POLICY: "deny",
  AUDIT_TABLE_NAME: "audit",
  AUDIT_RETENTION_DAYS: "30",
};

function signIn(options: { clientId?: string; validationData?: unknown; userNotFound?: boolean } = {}) {
  const clientId = "clientId" in options ? options.clientId : TRUSTED;
  const { validationData = { sourceIp: "203.0.113.25" }, userNotFound = false } = options;
  return {
    version: "1",
    triggerSource: "PreAuthentication_Authentication",
    region: "ap-northeast-1",
    userPoolId: "ap-northeast-1_Ab12Cd34E",
    userName: userNotFound ? "nobody@example.com" : "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
    request: {
      userAttributes: userNotFound
        ? {}
        : {
            sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
            email: "alex.morgan@example.com",
            email_verified: "true",
          },
      validationData,
      userNotFound,
    },
    response: {},
  };
}

function setUp(env: Record<string, string> = ENV, store: AuditStore = new MemoryAuditStore()) {
  const handler = createHandler(env, { auditStore: store, now: () => NOW });
  const records = () => (store instanceof MemoryAuditStore ? [...store.items.values()] : []);
  let invocations = 0;
  const answer = async (event: unknown) => {
    invocations += 1;
    try {
      return { result: await handler(event, { awsRequestId: `req-${invocations}` }) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  return { answer, records };
}

let logs: ReturnType<typeof captureLogs>;
afterEach(() => logs?.restore());

describe("who signs in", () => {
  it.each([
    ["an IPv4 address in the list", { sourceIp: "203.0.113.25" }],
    ["an IPv6 address in the list", { sourceIp: "2001:db8:1234:5::17" }],
    ["an IPv4-mapped address in the list", { sourceIp: "::ffff:203.0.113.5" }],
    ["the hex form of a mapped address in the list", { sourceIp: "::ffff:cb00:7105" }],
  ])("a trusted client with %s: the event comes back unchanged and nothing is written", async (_, data) => {
    logs = captureLogs();
    const { answer, records } = setUp();
    const event = signIn({ validationData: data });
    expect(await answer(structuredClone(event))).toEqual({ result: event });
    expect(records()).toEqual([]);
    expect(logs.parsed().filter((l) => l.level !== "DEBUG")).toEqual([]);
  });

  it("an untrusted client is let through without a check only under IP_UNTRUSTED_CLIENT_POLICY=allow", async () => {
    logs = captureLogs();
    const { answer, records } = setUp({ ...ENV, IP_UNTRUSTED_CLIENT_POLICY: "allow" });
    for (const validationData of [null, { sourceIp: "198.51.100.7" }, { sourceIp: "garbage" }]) {
      const event = signIn({ clientId: PUBLIC, validationData });
      expect(await answer(structuredClone(event))).toEqual({ result: event });
    }
    expect(records()).toEqual([]);
  });

  it("policy allow does not soften the checks for trusted clients", async () => {
    logs = captureLogs();
    const { answer, records } = setUp({ ...ENV, IP_UNTRUSTED_CLIENT_POLICY: "allow" });
    expect(await answer(signIn({ validationData: { sourceIp: "198.51.100.7" } }))).toEqual({
      error: SIGN_IN_DENIED_MESSAGE,
    });
    expect(await answer(signIn({ validationData: null }))).toEqual({ error: SIGN_IN_DENIED_MESSAGE });
    expect(records().map((r) => r.reason)).toEqual(["ip-not-allowed", "ip-missing"]);
  });

  it("with IP_ALLOWLIST empty the check is off: anyone continues, and no audit table is needed", async () => {
    logs = captureLogs();
    const { AUDIT_TABLE_NAME: _, ...withoutTable } = ENV;
    const { answer, records } = setUp({ ...withoutTable, IP_ALLOWLIST: "" });
    for (const event of [
      signIn({ clientId: PUBLIC, validationData: null }),
      signIn({ validationData: { sourceIp: "x" } }),
    ]) {
      expect(await answer(structuredClone(event))).toEqual({ result: event });
    }
    expect(records()).toEqual([]);
    // Said once, at cold start, because the other IP settings suggest a list was meant.
    expect(logs.parsed()).toEqual([
      expect.objectContaining({
        level: "WARN",
        msg: expect.stringContaining("IP allowlist is off"),
        ignoredKeys: ["IP_TRUSTED_CLIENT_IDS", "IP_UNTRUSTED_CLIENT_POLICY"],
      }),
    ]);
  });
});

describe("every denial", () => {
  const cases = [
    [
      "untrusted-client",
      signIn({ clientId: PUBLIC, validationData: { sourceIp: "203.0.113.25" } }),
      undefined,
    ],
    [
      "untrusted-client",
      signIn({ clientId: undefined, validationData: { sourceIp: "203.0.113.25" } }),
      undefined,
    ],
    ["ip-missing", signIn({ validationData: null }), undefined],
    ["ip-missing", signIn({ validationData: {} }), undefined],
    ["ip-missing", signIn({ validationData: { sourceIp: "" } }), undefined],
    ["ip-malformed", signIn({ validationData: { sourceIp: "203.0.113.256" } }), undefined],
    ["ip-malformed", signIn({ validationData: { sourceIp: "203.0.113.25:443" } }), undefined],
    ["ip-malformed", signIn({ validationData: { sourceIp: "203.0.113.25, 10.0.0.1" } }), undefined],
    ["ip-malformed", signIn({ validationData: { sourceIp: "fe80::1%eth0" } }), undefined],
    ["ip-malformed", signIn({ validationData: { sourceIp: 3405803801 } }), undefined],
    ["ip-not-allowed", signIn({ validationData: { sourceIp: "198.51.100.7" } }), "198.51.100.7"],
    ["ip-not-allowed", signIn({ validationData: { sourceIp: "::ffff:198.51.100.7" } }), "198.51.100.7"],
    ["ip-not-allowed", signIn({ validationData: { sourceIp: "2001:DB8:1235::1" } }), "2001:db8:1235::1"],
  ] as const;

  it.each(cases)(
    "%s: the one message, and one SIGN_IN_DENIED record with the reason",
    async (reason, event, sourceIp) => {
      logs = captureLogs();
      const { answer, records } = setUp();
      expect(await answer(event)).toEqual({ error: SIGN_IN_DENIED_MESSAGE });
      expect(records()).toEqual([
        {
          tableName: "audit",
          pk: "USER#0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
          sk: "2026-11-20T08:30:00.000Z#SIGN_IN_DENIED#req-1",
          dayShard: expect.stringMatching(/^DAY#2026-11-20#\d+$/),
          at: "2026-11-20T08:30:00.000Z",
          expiresAt: NOW.getTime() / 1000 + 30 * 86_400,
          event: "SIGN_IN_DENIED",
          outcome: "denied",
          reason,
          triggerSource: "PreAuthentication_Authentication",
          userPoolId: "ap-northeast-1_Ab12Cd34E",
          clientId: event.callerContext.clientId,
          userName: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
          sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
          email: "alex.morgan@example.com",
          requestId: "req-1",
          // Only an address from a trusted client, valid, in the form it was compared in.
          ...(sourceIp ? { sourceIp } : {}),
        },
      ]);
      expect(logs.parsed()).toEqual([
        expect.objectContaining({ level: "WARN", msg: "sign-in denied", reason }),
      ]);
    },
  );

  it("ends without a period (Cognito adds one) and says nothing about lists, clients or addresses", () => {
    expect(SIGN_IN_DENIED_MESSAGE).toBe(
      "Sign-in is not allowed. Contact your administrator if you need access",
    );
  });

  it("answers an unknown user (userNotFound) exactly as a known one, allowed or denied", async () => {
    logs = captureLogs();
    const { answer, records } = setUp();
    for (const validationData of [
      { sourceIp: "203.0.113.40" },
      { sourceIp: "198.51.100.7" },
      null,
      { sourceIp: "x" },
    ]) {
      const known = await answer(signIn({ validationData }));
      const unknown = await answer(signIn({ validationData, userNotFound: true }));
      expect("error" in unknown).toBe("error" in known);
      if ("error" in known) expect(unknown.error).toBe(known.error);
    }
    for (const clientId of [PUBLIC, TRUSTED]) {
      const known = await answer(signIn({ clientId, validationData: { sourceIp: "198.51.100.7" } }));
      const unknown = await answer(
        signIn({ clientId, userNotFound: true, validationData: { sourceIp: "198.51.100.7" } }),
      );
      expect(unknown).toEqual(known);
    }
    // The unknown user's denials are audited under the name that was typed.
    expect(
      records()
        .filter((r) => r.pk === "USER#nobody@example.com")
        .map((r) => r.reason),
    ).toEqual(["ip-not-allowed", "ip-missing", "ip-malformed", "untrusted-client", "ip-not-allowed"]);
  });

  it("stands when the audit write fails, and the record goes to the audit_fallback log line", async () => {
    logs = captureLogs();
    const failing: AuditStore = {
      put: async () => Promise.reject(new Error("ProvisionedThroughputExceeded")),
    };
    const { answer } = setUp(ENV, failing);
    expect(await answer(signIn({ validationData: { sourceIp: "198.51.100.7" } }))).toEqual({
      error: SIGN_IN_DENIED_MESSAGE,
    });
    const fallback = logs.parsed().find((l) => l.msg === "audit_fallback");
    expect(fallback?.record).toMatchObject({
      event: "SIGN_IN_DENIED",
      reason: "ip-not-allowed",
      sourceIp: "198.51.100.7",
    });
  });
});

describe("invalid configuration fails closed and is audited as config-invalid", () => {
  it.each([
    ["IP_ALLOWLIST", { IP_ALLOWLIST: "203.0.113.0/24,10.0.0.0/33" }],
    ["IP_ALLOWLIST", { IP_ALLOWLIST: "203.0.113.77/24" }],
    ["IP_ALLOWLIST", { IP_ALLOWLIST: "," }],
    ["IP_TRUSTED_CLIENT_IDS", { IP_TRUSTED_CLIENT_IDS: `"${TRUSTED}"` }],
    ["IP_UNTRUSTED_CLIENT_POLICY", { IP_UNTRUSTED_CLIENT_POLICY: "permit" }],
  ])("%s: every sign-in, even an allowed one, gets the generic message", async (key, broken) => {
    logs = captureLogs();
    const { answer, records } = setUp({ ...ENV, ...broken });
    expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key })]);
    expect(await answer(signIn())).toEqual({ error: GENERIC_USER_MESSAGE });
    expect(await answer(signIn({ userNotFound: true }))).toEqual({ error: GENERIC_USER_MESSAGE });
    expect(records().map((r) => [r.event, r.reason, r.expiresAt])).toEqual(
      Array(2).fill(["SIGN_IN_DENIED", "config-invalid", NOW.getTime() / 1000 + 30 * 86_400]),
    );
  });

  it("AUDIT_RETENTION_DAYS broken: still written to the table, with the default retention", async () => {
    logs = captureLogs();
    const { answer, records } = setUp({ ...ENV, AUDIT_RETENTION_DAYS: "forever" });
    expect(await answer(signIn())).toEqual({ error: GENERIC_USER_MESSAGE });
    expect(records().map((r) => [r.reason, r.expiresAt])).toEqual([
      ["config-invalid", NOW.getTime() / 1000 + 400 * 86_400],
    ]);
  });

  it("AUDIT_TABLE_NAME missing while a list is set: the record goes to the audit_fallback log line", async () => {
    logs = captureLogs();
    const { AUDIT_TABLE_NAME: _, ...withoutTable } = ENV;
    const { answer, records } = setUp(withoutTable);
    expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key: "AUDIT_TABLE_NAME" })]);
    expect(await answer(signIn())).toEqual({ error: GENERIC_USER_MESSAGE });
    expect(records()).toEqual([]);
    const fallback = logs.parsed().find((l) => l.msg === "audit_fallback");
    expect(fallback).toMatchObject({
      level: "ERROR",
      record: {
        pk: "USER#0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
        sk: "2026-11-20T08:30:00.000Z#SIGN_IN_DENIED#req-1",
        event: "SIGN_IN_DENIED",
        outcome: "denied",
        reason: "config-invalid",
        clientId: TRUSTED,
        expiresAt: NOW.getTime() / 1000 + 30 * 86_400,
      },
      cause: { message: "AUDIT_TABLE_NAME is not set" },
    });
  });
});
