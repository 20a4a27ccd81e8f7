/**
 * The record filters a reviewer can combine: `--event`, `--outcome`, `--client`, `--ip` (each
 * repeatable or a comma list; values of one filter are alternatives, filters combine with AND).
 * They run in DynamoDB as a FilterExpression so that only matching records cross the network;
 * address ranges (CIDRs) and IPv6 spellings are matched here with node:net BlockList, because
 * DynamoDB compares text and the same address has many spellings.
 */
import { BlockList, isIP } from "node:net";
import { UsageError } from "../usage-error.ts";
import type { AuditItem } from "./audit-item.ts";
import type { ExpressionBuilder } from "./expression.ts";

export const OUTCOMES = ["success", "denied", "failure"] as const;
/** DynamoDB allows at most 100 operands in IN; a handful is what a reviewer types. */
const MAX_VALUES = 50;
const EVENT_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

export interface AuditFilter {
  events: string[];
  outcomes: string[];
  clients: string[];
  ips: IpFilter | undefined;
}

export interface IpFilter {
  /** Every spelling to compare in DynamoDB, or undefined when only the local match can decide. */
  exact: string[] | undefined;
  blockList: BlockList;
  texts: string[];
}

export interface FilterOptions {
  event?: string[] | undefined;
  outcome?: string[] | undefined;
  client?: string[] | undefined;
  ip?: string[] | undefined;
}

export function parseFilter(options: FilterOptions): AuditFilter {
  const events = listOf(options.event, "--event").map((e) => e.toUpperCase());
  for (const event of events) {
    if (!EVENT_NAME.test(event))
      throw new UsageError(`--event ${JSON.stringify(event)} is not an event name (e.g. SIGN_IN_DENIED)`);
  }
  const outcomes = listOf(options.outcome, "--outcome").map((o) => o.toLowerCase());
  for (const outcome of outcomes) {
    if (!(OUTCOMES as readonly string[]).includes(outcome))
      throw new UsageError(`--outcome ${JSON.stringify(outcome)} must be one of ${OUTCOMES.join(", ")}`);
  }
  const clients = listOf(options.client, "--client");
  for (const client of clients) {
    if (!CLIENT_ID.test(client))
      throw new UsageError(`--client ${JSON.stringify(client)} is not an app client id`);
  }
  const ipTexts = listOf(options.ip, "--ip");
  return { events, outcomes, clients, ips: ipTexts.length > 0 ? parseIps(ipTexts) : undefined };
}

/** The FilterExpression conditions of the filter (joined with AND by the caller). */
export function filterConditions(filter: AuditFilter, expr: ExpressionBuilder): string[] {
  const conditions: string[] = [];
  if (filter.events.length > 0) conditions.push(expr.oneOf("event", filter.events));
  if (filter.outcomes.length > 0) conditions.push(expr.oneOf("outcome", filter.outcomes));
  if (filter.clients.length > 0) conditions.push(expr.oneOf("clientId", filter.clients));
  if (filter.ips) {
    conditions.push(
      filter.ips.exact
        ? expr.oneOf("sourceIp", filter.ips.exact)
        : `attribute_exists(${expr.name("sourceIp")})`,
    );
  }
  return conditions;
}

/** The part of the filter DynamoDB cannot decide; everything else was already applied there. */
export function matchesLocally(filter: AuditFilter, item: AuditItem): boolean {
  if (!filter.ips) return true;
  const ip = item.sourceIp;
  if (ip === undefined) return false;
  const family = isIP(ip);
  return family !== 0 && filter.ips.blockList.check(ip, family === 4 ? "ipv4" : "ipv6");
}

function parseIps(texts: string[]): IpFilter {
  const blockList = new BlockList();
  const spellings: string[] = [];
  let onlyPlainIpv4 = true;
  for (const text of texts) {
    const [address = "", prefix, extra] = text.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 4 ? 32 : 128;
    const badPrefix = bits !== undefined && (!/^\d{1,3}$/.test(prefix ?? "") || (bits as number) > maxBits);
    if (family === 0 || extra !== undefined || badPrefix) {
      throw new UsageError(`--ip ${JSON.stringify(text)} is not an IP address or CIDR range`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) blockList.addAddress(address, type);
    else blockList.addSubnet(address, bits, type);
    if (family === 4 && bits === undefined) spellings.push(address, `::ffff:${address}`);
    else onlyPlainIpv4 = false;
  }
  return { exact: onlyPlainIpv4 ? spellings : undefined, blockList, texts };
}

function listOf(values: string[] | undefined, option: string): string[] {
  const list = (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());
  if (list.some((v) => v === "")) throw new UsageError(`${option} needs a value`);
  if (list.length > MAX_VALUES) throw new UsageError(`${option} takes at most ${MAX_VALUES} values`);
  return list;
}
