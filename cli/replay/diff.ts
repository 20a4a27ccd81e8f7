/**
 * A structural diff of two JSON values, one line per differing path, e.g.
 *   response.autoConfirmUser: expected true, got false
 * Enough to read a mismatch between a sample's expected result and what the handler returned.
 */
export function jsonDiff(expected: unknown, actual: unknown, path = ""): string[] {
  if (Object.is(expected, actual)) return [];
  const here = path === "" ? "(root)" : path;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const lines: string[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) lines.push(`${here}[${i}]: unexpected ${show(actual[i])}`);
      else if (i >= actual.length) lines.push(`${here}[${i}]: missing, expected ${show(expected[i])}`);
      else lines.push(...jsonDiff(expected[i], actual[i], `${path}[${i}]`));
    }
    return lines;
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const lines: string[] = [];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const child = path === "" ? key : `${path}.${key}`;
      if (!(key in actual)) lines.push(`${child}: missing, expected ${show(expected[key])}`);
      else if (!(key in expected)) lines.push(`${child}: unexpected ${show(actual[key])}`);
      else lines.push(...jsonDiff(expected[key], actual[key], child));
    }
    return lines;
  }
  return [`${here}: expected ${show(expected)}, got ${show(actual)}`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
