/** Escaping for the HTML report: every value from the table passes through `escapeHtml`. */
import { forTerminal } from "./safe-text.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and quoted attributes; control and bidi characters made visible. */
export function escapeHtml(text: string): string {
  return forTerminal(text).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
