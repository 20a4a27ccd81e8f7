/**
 * Whether an email's HTML holds only markup of the kind the suite's templates write: every "<" opens a
 * tag of letters with double-quoted attributes whose values hold no quote or angle bracket (and a
 * doctype), so that no value from an event has added, ended or reopened an element or an attribute.
 */
const TAG = /<\/?[a-z][a-z0-9]*(?:\s+[a-z-]+="[^"<>]*")*\s*\/?>/g;

export function onlyTemplateMarkup(html: string): boolean {
  const rest = html.replace("<!DOCTYPE html>", "").replace(TAG, "");
  return !rest.includes("<") && !rest.includes(">");
}
