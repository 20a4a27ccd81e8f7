/**
 * Cognito's placeholders in a rendered message: request.codeParameter (`{####}`, the code or temporary
 * password) and request.usernameParameter (`{username}`, AdminCreateUser). Cognito replaces their text
 * wherever it finds it, so the text is the placeholder, whatever form the request gives it (`{####}`,
 * `####`, anything an emulator sends). A user's name must never carry that text: it would put the real
 * code where the name is (or, if only one occurrence is replaced, leave the template's slot empty).
 *
 * The rule, checked on the finished text of each channel (after HTML escaping, across the name's
 * edges): with the name, a placeholder occurs exactly as often as without it, and a placeholder the
 * template requires occurs exactly once.
 */

/** How often `part` occurs in `text`, overlaps included: "###" holds "##" twice. */
export function occurrences(text: string, part: string): number {
  // The renderer refuses an empty placeholder first; this only keeps the loop finite.
  if (part === "") return 0;
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
}

/** Whether a name carries the text of any placeholder, in which case it is not used at all. */
export function carriesPlaceholder(name: string, placeholders: readonly string[]): boolean {
  return placeholders.some((placeholder) => name.includes(placeholder));
}

/**
 * A check for renderings of one text: true when a rendering has each placeholder exactly as often as
 * `neutral` (the text rendered without a name) has it, so the name added or removed none.
 */
export function sameOccurrences(neutral: string, placeholders: readonly string[]): (text: string) => boolean {
  const expected = placeholders.map((placeholder) => occurrences(neutral, placeholder));
  return (text) => placeholders.every((placeholder, i) => occurrences(text, placeholder) === expected[i]);
}
