/** The bench's verdicts and its tables on stdout. */
import type { TriggerName } from "../triggers/lib/events.ts";
import type { BaselineName, BundleSizes } from "./build.ts";
import { COLD_CASES, NO_AWS_SIZE_MAX_BYTES, NO_AWS_TRIGGERS } from "./cases.ts";
import type { ColdStartResult } from "./cold-starts.ts";
import { PACKAGE_MAX_BYTES, type PackageSize } from "./package-size.ts";
import type { Spread } from "./stats.ts";
import type { ThroughputResult } from "./throughput.ts";
import type { WarmResult } from "./warm-latency.ts";

export interface BenchResults {
  sizes: {
    handlers: Record<TriggerName, BundleSizes>;
    baselines: Record<BaselineName, BundleSizes>;
    package: PackageSize;
  };
  coldStarts: ColdStartResult[];
  warm: WarmResult[];
  throughput: ThroughputResult[];
}

export interface Verdict {
  /** "budget": a limit the bench holds the code to; "check": a condition without which a number would not mean anything. */
  kind: "budget" | "check";
  what: string;
  limit: string;
  measured: string;
  met: boolean;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)}`;
const ms = (value: number, digits = 1) => value.toFixed(digits);
const ratio = (value: number) => `${value.toFixed(2)}x`;
/** Verdicts show a third decimal, so that a value just over a limit never prints as the limit itself. */
const exactRatio = (value: number) => `${value.toFixed(3)}x`;
const range = (s: Spread, format: (n: number) => string) => `${format(s.p25)}-${format(s.p75)}`;

function labelOf(id: string): string {
  return COLD_CASES.find((c) => c.id === id)?.label ?? id;
}

function requestsText(requests: string[]): string {
  if (requests.length === 0) return "none";
  return requests
    .map((r) =>
      r
        .replace(/^dynamodb\./, "")
        .replace(/^ses\./, "SES ")
        .replace(/^kms\./, "KMS ")
        .replace(/^sns\./, "SNS ")
        .replace(/^cognitoidentityprovider\./, "Cognito "),
    )
    .join(" + ");
}

function averageRequestsText(perInvocation: Record<string, number>): string {
  const entries = Object.entries(perInvocation);
  if (entries.length === 0) return "none";
  return entries.map(([op, n]) => `${Number(n.toFixed(2))} ${requestsText([op])}`).join(" + ");
}

/** Requests per invocation by service ("dynamodb", "ses"), rounded so that float sums compare equal. */
function perService(perInvocation: Record<string, number>): Record<string, number> {
  const services: Record<string, number> = {};
  for (const [op, n] of Object.entries(perInvocation).sort()) {
    const service = op.slice(0, op.indexOf("."));
    services[service] = Number(((services[service] ?? 0) + n).toFixed(6));
  }
  return services;
}

export function verdicts(results: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  const npmPackage = results.sizes.package;
  out.push({
    kind: "budget",
    what: "npm package: tarball size",
    limit: `<= ${kB(PACKAGE_MAX_BYTES)} kB`,
    measured: `${kB(npmPackage.packed)} kB (${kB(npmPackage.unpacked)} kB unpacked, ${npmPackage.files} files)`,
    met: npmPackage.packed <= PACKAGE_MAX_BYTES,
  });
  for (const trigger of NO_AWS_TRIGGERS) {
    const total = results.sizes.handlers[trigger].total;
    out.push({
      kind: "budget",
      what: `${trigger}: bundle size (all files, minified)`,
      limit: `<= ${kB(NO_AWS_SIZE_MAX_BYTES)} kB`,
      measured: `${kB(total)} kB`,
      met: total <= NO_AWS_SIZE_MAX_BYTES,
    });
  }
  for (const cold of results.coldStarts) {
    if (!cold.budget) continue;
    out.push({
      kind: "budget",
      what: `${cold.label}: cold start (CPU time)`,
      limit: `<= ${ratio(cold.budget.maxRatio)} ${labelOf(cold.budget.against)}`,
      measured: `${exactRatio(cold.budget.ratio.median)} (p25-p75 ${range(cold.budget.ratio, ratio)}; wall time ${ratio(cold.budget.wallRatio.median)})`,
      met: cold.budget.met,
    });
  }
  for (const warm of results.warm) {
    for (const group of warm.groups) {
      if (!group.budget) continue;
      out.push({
        kind: "budget",
        what: `${warm.trigger}: warm p99 of the paths without AWS calls (${group.replays} replays)`,
        limit: `<= ${ms(group.budget.maxP99Ms, 3)} ms`,
        measured: `${ms(group.p99Ms, 3)} ms`,
        met: group.budget.met,
      });
    }
    out.push({
      kind: "check",
      what: `${warm.trigger}: every sample answered or refused as events/ expects`,
      limit: "no difference",
      measured: warm.unexpectedOutcomes.length === 0 ? "none" : warm.unexpectedOutcomes.join("; "),
      met: warm.unexpectedOutcomes.length === 0,
    });
    const disagreeing = warm.groups.filter(
      (g) =>
        JSON.stringify(perService(g.sdkRequestsPerInvocation)) !==
        JSON.stringify(perService(g.requestsPerInvocation)),
    );
    out.push({
      kind: "check",
      what: `${warm.trigger}: AWS requests counted by SDK middleware and on the wire agree`,
      limit: "the same per service",
      measured:
        disagreeing.length === 0
          ? "the same"
          : disagreeing
              .map(
                (g) =>
                  `${g.kind}: SDK ${averageRequestsText(g.sdkRequestsPerInvocation)}, wire ${averageRequestsText(g.requestsPerInvocation)}`,
              )
              .join("; "),
      met: disagreeing.length === 0,
    });
    const lost = warm.groups.reduce((sum, g) => sum + g.lostRecords, 0);
    out.push({
      kind: "check",
      what: `${warm.trigger}: no audit record lost by the stand-ins during the warm replays`,
      limit: "0",
      measured: String(lost),
      met: lost === 0,
    });
  }
  for (const t of results.throughput) {
    out.push({
      kind: "budget",
      what: `post authentication throughput, ${t.concurrency} caller(s)`,
      limit: `>= ${ratio(t.budget.minRatio)} bare PutItem`,
      measured: `${exactRatio(t.ratio.median)} (p25-p75 ${range(t.ratio, ratio)})`,
      met: t.budget.met,
    });
    out.push({
      kind: "check",
      what: `post authentication throughput, ${t.concurrency} caller(s): one PutItem per sign-in, none lost`,
      limit: "requests = invocations, 0 audit_fallback",
      measured: `${t.handlerRequests} requests / ${t.handlerOps} invocations, ${t.auditFallbacks} audit_fallback`,
      met: t.handlerRequests === t.handlerOps && t.auditFallbacks === 0,
    });
  }
  return out;
}

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function renderTables(results: BenchResults, context: { rounds: number }): string {
  const sizeOf = (id: string): BundleSizes | undefined => {
    const coldCase = COLD_CASES.find((c) => c.id === id);
    if (!coldCase) return undefined;
    return "trigger" in coldCase.bundle
      ? results.sizes.handlers[coldCase.bundle.trigger]
      : results.sizes.baselines[coldCase.bundle.baseline];
  };
  const cold = table(
    [
      "path",
      "entry kB",
      "loaded kB",
      "total kB",
      "CPU ms",
      "wall ms",
      "wall p25-p75",
      "x empty",
      "x bare SDK",
      "budget: x baseline",
      "",
      "wall x baseline",
      "AWS requests",
    ],
    results.coldStarts.map((c) => {
      const size = sizeOf(c.id);
      return [
        c.label,
        size ? kB(size.entry) : "",
        size ? kB(size.loaded) : "",
        size ? kB(size.total) : "",
        ms(c.cpu.median),
        ms(c.answered.median),
        range(c.answered, (n) => ms(n)),
        ratio(c.vsEmpty.median),
        ratio(c.vsBareSdk.median),
        c.budget
          ? `${ratio(c.budget.ratio.median)} (${range(c.budget.ratio, ratio)}) <= ${ratio(c.budget.maxRatio)}`
          : "",
        c.budget ? (c.budget.met ? "ok" : "BROKEN") : "",
        c.budget ? ratio(c.budget.wallRatio.median) : "",
        requestsText(c.requests),
      ];
    }),
    new Set([1, 2, 3, 4, 5, 7, 8, 11]),
  );
  const warm = table(
    [
      "trigger",
      "path",
      "samples",
      "replays",
      "p50 ms",
      "p99 ms",
      "max ms",
      "budget",
      "AWS requests / invocation",
    ],
    results.warm.flatMap((w) =>
      w.groups.map((g) => [
        w.trigger,
        {
          "no-aws": "no AWS call",
          aws: "AWS calls",
          hashing: "password hashing + AWS",
          "config-refused": "configuration refused",
        }[g.kind],
        String(g.samples.length),
        String(g.replays),
        ms(g.p50Ms, 3),
        ms(g.p99Ms, 3),
        ms(g.maxMs, 2),
        g.budget ? `<= ${ms(g.budget.maxP99Ms, 3)} ${g.budget.met ? "ok" : "BROKEN"}` : "",
        averageRequestsText(g.sdkRequestsPerInvocation),
      ]),
    ),
    new Set([2, 3, 4, 5, 6]),
  );
  const throughput = table(
    ["callers", "handler sign-ins/s", "bare PutItem/s", "ratio", "p25-p75", "budget"],
    results.throughput.map((t) => [
      String(t.concurrency),
      t.handler.median.toFixed(0),
      t.bare.median.toFixed(0),
      ratio(t.ratio.median),
      range(t.ratio, ratio),
      `>= ${ratio(t.budget.minRatio)} ${t.budget.met ? "ok" : "BROKEN"}`,
    ]),
    new Set([1, 2, 3]),
  );
  const npmPackage = results.sizes.package;
  const sections: string[] = [
    `npm package (npm pack --dry-run): ${kB(npmPackage.packed)} kB packed, ${kB(npmPackage.unpacked)} kB unpacked, ${npmPackage.files} files.`,
    "",
  ];
  if (results.coldStarts.length > 0) {
    sections.push(
      `Cold start: a fresh process from its start to the first answer, ${context.rounds} interleaved rounds. Ratios: CPU time (all threads) of the case / its baseline's in the same round, median and p25-p75 over the rounds; the last ratio column is the same by wall time.`,
      cold,
      "",
    );
  }
  if (results.warm.length > 0) {
    sections.push(
      "Warm latency: each invocation timed alone, samples of events/ replayed round-robin.",
      warm,
      "",
    );
  }
  if (results.throughput.length > 0) {
    sections.push(
      "Post authentication against dynalite, alternating blocks with bare PutItem calls from the same client.",
      throughput,
      "",
    );
  }
  return sections.join("\n");
}

export function renderVerdicts(list: Verdict[]): string {
  const broken = list.filter((v) => !v.met);
  const budgets = list.filter((v) => v.kind === "budget");
  const lines = [
    `Budgets: ${budgets.filter((v) => v.met).length} of ${budgets.length} met.`,
    ...broken.map(
      (v) => `  ${v.kind === "budget" ? "BROKEN" : "INVALID"}: ${v.what}: ${v.measured} (limit ${v.limit})`,
    ),
  ];
  return lines.join("\n");
}
