/**
 * The text part of an email rendered from HTML templates that have none (Custom message writes only
 * HTML, for Cognito): the body's text, a paragraph or table row per line, links as "text: URL".
 * Only the suite's own templates pass through here, whose markup is simple and whose values are all
 * escaped by the renderer, so undoing exactly that escaping gives back the values as written.
 */
const HEAD = /<head[\s\S]*?<\/head>/gi;
const LINK = /<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;
const LINE_END = /<\/(?:p|div|tr|h[1-6]|li|table)>|<br\s*\/?>/gi;
const CELL_END = /<\/td>/gi;
const TAG = /<[^>]+>/g;

export function htmlToText(html: string): string {
  const text = html
    .replace(HEAD, "")
    .replace(LINK, (_, href: string, label: string) => `${label}: ${href}`)
    .replace(LINE_END, "\n")
    .replace(CELL_END, " ")
    .replace(TAG, "");
  return unescapeHtml(text)
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The inverse of lib/text/html.ts's escapeHtml; "&amp;" last, so "&amp;lt;" stays "&lt;". */
function unescapeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}
