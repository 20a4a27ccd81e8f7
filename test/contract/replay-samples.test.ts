/**
 * The contract test: every sample in events/ is replayed through the same code path as
 * `cognito-triggers replay` and must give its expected result. Samples whose handler is not written
 * yet are reported as pending (skipped), never silently passed.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { replay } from "../../cli/replay/run.ts";
import { TRIGGERS } from "../../triggers/lib/events.ts";

const EVENTS_DIR = fileURLToPath(new URL("../../events/", import.meta.url));
// A clean environment: the samples' own "env" is their whole configuration.
const report = await replay([EVENTS_DIR], { baseEnv: { AWS_REGION: "eu-west-1" } });

describe("sample events", () => {
  it("are all usable: JSON, a known triggerSource, a well-formed expectation", () => {
    expect(report.unusable).toEqual([]);
  });

  it("cover every triggerSource, each with an expected result", () => {
    const covered = new Set(report.samples.map((s) => s.triggerSource));
    const all = Object.values(TRIGGERS).flatMap((t) => t.sources);
    expect(all.filter((source) => !covered.has(source))).toEqual([]);
    expect(report.samples.filter((s) => s.status === "returned" || s.status === "rejected")).toEqual([]);
  });

  it("include V1 and V2 forms of every user token source", () => {
    const versions = (source: string) =>
      report.samples
        .filter((s) => s.triggerSource === source)
        .map((s) => s.path)
        .join(" ");
    for (const source of TRIGGERS["pre-token-generation"].sources.filter(
      (s) => s !== "TokenGeneration_ClientCredentials",
    )) {
      expect(versions(source)).toMatch(/-v1\.json/);
      expect(versions(source)).toMatch(/-v2\.json/);
    }
  });
});

describe.each(report.samples.map((s) => [s.path.slice(EVENTS_DIR.length), s] as const))("%s", (_, sample) => {
  it.skipIf(sample.status === "pending")("replays to its expected result", () => {
    expect(sample.mismatches).toEqual([]);
    expect(sample.status).toBe("passed");
  });
});
