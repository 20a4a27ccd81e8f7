/**
 * The promises of hostile-events.test.ts (metric lines included), for events fast-check breaks at random: up to three parts of
 * a sample (any field, at any depth, or a new one) replaced by arbitrary JSON, prototype-pollution
 * objects, long or hostile strings, or removed. The corpus names the cases a reviewer thinks of; this
 * finds the combinations nobody listed. For a longer hunt: FUZZ_RUNS=2000 npx vitest run <this file>.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrigger } from "../../cli/triggers.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { captureStdoutMetrics } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";
import { answer, FUNCTION_NAME, problems, recordingServices } from "./hostile/check.ts";
import { BASES, plant } from "./hostile/corpus.ts";

type Json = Record<string, unknown>;
const REMOVE = Symbol("remove");

/** Every path to a value in `value`, parents first. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    [...prefix, key],
    ...paths(child, [...prefix, key]),
  ]);
}

function replaced(event: Json, path: string[], value: unknown): Json {
  const keys = [...path];
  const last = keys.pop() as string;
  let node: unknown = event;
  for (const key of keys) {
    if (node === null || typeof node !== "object") return event;
    node = (node as Json)[key];
  }
  if (node === null || typeof node !== "object") return event;
  if (value === REMOVE) delete (node as Json)[last];
  else (node as Json)[last] = value;
  return event;
}

const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("", " ", "__proto__", "constructor", "{####}", "{{code}}", "<script>", "\u202E", "\u0000"),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);
// Built from JSON text, so "__proto__" is an own key, as Lambda's parser leaves it.
const pollution = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":{"sourceIp":"203.0.113.5","email":"a@example.com","toString":"x"}}',
  )
  .map((text) => JSON.parse(text) as unknown);
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: fc.constant(REMOVE) },
  { weight: 1, arbitrary: fc.constant(null) },
);

let unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on("unhandledRejection", recordUnhandled));
afterAll(() => {
  process.off("unhandledRejection", recordUnhandled);
});

describe.each(BASES)("$sample broken at random", ({ trigger, sample }) => {
  it("is still answered as the handler promises, leaking nothing", async () => {
    unhandled = [];
    const createHandler = await loadTrigger(trigger);
    if (!createHandler) throw new Error(`no handler for ${trigger}`);
    const env = sampleExpectation(sample).env;
    const base = () => plant(sampleEvent(sample) as unknown as Json);
    const target = fc.oneof(
      fc.constantFrom(...paths(base())),
      fc
        .tuple(fc.constantFrom([], ["request"], ["request", "userAttributes"], ["response"]), fc.string())
        .map(([parent, key]) => [...parent, key]),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(target, anyValue), { minLength: 1, maxLength: 3 }),
        async (changes) => {
          const broken = changes.reduce((event, [path, value]) => replaced(event, path, value), base());
          const event = JSON.parse(JSON.stringify(broken)) as unknown;
          const recorded = recordingServices();
          const logs = captureLogs();
          const metrics = captureStdoutMetrics();
          try {
            const got = await answer(
              createHandler({ ...env, AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME }, recorded.services),
              structuredClone(event),
              `fuzz-${run++}`,
            );
            const found = problems({
              trigger,
              env,
              sent: event,
              got,
              logs: [...logs.lines],
              metrics: [...metrics.lines],
              writes: recorded.writes(),
              auditRecords: recorded.auditRecords(),
              delivered: recorded.delivered(),
            });
            expect(found).toEqual([]);
          } finally {
            metrics.restore();
            logs.restore();
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });
});
