/**
 * Command-line options shared by every command: parseArgs with one-line usage errors that name the
 * command, and a suggestion for a mistyped option (`unknown option --sinse for audit query (did you
 * mean --since?)`). Each command keeps its options as data (an exported spec), so that a test can
 * check that its help text lists every one of them.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** What parseOptions returns: parseArgs's result for these options (named, for the declaration files). */
export type ParsedOptions<T extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>
>;

/** parseArgs in strict mode; an unknown option is a UsageError naming `command` and the closest known option. */
export function parseOptions<T extends OptionSpecs>(
  command: string,
  args: string[],
  options: T,
  settings: { allowPositionals?: boolean } = {},
): ParsedOptions<T> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: settings.allowPositionals ?? false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw error;
    const flag = /'(-[^']*)'/.exec((error as Error).message)?.[1] ?? "";
    throw new UsageError(unknownOptionMessage(flag, command, optionNames(options)));
  }
}

/** Every spelling an option spec accepts: `--name` and `-x` for a short alias. */
export function optionNames(options: OptionSpecs): string[] {
  return Object.entries(options).flatMap(([name, spec]) => [
    `--${name}`,
    ...(spec.short ? [`-${spec.short}`] : []),
  ]);
}

export function unknownOptionMessage(flag: string, command: string, known: readonly string[]): string {
  const suggestion = closest(flag, known);
  return `unknown option ${flag} for ${command}${suggestion ? ` (did you mean ${suggestion}?)` : ""}`;
}

/** The candidate nearest to `word` by edit distance, if it is near enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const bare = (text: string) => text.replace(/^-+/, "").toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.length <= 2 && candidate.startsWith("-") && !candidate.startsWith("--")) continue;
    const distance = editDistance(bare(word), bare(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(bare(word).length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}
