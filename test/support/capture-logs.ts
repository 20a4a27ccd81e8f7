import { vi } from "vitest";

/** Collects every console line written while a test runs (the handlers log through console). */
export function captureLogs(): { lines: string[]; parsed(): Record<string, unknown>[]; restore(): void } {
  const lines: string[] = [];
  const spies = (["log", "debug", "info", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    }),
  );
  return {
    lines,
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
