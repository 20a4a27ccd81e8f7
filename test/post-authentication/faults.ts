/**
 * The fault scenarios shared by the dynalite-stopped and slow-write tests: the same sign-in in both
 * AUDIT_FAILURE_MODEs against an endpoint that fails, timed from the handler's call to its answer.
 */
import { expect } from "vitest";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { createHandler } from "../../triggers/post-authentication/trigger.ts";
import type { captureLogs } from "../support/capture-logs.ts";
import { expectedSignInRecord, postAuthentication } from "./events.ts";

/** Cognito waits 5 s; the suite promises an answer within about 3 s whatever AWS does. */
export const ANSWER_BUDGET_MS = 3_000;

export async function signInWhileAuditFails(
  mode: "open" | "closed",
  logs: ReturnType<typeof captureLogs>,
): Promise<{ elapsedMs: number }> {
  const now = new Date("2026-11-20T12:00:00.000Z");
  const requestId = `fault-${mode}`;
  const handler = createHandler(
    { AUDIT_TABLE_NAME: "audit", AUDIT_RETENTION_DAYS: "400", AUDIT_FAILURE_MODE: mode },
    { now: () => now },
  );
  const event = postAuthentication();
  const started = performance.now();
  const answer = await handler(structuredClone(event), { awsRequestId: requestId }).then(
    (result) => ({ result }),
    (error: Error) => ({ error: error.message }),
  );
  const elapsedMs = performance.now() - started;

  if (mode === "open") expect(answer).toEqual({ result: event });
  else expect(answer).toEqual({ error: GENERIC_USER_MESSAGE });
  // Either way nothing is lost: the whole record is on one ERROR line, ready to be replayed.
  const fallback = logs
    .parsed()
    .filter((line) => line.msg === "audit_fallback" && line.requestId === requestId);
  expect(fallback).toHaveLength(1);
  expect(fallback[0]?.level).toBe("ERROR");
  expect(fallback[0]?.record).toEqual(expectedSignInRecord(requestId, now));
  expect(elapsedMs).toBeLessThan(ANSWER_BUDGET_MS);
  return { elapsedMs };
}
