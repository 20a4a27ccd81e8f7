/** CSV, JSON and terminal output of values an attacker chose. */
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../cli/audit/csv.ts";
import { escapeHtml } from "../../cli/audit/html.ts";
import { forTerminal, safeJson } from "../../cli/audit/safe-text.ts";
import { parseCsv } from "./model.ts";

describe("CSV cells", () => {
  it("quote what RFC 4180 requires and nothing else", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("")).toBe("");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(
      toCsv([
        ["a", "b"],
        ["1", "x,y"],
      ]),
    ).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it("defuse every formula start a spreadsheet would evaluate", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell("＝1+1")).toBe("'＝1+1");
    expect(csvCell("a=1")).toBe("a=1");
    expect(csvCell("2001:db8::1")).toBe("2001:db8::1");
  });

  it("round-trip through an independent parser", () => {
    const rows = [
      ["at", "userName"],
      ["2026-05-10T11:30:00.000Z", '=cmd|" /C calc"!A0, "x"'],
      ["", "line\r\nbreak"],
    ];
    expect(parseCsv(toCsv(rows))).toEqual([
      rows[0],
      ["2026-05-10T11:30:00.000Z", `'=cmd|" /C calc"!A0, "x"`],
      rows[2],
    ]);
  });

  it("show terminal controls instead of passing them", () => {
    expect(csvCell("\u001b[31mred")).toBe("\\u001b[31mred");
    expect(csvCell("evil\u202eexe.txt")).toBe("evil\\u202eexe.txt");
  });
});

describe("terminal, JSON and HTML text", () => {
  it("terminal text shows controls, bidi overrides and line breaks as \\u escapes", () => {
    expect(forTerminal("a\u001b[2Jb\u009bc\u202ed\u2066e\nf")).toBe(
      "a\\u001b[2Jb\\u009bc\\u202ed\\u2066e\\u000af",
    );
    expect(forTerminal("日本語 ok")).toBe("日本語 ok");
  });

  it("JSON stays valid and lossless with C1 and bidi characters escaped", () => {
    const value = { name: "x\u009b\u202e\u2028y\u0007", n: 1 };
    const text = safeJson(value, 2);
    expect(text).not.toMatch(/[\u009b\u202e\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("HTML text escapes markup and quotes", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;",
    );
  });
});
