/**
 * Every handler against the corpus of malformed and hostile events (hostile/corpus.ts), through
 * createHandler with recording stand-ins: no crash, no unhandled rejection, no prototype pollution,
 * only the messages a handler may show (the generic one for an unusable event), a returned event
 * changed only in its response (custom message, pre token generation and inbound federation: fields of
 * their own only), answers well within Cognito's budget even for megabyte strings, the planted
 * password, provider tokens and decrypted codes nowhere they could leak, the custom senders' messages
 * only to the user's own recipient and each invocation accounted for once, and metric lines that
 * carry nothing of the event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrigger } from "../../cli/triggers.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { captureStdoutMetrics } from "../support/capture-metrics.ts";
import { answer, FUNCTION_NAME, problems, recordingServices } from "./hostile/check.ts";
import { BASES, type HostileCase, hostileCorpus } from "./hostile/corpus.ts";

const corpus = hostileCorpus();
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
const prototypeKeys = () =>
  [Object.prototype, Array.prototype, String.prototype, Function.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort(),
  );
let keysBefore: string[][];

beforeAll(() => {
  keysBefore = prototypeKeys();
  process.on("unhandledRejection", recordUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", recordUnhandled);
});

async function replayCase(hostile: HostileCase, index: number): Promise<string[]> {
  const createHandler = await loadTrigger(hostile.trigger);
  if (!createHandler) return [`no handler for ${hostile.trigger}`];
  const recorded = recordingServices();
  const logs = captureLogs();
  const metrics = captureStdoutMetrics();
  try {
    // As in Lambda, so that the metric lines are written (and checked) too.
    const handler = createHandler(
      { ...hostile.env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME },
      recorded.services,
    );
    const got = await answer(handler, structuredClone(hostile.event), `hostile-${index}`);
    return problems({
      trigger: hostile.trigger,
      env: hostile.env,
      sent: hostile.event,
      got,
      logs: [...logs.lines],
      metrics: [...metrics.lines],
      writes: recorded.writes(),
      auditRecords: recorded.auditRecords(),
      delivered: recorded.delivered(),
    });
  } finally {
    metrics.restore();
    logs.restore();
  }
}

describe.each(BASES.map((b) => b.sample))("malformed variants of %s", (sample) => {
  it("are each answered as the handler promises, leaking nothing", async () => {
    const cases = corpus.filter((c) => c.name.startsWith(`${sample}: `));
    expect(cases.length).toBeGreaterThan(80);
    const failures: Record<string, string[]> = {};
    for (const [index, hostile] of cases.entries()) {
      const found = await replayCase(hostile, index);
      if (found.length > 0) failures[hostile.name] = found;
    }
    expect(failures).toEqual({});
  });
});

describe("after the whole corpus", () => {
  it("left no unhandled rejection behind", async () => {
    // Anything a handler left running gets a moment to fail.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it("polluted no prototype", () => {
    expect(prototypeKeys()).toEqual(keysBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});
