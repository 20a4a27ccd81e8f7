/**
 * The audit table's endpoint is down (dynalite started, then stopped): the handler's real client gets
 * connection refused. Open mode lets the sign-in through, closed mode fails it; both answer in time
 * and leave the whole record on the audit_fallback log line.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { captureLogs } from "../support/capture-logs.ts";
import { startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { signInWhileAuditFails } from "./faults.ts";

describe("post authentication with the audit table unreachable", () => {
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    const dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await dynamo.stop();
    logs = captureLogs();
  });
  afterAll(() => logs.restore());

  it("AUDIT_FAILURE_MODE=open: the sign-in proceeds and the record is logged", async ({ annotate }) => {
    const { elapsedMs } = await signInWhileAuditFails("open", logs);
    await annotate(`answered in ${Math.round(elapsedMs)} ms`);
  });

  it("AUDIT_FAILURE_MODE=closed: the sign-in fails with the generic message and the record is logged", async ({
    annotate,
  }) => {
    const { elapsedMs } = await signInWhileAuditFails("closed", logs);
    await annotate(`answered in ${Math.round(elapsedMs)} ms`);
  });
});
