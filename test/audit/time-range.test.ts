import { describe, expect, it } from "vitest";
import { daysNewestFirst, isoBounds, parseInstant, parseRange } from "../../cli/audit/time-range.ts";
import { UsageError } from "../../cli/usage-error.ts";

const NOW = new Date("2026-05-10T12:00:00.000Z");
const iso = (text: string) => parseInstant(text, NOW, "--since").toISOString();

describe("audit time range", () => {
  it("reads durations back from now", () => {
    expect(iso("now")).toBe("2026-05-10T12:00:00.000Z");
    expect(iso("45s")).toBe("2026-05-10T11:59:15.000Z");
    expect(iso("90m")).toBe("2026-05-10T10:30:00.000Z");
    expect(iso("24h")).toBe("2026-05-09T12:00:00.000Z");
    expect(iso("7d")).toBe("2026-05-03T12:00:00.000Z");
    expect(iso("2w")).toBe("2026-04-26T12:00:00.000Z");
  });

  it("reads ISO-8601 dates and times, UTC unless a zone is given", () => {
    expect(iso("2026-05-01")).toBe("2026-05-01T00:00:00.000Z");
    expect(iso("2026-05-01T09:30")).toBe("2026-05-01T09:30:00.000Z");
    expect(iso("2026-05-01 09:30:15.5")).toBe("2026-05-01T09:30:15.500Z");
    expect(iso("2026-05-01T09:30:00+09:00")).toBe("2026-05-01T00:30:00.000Z");
    expect(iso("2026-05-01T09:30:00-0130")).toBe("2026-05-01T11:00:00.000Z");
    expect(iso("2026-05-01T09:30:00.123456789z")).toBe("2026-05-01T09:30:00.123Z");
  });

  it("rejects what is not a time, with the option named", () => {
    for (const text of [
      "yesterday",
      "24",
      "h",
      "-1d",
      "1y",
      "2026-5-1",
      "2026-02-29",
      "2026-04-31",
      "2026-05-01T24:00",
      "2026-05-01T12:60",
    ]) {
      expect(() => parseInstant(text, NOW, "--until"), text).toThrow(UsageError);
      expect(() => parseInstant(text, NOW, "--until"), text).toThrow(/^--until /);
    }
    expect(iso("2028-02-29")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("makes a half-open range, since before until, at most ten years", () => {
    const range = parseRange({ since: "2026-05-09", until: "2026-05-10" }, NOW, "24h");
    expect(isoBounds(range)).toEqual({ from: "2026-05-09T00:00:00.000Z", to: "2026-05-09T23:59:59.999Z" });
    expect(parseRange({}, NOW, "30d").since.toISOString()).toBe("2026-04-10T12:00:00.000Z");
    expect(() => parseRange({ since: "2026-05-10", until: "2026-05-10" }, NOW, "24h")).toThrow(
      /must be before/,
    );
    expect(() => parseRange({ since: "3651d" }, NOW, "24h")).toThrow(/longer than 3650 days/);
  });

  it("lists the UTC days a range touches, newest first, each clipped to the range", () => {
    const days = daysNewestFirst(
      parseRange({ since: "2026-05-08T22:00Z", until: "2026-05-10T01:00Z" }, NOW, "24h"),
    );
    expect(days).toEqual([
      { day: "2026-05-10", from: "2026-05-10T00:00:00.000Z", to: "2026-05-10T00:59:59.999Z" },
      { day: "2026-05-09", from: "2026-05-09T00:00:00.000Z", to: "2026-05-09T23:59:59.999Z" },
      { day: "2026-05-08", from: "2026-05-08T22:00:00.000Z", to: "2026-05-08T23:59:59.999Z" },
    ]);
    // Ending exactly at midnight does not touch the next day.
    expect(
      daysNewestFirst(parseRange({ since: "2026-05-09", until: "2026-05-10" }, NOW, "24h")),
    ).toHaveLength(1);
  });
});
