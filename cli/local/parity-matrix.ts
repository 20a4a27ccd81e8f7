/**
 * The parity matrix of docs/local-pool.md, rendered from cognito-behaviour.ts: one row per
 * triggerSource, what fires it in real Cognito, whether the local pool fires it (who, and with which
 * flag for an optional trigger), and what proves it. test/e2e/parity-matrix.test.ts keeps the page equal to this rendering.
 */
import { LOCAL_OPT_INS, TRIGGER_ROWS, type TriggerRow } from "./cognito-behaviour.ts";

export const MATRIX_START = "<!-- parity matrix: rendered from cli/local/cognito-behaviour.ts -->";
export const MATRIX_END = "<!-- end of parity matrix -->";

function firedLocally(row: TriggerRow): string {
  const { local } = row;
  if (local.by === "none") return `no: ${local.why}; covered by ${local.coveredBy}`;
  const optIn = local.optIn ? `, with \`cognito-triggers local ${LOCAL_OPT_INS[local.optIn].flag}\`` : "";
  if (local.by === "suite") return `yes (the pool proxy, ${local.phase} the call)${optIn}`;
  const also = local.alsoBySuite
    ? `; for ${local.alsoBySuite.operations.join(", ")} the pool proxy, ${local.alsoBySuite.phase} the call`
    : "";
  return `yes (cognito-local${also})${optIn}`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

export function renderParityMatrix(rows: readonly TriggerRow[] = TRIGGER_ROWS): string {
  const lines = [
    "| triggerSource | fired by (real Cognito) | when | an error fails the call | fires locally | proven by |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) =>
      [
        `[\`${row.triggerSource}\`](${row.docs})`,
        row.operations.join(", "),
        row.when,
        row.failsCall ? "yes" : "no",
        firedLocally(row),
        row.provenBy,
      ]
        .map(cell)
        .join(" | ")
        .replace(/^/, "| ")
        .concat(" |"),
    ),
  ];
  return [MATRIX_START, ...lines, MATRIX_END].join("\n");
}
