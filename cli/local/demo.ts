import type { LocalSuite } from "./suite.ts";

/** The scripted walk through the suite (filled in once every handler exists). */
export async function runDemo(_suite: LocalSuite, say: (line: string) => void): Promise<number> {
  say("demo: not written yet");
  return 0;
}
