/**
 * Counts what a handler logs at ERROR level (to stderr, like every logger ERROR line) that changes what
 * a measurement means: `audit_fallback` lines (audit records written to the log instead of the table)
 * and the one-time "configuration invalid" line of a handler that refuses every request. Observes the
 * stream only.
 */
export interface StderrCounts {
  readonly auditFallbacks: number;
  readonly configRefusals: number;
}

export function countStderrLines(): StderrCounts {
  const counts = { auditFallbacks: 0, configRefusals: 0 };
  const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
  process.stderr.write = ((...args: unknown[]) => {
    const chunk = args[0];
    if (typeof chunk === "string") {
      if (chunk.includes('"audit_fallback"')) counts.auditFallbacks++;
      if (chunk.includes("configuration invalid")) counts.configRefusals++;
    }
    return write(...args);
  }) as typeof process.stderr.write;
  return counts;
}
