import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { AuditTrail } from "../../triggers/lib/audit/trail.ts";
import { requiredText } from "../../triggers/lib/config.ts";
import { defineTrigger } from "../../triggers/lib/define-trigger.ts";
import { GENERIC_USER_MESSAGE, UserFacingError } from "../../triggers/lib/errors.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { captureStdoutMetrics } from "../support/capture-metrics.ts";

const event = () => ({
  version: "1",
  triggerSource: "PreAuthentication_Authentication",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Ab12Cd34E",
  userName: "taro",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "client" },
  request: { userAttributes: { sub: "s-1" }, validationData: { sourceIp: "203.0.113.9" } },
  response: {},
});

let behaviour: "return" | "user-error" | "crash" = "return";
const createHandler = defineTrigger({
  trigger: "pre-authentication",
  config: { AUDIT_TABLE_NAME: requiredText() },
  handle: async (e) => {
    if (behaviour === "user-error") throw new UserFacingError("Sign-in is not allowed.");
    if (behaviour === "crash") throw new TypeError("cannot read properties of undefined (secret internals)");
    return e;
  },
  onConfigError: async (e, { services, requestId, log, metrics }) => {
    await new AuditTrail({
      tableName: "fallback",
      retentionDays: 1,
      log,
      metrics,
      store: services.auditStore,
    }).record({
      event: "SIGN_IN_DENIED",
      outcome: "denied",
      reason: "config-invalid",
      triggerSource: e.triggerSource,
      userPoolId: e.userPoolId,
      requestId,
    });
  },
});

describe("defineTrigger", () => {
  let logs: ReturnType<typeof captureLogs>;
  afterEach(() => {
    logs.restore();
    behaviour = "return";
  });

  it("returns the whole event when the handler succeeds", async () => {
    logs = captureLogs();
    const handler = createHandler({ AUDIT_TABLE_NAME: "audit" });
    await expect(handler(event(), { awsRequestId: "r" })).resolves.toEqual(event());
  });

  it("fails closed on invalid configuration: one log line naming the key, every request refused", async () => {
    logs = captureLogs();
    const auditStore = new MemoryAuditStore();
    const handler = createHandler({}, { auditStore });
    expect(logs.parsed()).toEqual([
      expect.objectContaining({ level: "ERROR", key: "AUDIT_TABLE_NAME", reason: "is required" }),
    ]);
    for (let i = 0; i < 3; i++) {
      await expect(handler(event(), { awsRequestId: `r-${i}` })).rejects.toThrow(GENERIC_USER_MESSAGE);
    }
    expect(logs.parsed().filter((l) => l.level === "ERROR")).toHaveLength(1);
    expect([...auditStore.items.values()].map((r) => r.reason)).toEqual(Array(3).fill("config-invalid"));
  });

  it("passes a user-facing error through and hides an internal one behind the generic message", async () => {
    logs = captureLogs();
    const handler = createHandler({ AUDIT_TABLE_NAME: "audit" });
    behaviour = "user-error";
    await expect(handler(event())).rejects.toThrow("Sign-in is not allowed.");
    behaviour = "crash";
    const error = await handler(event()).catch((e: Error) => e);
    expect((error as Error).message).toBe(GENERIC_USER_MESSAGE);
    const logged = logs.parsed().find((l) => l.msg === "unexpected error");
    expect(JSON.stringify(logged)).toContain("secret internals");
  });

  it.each([
    ["not an object", "just a string"],
    ["no request", { ...event(), request: undefined }],
    ["request of the wrong type", { ...event(), request: [1, 2] }],
    ["another trigger's source", { ...event(), triggerSource: "PreSignUp_SignUp" }],
    ["no userPoolId", { ...event(), userPoolId: 42 }],
  ])("refuses a malformed event (%s) with the generic message and no event in the log", async (_, bad) => {
    logs = captureLogs();
    const handler = createHandler({ AUDIT_TABLE_NAME: "audit" });
    await expect(handler(bad)).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(logs.lines.join("\n")).not.toContain("203.0.113.9");
  });

  it("accepts a missing response and unknown extra fields (Cognito may add fields)", async () => {
    logs = captureLogs();
    const handler = createHandler({ AUDIT_TABLE_NAME: "audit" });
    const { response: _, ...noResponse } = event();
    const result = (await handler({ ...noResponse, futureField: { x: 1 } })) as Record<string, unknown>;
    expect(result.response).toEqual({});
    expect(result.futureField).toEqual({ x: 1 });
  });
});

describe("defineTrigger's metrics", () => {
  const LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: "suite-PreAuthentication" };
  let logs: ReturnType<typeof captureLogs>;
  let metrics: ReturnType<typeof captureStdoutMetrics>;
  beforeEach(() => {
    logs = captureLogs();
    metrics = captureStdoutMetrics();
  });
  afterEach(() => {
    metrics.restore();
    logs.restore();
    behaviour = "return";
  });

  it("counts nothing for a request answered normally or refused with a user-facing message", async () => {
    const handler = createHandler({ ...LAMBDA, AUDIT_TABLE_NAME: "audit" });
    await handler(event());
    behaviour = "user-error";
    await expect(handler(event())).rejects.toThrow("Sign-in is not allowed.");
    expect(metrics.names()).toEqual([]);
  });

  it("counts an error that is not user-facing as UnexpectedErrors, once per request", async () => {
    const handler = createHandler({ ...LAMBDA, AUDIT_TABLE_NAME: "audit" });
    behaviour = "crash";
    await expect(handler(event())).rejects.toThrow(GENERIC_USER_MESSAGE);
    await expect(handler(event())).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(metrics.names()).toEqual(["UnexpectedErrors", "UnexpectedErrors"]);
    expect(metrics.documents()[0]?.FunctionName).toBe("suite-PreAuthentication");
    expect(metrics.lines.join("")).not.toContain("secret internals");
  });

  it("counts every request refused for invalid configuration as ConfigRefusals, not as unexpected", async () => {
    const handler = createHandler(LAMBDA, { auditStore: new MemoryAuditStore() });
    for (let i = 0; i < 2; i++) await expect(handler(event())).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(metrics.names()).toEqual(["ConfigRefusals", "ConfigRefusals"]);
  });

  it("counts a malformed event as MalformedEvents only, even when the configuration is invalid too", async () => {
    const bad = { ...event(), triggerSource: "PreSignUp_SignUp" };
    await expect(createHandler({ ...LAMBDA, AUDIT_TABLE_NAME: "audit" })(bad)).rejects.toThrow(
      GENERIC_USER_MESSAGE,
    );
    await expect(createHandler(LAMBDA)("not an event")).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(metrics.names()).toEqual(["MalformedEvents", "MalformedEvents"]);
    // The event's own text (here its triggerSource) is in the log's problem, never in the metric.
    expect(metrics.lines.join("")).not.toContain("PreSignUp_SignUp");
  });

  it("writes nothing outside Lambda (no AWS_LAMBDA_FUNCTION_NAME): replay and tests read clean output", async () => {
    behaviour = "crash";
    await expect(createHandler({ AUDIT_TABLE_NAME: "audit" })(event())).rejects.toThrow(GENERIC_USER_MESSAGE);
    await expect(createHandler({})(event())).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(metrics.lines).toEqual([]);
  });
});
