/**
 * The parity matrix is one table: docs/local-pool.md shows exactly what cli/local/cognito-behaviour.ts
 * holds, every triggerSource of the ten triggers has a row, every row the local pool fires names an
 * end-to-end test that exists, and every row it cannot fire names tests and samples that exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TRIGGER_ROWS } from "../../cli/local/cognito-behaviour.ts";
import { MATRIX_END, MATRIX_START, renderParityMatrix } from "../../cli/local/parity-matrix.ts";
import { OPTIONAL_TRIGGERS, TRIGGERS } from "../../triggers/lib/events.ts";

const page = readFileSync(new URL("../../docs/local-pool.md", import.meta.url), "utf8");

describe("the parity matrix", () => {
  it("in docs/local-pool.md is the rendering of cli/local/cognito-behaviour.ts", () => {
    const start = page.indexOf(MATRIX_START);
    const end = page.indexOf(MATRIX_END);
    expect(start, "docs/local-pool.md has no parity matrix").toBeGreaterThanOrEqual(0);
    // On a difference, paste renderParityMatrix()'s output over the block.
    expect(page.slice(start, end + MATRIX_END.length)).toBe(renderParityMatrix());
  });

  it("has one row per triggerSource of the ten triggers", () => {
    const sources = Object.values(TRIGGERS).flatMap((trigger) => trigger.sources);
    expect(TRIGGER_ROWS.map((row) => row.triggerSource).sort()).toEqual([...sources].sort());
  });

  it("names, for every row the local pool fires, an end-to-end test that exists", () => {
    for (const row of TRIGGER_ROWS) {
      if (row.local.by === "none") continue;
      const match = /^(test\/e2e\/[\w.-]+\.ts)(?:: "(.+)")?/.exec(row.provenBy);
      expect(match, `${row.triggerSource}: ${row.provenBy}`).not.toBeNull();
      const file = readFileSync(new URL(`../../${match?.[1]}`, import.meta.url), "utf8");
      if (match?.[2]) expect(file, row.triggerSource).toContain(`it("${match[2]}"`);
    }
  });

  it("names, for every row no local pool fires, tests and sample folders that exist", () => {
    for (const row of TRIGGER_ROWS) {
      if (row.local.by !== "none") continue;
      const named = `${row.local.coveredBy} ${row.provenBy}`.match(/\b(?:test|events)\/[\w./-]*/g) ?? [];
      expect(named, row.triggerSource).not.toEqual([]);
      for (const path of named) {
        expect(existsSync(new URL(`../../${path}`, import.meta.url)), `${row.triggerSource}: ${path}`).toBe(
          true,
        );
      }
    }
  });

  it("fires the optional triggers' rows only on request, and the core triggers' rows always", () => {
    const optional: string[] = OPTIONAL_TRIGGERS.map((name) => TRIGGERS[name].errorPrefix);
    for (const row of TRIGGER_ROWS) {
      if (row.local.by === "none") continue;
      if (optional.includes(row.trigger)) expect(row.local.optIn, row.triggerSource).toBeDefined();
      else expect(row.local.optIn, row.triggerSource).toBeUndefined();
    }
  });
});
