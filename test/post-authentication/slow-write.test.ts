/**
 * The audit write is slower than its budget: the endpoint accepts the request and never answers.
 * The handler must stop waiting on its own (SDK timeouts, then the 2.5 s budget) and answer in time in
 * both failure modes, with the whole record on the audit_fallback log line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs } from "../support/capture-logs.ts";
import { useLocalAwsEnv } from "../support/dynalite.ts";
import { signInWhileAuditFails } from "./faults.ts";
import { type LocalServer, startSilentServer } from "./local-servers.ts";

describe("post authentication with an audit write that never completes", () => {
  let silent: LocalServer;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    silent = await startSilentServer();
    useLocalAwsEnv(silent.endpoint);
    logs = captureLogs();
  });
  afterAll(async () => {
    logs.restore();
    await silent.stop();
  });

  it.for(["open", "closed"] as const)(
    "AUDIT_FAILURE_MODE=%s answers within the budget",
    async (mode, { annotate }) => {
      const before = silent.operations.length;
      const { elapsedMs } = await signInWhileAuditFails(mode, logs);
      await annotate(`answered in ${Math.round(elapsedMs)} ms`);
      // The PutItem really reached the slow server (and nothing else was asked of it).
      const seen = silent.operations.slice(before);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set(["DynamoDB_20120810.PutItem"]));
    },
  );
});
