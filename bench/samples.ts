/**
 * The sample events the bench replays: events/<trigger>/<case>.json with the configuration (`env`) of
 * <case>.expected.json beside it, and whether the sample expects the handler to refuse (`error`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../infra/bundle-options.ts";
import type { TriggerName } from "../triggers/lib/events.ts";

export interface BenchSample {
  /** `<trigger>/<case>`, e.g. "pre-sign-up/sign-up-allowed". */
  name: string;
  trigger: TriggerName;
  event: Record<string, unknown>;
  env: Record<string, string>;
  refused: boolean;
}

export const EVENTS_DIR = join(PROJECT_ROOT, "events");

export function loadSample(name: string): BenchSample {
  const [trigger, file] = name.split("/") as [TriggerName, string];
  const base = join(EVENTS_DIR, trigger, file);
  const event = JSON.parse(readFileSync(`${base}.json`, "utf8")) as Record<string, unknown>;
  const expected = JSON.parse(readFileSync(`${base}.expected.json`, "utf8")) as {
    env?: Record<string, string>;
    error?: string;
  };
  return { name, trigger, event, env: expected.env ?? {}, refused: expected.error !== undefined };
}

/** Every sample of one trigger, in name order. */
export function samplesOf(trigger: TriggerName): BenchSample[] {
  return readdirSync(join(EVENTS_DIR, trigger))
    .filter((file) => file.endsWith(".json") && !file.endsWith(".expected.json"))
    .sort()
    .map((file) => loadSample(`${trigger}/${file.slice(0, -".json".length)}`));
}
