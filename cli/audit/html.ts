/** Escaping for the HTML report: every value from the table passes through `escapeHtml`. */
import { escapeHtml as escapeEntities } from "../../triggers/lib/text/html.ts";
import { forTerminal } from "./safe-text.ts";

/** Text safe in element content and quoted attributes; control and bidi characters made visible. */
export function escapeHtml(text: string): string {
  return escapeEntities(forTerminal(text));
}
