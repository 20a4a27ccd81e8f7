import { describe, expect, it } from "vitest";
import { Progress } from "../../cli/audit/progress.ts";

function progress(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  const reporter = new Progress({
    write: (t) => written.push(t),
    isTTY,
    quietPages: 3,
    linesEvery: 2,
    clock: () => now,
  });
  return { reporter, written, tick: (ms: number) => (now += ms) };
}

describe("audit progress", () => {
  it("stays silent for a short read", () => {
    const { reporter, written } = progress(false);
    reporter.addPartitions(2);
    reporter.page(10, 5);
    reporter.page(10, 5);
    reporter.finish();
    expect(written).toEqual([]);
  });

  it("writes a line every few pages without a terminal, then the totals", () => {
    const { reporter, written, tick } = progress(false);
    reporter.addPartitions(4);
    for (let i = 0; i < 6; i++) {
      reporter.page(1000, 10);
      if (i === 1) reporter.partitionDone();
    }
    tick(2500);
    reporter.finish();
    expect(written).toEqual([
      "audit: 3 pages, 3,000 records read, 30 matched, 1/4 partitions done\n",
      "audit: 5 pages, 5,000 records read, 50 matched, 1/4 partitions done\n",
      "audit: done, 6 pages, 6,000 records read, 60 matched in 2.5 s\n",
    ]);
  });

  it("redraws one line on a terminal at most every 100 ms and clears it at the end", () => {
    const { reporter, written, tick } = progress(true);
    for (let i = 0; i < 5; i++) {
      tick(60);
      reporter.page(1, 1);
    }
    reporter.finish();
    expect(written).toEqual([
      "\r\u001b[2Kaudit: 3 pages, 3 records read, 3 matched",
      "\r\u001b[2Kaudit: 5 pages, 5 records read, 5 matched",
      "\r\u001b[2Kaudit: done, 5 pages, 5 records read, 5 matched in 0.3 s\n",
    ]);
  });
});
