import { afterEach, describe, expect, it } from "vitest";
import { createLogger, REDACTED, redact } from "../../triggers/lib/logger.ts";
import { captureLogs } from "../support/capture-logs.ts";

describe("redaction", () => {
  it("masks passwords, tokens and secrets by key, at any depth", () => {
    const out = redact({
      request: { password: "Hunter2!", nested: { refreshToken: "r", idToken: "i", clientSecret: "s" } },
      user: "taro",
    });
    expect(out).toEqual({
      request: {
        password: REDACTED,
        nested: { refreshToken: REDACTED, idToken: REDACTED, clientSecret: REDACTED },
      },
      user: "taro",
    });
  });

  it("keeps only the keys of validationData and clientMetadata (client-controlled values)", () => {
    expect(redact({ validationData: { sourceIp: "203.0.113.9", note: "x" }, clientMetadata: null })).toEqual({
      validationData: { sourceIp: REDACTED, note: REDACTED },
      clientMetadata: null,
    });
  });

  it("never logs a whole trigger event, wherever it is nested", () => {
    const event = { triggerSource: "UserMigration_Authentication", request: { password: "p" } };
    expect(redact({ event, list: [event] })).toEqual({
      event: "[trigger event redacted]",
      list: ["[trigger event redacted]"],
    });
  });

  it("bounds long strings and deep objects", () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
    expect(JSON.stringify(redact(deep))).toContain("[too deep]");
    expect((redact("x".repeat(5000)) as string).length).toBeLessThan(2100);
  });
});

describe("logger", () => {
  let logs: ReturnType<typeof captureLogs>;
  afterEach(() => logs.restore());

  it("prints one JSON line with level, message and redacted fields", () => {
    logs = captureLogs();
    createLogger({ trigger: "user-migration" }, {}).warn("legacy lookup failed", {
      userName: "taro",
      password: "pw",
    });
    expect(logs.parsed()).toEqual([
      expect.objectContaining({
        level: "WARN",
        msg: "legacy lookup failed",
        trigger: "user-migration",
        userName: "taro",
        password: REDACTED,
      }),
    ]);
  });

  it("honours AWS_LAMBDA_LOG_LEVEL and hands objects to Lambda's JSON formatter", () => {
    logs = captureLogs();
    const log = createLogger({}, { AWS_LAMBDA_LOG_LEVEL: "WARN", AWS_LAMBDA_LOG_FORMAT: "JSON" });
    log.info("dropped");
    log.debug("dropped");
    log.error("kept", { token: "t" });
    // In Lambda's JSON format the runtime adds timestamp/level/requestId itself.
    expect(logs.lines).toEqual([JSON.stringify({ msg: "kept", token: REDACTED })]);
  });
});
