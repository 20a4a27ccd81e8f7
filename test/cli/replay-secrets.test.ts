/**
 * A UserMigration event carries the user's password in clear. Replay must never print it, and no log
 * line may carry it, even from a handler that carelessly logs the request or the whole event.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { replay } from "../../cli/replay/run.ts";
import { loadTrigger } from "../../cli/triggers.ts";
import { defineTrigger } from "../../triggers/lib/define-trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";

const SAMPLE = fileURLToPath(new URL("../../events/user-migration/authentication.json", import.meta.url));
const { default: sample } = await import(SAMPLE, { with: { type: "json" } });
const PASSWORD = sample.request.password as string;

/** A deliberately careless handler: it logs the request, the event and the password field. */
const carelessMigration = defineTrigger({
  trigger: "user-migration",
  config: {},
  handle: async (event, { log }) => {
    log.info("request", { request: event.request });
    log.info("event", { event });
    log.debug("password", { password: (event.request as { password?: string }).password });
    return event;
  },
});

describe("replay keeps the migration password secret", () => {
  it.each([
    ["a careless handler", async () => carelessMigration],
    ["the real handler (when written)", loadTrigger],
  ])("with %s: not in the printed result, the JSON output or any log line", async (_, load) => {
    expect(PASSWORD.length).toBeGreaterThan(6);
    const logs = captureLogs();
    try {
      const report = await replay([SAMPLE], {
        baseEnv: { LOG_LEVEL: "DEBUG" },
        loadTrigger: async (trigger) => (trigger === "user-migration" ? load(trigger) : undefined),
      });
      const [result] = report.samples;
      if (result?.status === "pending") return;
      const { maskSecrets } = await import("../../cli/replay/secrets.ts");
      const printed = JSON.stringify(maskSecrets(result?.outcome)) + JSON.stringify(result?.mismatches);
      expect(result?.logs.length).toBeGreaterThan(0);
      expect(printed).not.toContain(PASSWORD);
      expect(result?.logs.join("\n")).not.toContain(PASSWORD);
      expect(logs.lines.join("\n")).not.toContain(PASSWORD);
    } finally {
      logs.restore();
    }
  });
});

describe("replay keeps an identity provider's tokens secret", () => {
  it("masks access_token, id_token and refresh_token of an inbound federation event in what it prints", async () => {
    const path = fileURLToPath(
      new URL("../../events/inbound-federation/oidc-google-allowed.json", import.meta.url),
    );
    const { default: event } = await import(path, { with: { type: "json" } });
    const tokens = Object.entries(event.request.attributes.tokenResponse as Record<string, string>)
      .filter(([key]) => /^(access|id|refresh)_token$/.test(key))
      .map(([, value]) => value);
    expect(tokens.length).toBeGreaterThan(0);
    const report = await replay([path], {});
    const [result] = report.samples;
    expect(result?.status).toBe("passed");
    const { maskSecrets } = await import("../../cli/replay/secrets.ts");
    const printed = JSON.stringify(maskSecrets(result?.outcome));
    expect(printed).toContain("tokenResponse");
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(6);
      expect(printed).not.toContain(token);
      expect(result?.logs.join("\n")).not.toContain(token);
    }
  });
});
