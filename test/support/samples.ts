/** The sample events of events/ and their expectations, for tests that build on them. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TriggerEvent } from "../../triggers/lib/events.ts";

export const EVENTS_DIR = fileURLToPath(new URL("../../events/", import.meta.url));

export interface SampleExpectation {
  description?: string;
  env: Record<string, string>;
  result?: TriggerEvent;
  error?: string;
  effects?: Record<string, string>[];
}

/** `name` is "<trigger>/<case>", e.g. "post-confirmation/confirm-sign-up"; each call gives a fresh copy. */
export function sampleEvent(name: string): TriggerEvent {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${name}.json`, "utf8")) as TriggerEvent;
}

export function sampleExpectation(name: string): SampleExpectation {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${name}.expected.json`, "utf8")) as SampleExpectation;
}
