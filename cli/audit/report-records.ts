/**
 * The records behind the report's figures: the newest `--records` of the period, newest first, in
 * static pages of RECORDS_PER_PAGE rows. Paging is plain in-page anchors (#records-1, #records-2, ...):
 * every page is in the file, one after another, and the links jump between them; no script, and the
 * whole list still prints. Every value is escaped with the rest of the report (html.ts).
 */
import { type AuditItem, userLabel } from "./audit-item.ts";
import type { ClientNames } from "./client-names.ts";
import { escapeHtml } from "./html.ts";

export const RECORDS_PER_PAGE = 50;

export function renderRecords(
  items: readonly AuditItem[],
  options: { limit: number; total: number; clientNames: ClientNames },
): string {
  const n = (value: number) => value.toLocaleString("en-US");
  if (options.limit <= 0) return "";
  if (items.length === 0) {
    return `<section id="records">\n<h2>Records</h2>\n<p class="none">None in this range.</p>\n</section>`;
  }
  const pages: Array<readonly AuditItem[]> = [];
  for (let i = 0; i < items.length; i += RECORDS_PER_PAGE) pages.push(items.slice(i, i + RECORDS_PER_PAGE));
  const span = (page: number) => {
    const first = page * RECORDS_PER_PAGE + 1;
    return `${n(first)}–${n(first + (pages[page]?.length ?? 0) - 1)}`;
  };
  const which =
    items.length < options.total
      ? `The newest ${n(items.length)} of the ${n(options.total)} records behind the figures`
      : `All ${n(items.length)} records behind the figures`;
  const index = pages.map((_, p) => `<a href="#records-${p + 1}">${span(p)}</a>`).join(" ");
  const intro = `<section id="records">
<h2>Records</h2>
<p class="legend">${which}, newest first, ${RECORDS_PER_PAGE} to a page (set the number with <code>--records</code>). Times UTC.</p>
<nav class="pages" aria-label="Pages of records">Pages: ${index}</nav>
</section>`;
  const body = pages.map((page, p) => {
    const previous = p > 0 ? `<a href="#records-${p}">← ${span(p - 1)}</a>` : "";
    const next = p + 1 < pages.length ? `<a href="#records-${p + 2}">${span(p + 1)} →</a>` : "";
    const nav = [previous, `<a href="#records">all pages</a>`, next].filter(Boolean).join(" · ");
    const rows = page.map((item) => recordRow(item, options.clientNames)).join("\n");
    return `<section id="records-${p + 1}" class="records-page" data-page="${p + 1}" data-rows="${page.length}">
<h3>Records ${span(p)} of ${n(items.length)}</h3>
<table class="records"><thead><tr><th>Time</th><th>Event</th><th>Outcome</th><th>Reason</th><th>User</th><th>Email</th><th>App client</th><th>Source IP</th></tr></thead><tbody>
${rows}
</tbody></table>
<nav class="pages" aria-label="Page ${p + 1} of ${pages.length}">${nav}</nav>
</section>`;
  });
  return [intro, ...body].join("\n");
}

function recordRow(item: AuditItem, clientNames: ClientNames): string {
  const cell = (text: string | undefined) => `<td>${escapeHtml(text ?? "")}</td>`;
  const user = userLabel(item);
  // The sub under the name, shortened (the whole sub is its tooltip): names are what people scan for.
  const sub =
    item.sub !== undefined && item.sub !== user
      ? `<br><span class="sub" title="sub ${escapeHtml(item.sub)}">${escapeHtml(item.sub.length > 13 ? `${item.sub.slice(0, 8)}…` : item.sub)}</span>`
      : "";
  const outcome = ["success", "denied", "failure"].includes(item.outcome) ? ` class="${item.outcome}"` : "";
  return `<tr${outcome}><td class="time">${escapeHtml(`${item.at.slice(0, 10)} ${item.at.slice(11, 19)}`)}</td>${cell(item.event)}${cell(item.outcome)}${cell(item.reason)}<td>${escapeHtml(user)}${sub}</td>${cell(item.email)}<td>${clientCell(item.clientId, clientNames)}</td>${cell(item.sourceIp)}</tr>`;
}

/** The client id, and its name next to it when one is known. Escaped. */
export function clientCell(clientId: string | undefined, clientNames: ClientNames): string {
  if (clientId === undefined) return "";
  const name = clientNames.get(clientId);
  return name === undefined
    ? escapeHtml(clientId)
    : `${escapeHtml(clientId)} <span class="client-name">${escapeHtml(name)}</span>`;
}
