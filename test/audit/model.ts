/**
 * The expected answers, computed the plain way: filter the seeded records in memory. The CLI must
 * reach the same answer through shards, partitions, pages and DynamoDB filters.
 */
import { BlockList, isIP } from "node:net";
import type { AuditRecord } from "../../triggers/lib/audit/record.ts";

export interface ModelQuery {
  since: Date;
  until: Date;
  events?: string[];
  outcomes?: string[];
  clients?: string[];
  /** Addresses or CIDRs. */
  ips?: string[];
  user?: (record: AuditRecord) => boolean;
}

export function expected(records: readonly AuditRecord[], query: ModelQuery): AuditRecord[] {
  const since = query.since.toISOString();
  const until = query.until.toISOString();
  let ipList: BlockList | undefined;
  if (query.ips) {
    ipList = new BlockList();
    for (const text of query.ips) {
      const [address = "", prefix] = text.split("/");
      const type = isIP(address) === 4 ? "ipv4" : "ipv6";
      if (prefix === undefined) ipList.addAddress(address, type);
      else ipList.addSubnet(address, Number(prefix), type);
    }
  }
  return records
    .filter((r) => r.at >= since && r.at < until)
    .filter((r) => !query.events || query.events.includes(r.event))
    .filter((r) => !query.outcomes || query.outcomes.includes(r.outcome))
    .filter((r) => !query.clients || (r.clientId !== undefined && query.clients.includes(r.clientId)))
    .filter(
      (r) =>
        !ipList ||
        (r.sourceIp !== undefined && ipList.check(r.sourceIp, isIP(r.sourceIp) === 4 ? "ipv4" : "ipv6")),
    )
    .filter((r) => !query.user || query.user(r))
    .sort((a, b) => (a.at === b.at ? (a.sk < b.sk ? 1 : -1) : a.at < b.at ? 1 : -1));
}

export const ids = (records: ReadonlyArray<{ requestId?: string | undefined }>) =>
  records.map((r) => r.requestId);

/** RFC 4180 parsing, written independently of the CLI's writer. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) throw new Error("CSV does not end with CRLF");
  return rows;
}
