/**
 * Reads audit records through the key design, never a full Scan unless asked (`scan: true`):
 * - no `--user`, or a user name / email: the time index `byTime`, one Query per day shard
 *   (DAY#<day>#0..15) with the sort key bounded to the range, newest first;
 * - a sub: the user's partition (and the partitions of its user names), sort key bounded to the range.
 * Filters run in DynamoDB (FilterExpression); see filter.ts for what is matched locally.
 *
 * `newest(limit)` reads day by day from the newest and merges the day's shards newest first, each
 * shard read in small pages that grow as needed, so the default `--limit 1000` reads about 1,000
 * records and not the whole day; `each` streams every record of the range for aggregates.
 */
import {
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { AUDIT_TIME_INDEX, AUDIT_TIME_SHARDS, dayShards } from "../../triggers/lib/audit/record.ts";
import { type AuditItem, newestFirst, toAuditItem } from "./audit-item.ts";
import { mapLimit } from "./concurrency.ts";
import { allOf, ExpressionBuilder } from "./expression.ts";
import { type AuditFilter, filterConditions, matchesLocally } from "./filter.ts";
import type { Progress } from "./progress.ts";
import { daysNewestFirst, isoBounds, type TimeRange } from "./time-range.ts";
import { partitionOf, type UserLookup } from "./user-lookup.ts";

export interface ReadRequest {
  range: TimeRange;
  filter: AuditFilter;
  user?: UserLookup | undefined;
  /** A full-table Scan instead of the key design: only when the reviewer asks for it. */
  scan?: boolean;
  /** The attributes to read (all when absent); aggregates need only a few. */
  attributes?: readonly string[];
}

export interface ReaderOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Queries in flight at once. */
  concurrency?: number;
  /** Query/Scan `Limit` per page; DynamoDB's 1 MB pages when absent. */
  pageSize?: number;
  /** Segments of an explicit parallel Scan. */
  scanSegments?: number;
  progress?: Progress | undefined;
}

export const DEFAULT_CONCURRENCY = 8;

/** One paginated Query or Scan. */
interface Stream {
  command: "query" | "scan";
  input: QueryCommandInput | ScanCommandInput;
  /** Set when the filter has a part DynamoDB cannot decide (address ranges). */
  localFilter: AuditFilter | undefined;
  /** False for ONCE# records, whose sort key is not their time. */
  newestFirst: boolean;
}

/** Past this many items a page is left to DynamoDB's own 1 MB limit. */
const LARGEST_COUNTED_PAGE = 4_000;

export class AuditReader {
  private readonly concurrency: number;

  constructor(private readonly options: ReaderOptions) {
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  /** The newest `limit` matching records (all when `limit` is undefined), and whether more match. */
  async newest(request: ReadRequest, limit?: number): Promise<{ items: AuditItem[]; more: boolean }> {
    let items: AuditItem[];
    if (limit === undefined || request.scan) {
      items = [];
      await this.each(request, (item) => items.push(item));
    } else if (request.user?.kind === "sub") {
      const streams = (await this.partitionsOf(request)).flatMap((pk) => this.partitionStreams(request, pk));
      items = await this.mergeNewest(streams, limit + 1);
    } else {
      items = await this.newestOfTimeIndex(request, limit + 1);
    }
    items.sort(newestFirst);
    if (limit === undefined) return { items, more: false };
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  /** Every matching record, in no particular order. */
  async each(request: ReadRequest, onItem: (item: AuditItem) => void): Promise<void> {
    if (request.scan) {
      await this.drainAll(this.scanStreams(request, await this.partitionsOf(request)), onItem);
    } else if (request.user?.kind === "sub") {
      const partitions = await this.partitionsOf(request);
      await this.drainAll(
        partitions.flatMap((pk) => this.partitionStreams(request, pk)),
        onItem,
      );
    } else {
      const streams = daysNewestFirst(request.range).flatMap((day) => this.shardStreams(request, day));
      await this.drainAll(streams, onItem);
    }
  }

  /** What the read will touch, for the reviewer and the docs. */
  describe(request: ReadRequest): string {
    if (request.scan) return `a full Scan of table ${this.options.tableName} (${this.segments()} segments)`;
    if (request.user?.kind === "sub") {
      return `the partition ${partitionOf(request.user.value)} and the partitions of its user names`;
    }
    const days = daysNewestFirst(request.range).length;
    const lookup = request.user ? " filtered by user name or email" : "";
    return `the ${AUDIT_TIME_INDEX} index${lookup}: ${days} day${days === 1 ? "" : "s"} x ${AUDIT_TIME_SHARDS} shards (${days * AUDIT_TIME_SHARDS} queries)`;
  }

  /** Day by day from the newest, merging the day's shards, until `want` records are found. */
  private async newestOfTimeIndex(request: ReadRequest, want: number): Promise<AuditItem[]> {
    const found: AuditItem[] = [];
    for (const day of daysNewestFirst(request.range)) {
      found.push(...(await this.mergeNewest(this.shardStreams(request, day), want - found.length)));
      if (found.length >= want) break;
    }
    return found;
  }

  /**
   * The newest `want` records of streams that are each newest first: a k-way merge that reads a
   * stream's next page only when the merge has used up the records it holds.
   */
  private async mergeNewest(streams: Stream[], want: number): Promise<AuditItem[]> {
    this.options.progress?.addPartitions(streams.length);
    const firstPage = Math.ceil((want / Math.max(1, streams.length)) * (streams.length > 1 ? 1.5 : 1)) + 1;
    const cursors = streams.map((stream) => new Cursor(stream, this.options, firstPage));
    const out: AuditItem[] = [];
    while (out.length < want) {
      const empty = cursors.filter((c) => c.isEmpty() && !c.done);
      if (empty.length > 0) await mapLimit(empty, this.concurrency, (c) => c.refill());
      let best: Cursor | undefined;
      for (const cursor of cursors) {
        const head = cursor.peek();
        const bestHead = best?.peek();
        if (head && (!bestHead || newestFirst(head, bestHead) < 0)) best = cursor;
      }
      const next = best?.take();
      if (!next) break;
      out.push(next);
    }
    return out;
  }

  private async drainAll(streams: Stream[], onItem: (item: AuditItem) => void): Promise<void> {
    this.options.progress?.addPartitions(streams.length);
    await mapLimit(streams, this.concurrency, async (stream) => {
      const cursor = new Cursor(stream, this.options, undefined);
      while (!cursor.done) {
        await cursor.fetch();
        for (let item = cursor.take(); item; item = cursor.take()) onItem(item);
      }
    });
  }

  private shardStreams(request: ReadRequest, day: { day: string; from: string; to: string }): Stream[] {
    return dayShards(day.day).map((shard) => {
      const expr = new ExpressionBuilder();
      const key = `${expr.name("dayShard")} = ${expr.value(shard)} AND ${expr.name("at")} BETWEEN ${expr.value(day.from)} AND ${expr.value(day.to)}`;
      const conditions = [...filterConditions(request.filter, expr)];
      if (request.user?.kind === "name") conditions.push(nameCondition(request.user, expr));
      return this.queryStream(request, expr, true, {
        IndexName: AUDIT_TIME_INDEX,
        KeyConditionExpression: key,
        FilterExpression: allOf(conditions),
      });
    });
  }

  /** A partition's timed records (sort key `<time>#...`, bounded by the range) and its ONCE# records. */
  private partitionStreams(request: ReadRequest, pk: string): Stream[] {
    const range = { from: request.range.since.toISOString(), to: request.range.until.toISOString() };
    const timed = new ExpressionBuilder();
    // Sort keys start with the record's ISO time, so [since, until) of `at` is exactly
    // since <= sk <= until: a key "<until>#..." sorts after "<until>".
    const timedKey = `${timed.name("pk")} = ${timed.value(pk)} AND ${timed.name("sk")} BETWEEN ${timed.value(range.from)} AND ${timed.value(range.to)}`;
    const once = new ExpressionBuilder();
    const onceKey = `${once.name("pk")} = ${once.value(pk)} AND begins_with(${once.name("sk")}, ${once.value("ONCE#")})`;
    const { from, to } = isoBounds(request.range);
    const onceTime = `${once.name("at")} BETWEEN ${once.value(from)} AND ${once.value(to)}`;
    return [
      this.queryStream(request, timed, true, {
        KeyConditionExpression: timedKey,
        FilterExpression: allOf(filterConditions(request.filter, timed)),
      }),
      this.queryStream(request, once, false, {
        KeyConditionExpression: onceKey,
        FilterExpression: allOf([onceTime, ...filterConditions(request.filter, once)]),
      }),
    ];
  }

  /**
   * The partitions of a sub: its own, and those of the user names found in it, because records
   * from before the user had a sub (migration, refused sign-ups) are keyed by user name. Learnt
   * from the sub's partition in the range without the filters, so that a filter that matches only
   * the older records (`--event MIGRATED`) still finds them.
   */
  private async partitionsOf(request: ReadRequest): Promise<string[]> {
    if (request.user?.kind !== "sub") return [];
    const own = partitionOf(request.user.value);
    const names = new Set<string>();
    const unfiltered = {
      ...request,
      filter: { ...request.filter, events: [], outcomes: [], clients: [], ips: undefined },
    };
    await this.drainAll(this.partitionStreams({ ...unfiltered, attributes: ["userName"] }, own), (item) => {
      if (item.userName !== undefined) names.add(item.userName);
    });
    return [own, ...linkedPartitions(own, names)];
  }

  private scanStreams(request: ReadRequest, partitions: string[]): Stream[] {
    const total = this.segments();
    return Array.from({ length: total }, (_, segment) => {
      const expr = new ExpressionBuilder();
      const { from, to } = isoBounds(request.range);
      const conditions = [
        `${expr.name("at")} BETWEEN ${expr.value(from)} AND ${expr.value(to)}`,
        ...filterConditions(request.filter, expr),
      ];
      if (request.user?.kind === "sub") conditions.push(expr.oneOf("pk", partitions));
      if (request.user?.kind === "name") conditions.push(nameCondition(request.user, expr));
      const input: ScanCommandInput = {
        TableName: this.options.tableName,
        Segment: segment,
        TotalSegments: total,
        FilterExpression: allOf(conditions),
        ...this.projection(request, expr),
        ...expr.parameters(),
      };
      return { command: "scan", input, localFilter: localPart(request.filter), newestFirst: false };
    });
  }

  private queryStream(
    request: ReadRequest,
    expr: ExpressionBuilder,
    timeOrdered: boolean,
    input: Pick<QueryCommandInput, "IndexName" | "KeyConditionExpression" | "FilterExpression">,
  ): Stream {
    return {
      command: "query",
      localFilter: localPart(request.filter),
      newestFirst: timeOrdered,
      input: {
        TableName: this.options.tableName,
        ...input,
        ScanIndexForward: false,
        ...this.projection(request, expr),
        ...expr.parameters(),
      },
    };
  }

  private projection(request: ReadRequest, expr: ExpressionBuilder): { ProjectionExpression?: string } {
    if (!request.attributes) return {};
    const names = new Set(["pk", "sk", "at", ...request.attributes]);
    return { ProjectionExpression: [...names].map((n) => expr.name(n)).join(", ") };
  }

  private segments(): number {
    return this.options.scanSegments ?? this.concurrency * 2;
  }
}

/**
 * Reads one stream page by page into a buffer. Pages start at `firstPage` items and double, so a
 * stream that is barely needed costs one small read and a sparse filter still gets large pages soon.
 */
class Cursor {
  done = false;
  private buffer: AuditItem[] = [];
  private head = 0;
  private startKey: QueryCommandInput["ExclusiveStartKey"];
  private pageLimit: number | undefined;

  constructor(
    private readonly stream: Stream,
    private readonly options: ReaderOptions,
    firstPage: number | undefined,
  ) {
    this.pageLimit = options.pageSize ?? firstPage;
  }

  isEmpty(): boolean {
    return this.head >= this.buffer.length;
  }

  peek(): AuditItem | undefined {
    return this.buffer[this.head];
  }

  take(): AuditItem | undefined {
    const item = this.buffer[this.head];
    if (item) this.head++;
    return item;
  }

  /** Reads until a record is buffered or the stream ends; an unordered stream is read whole and sorted. */
  async refill(): Promise<void> {
    while (!this.done && (this.isEmpty() || !this.stream.newestFirst)) await this.fetch();
    if (!this.stream.newestFirst) this.buffer.sort(newestFirst);
  }

  async fetch(): Promise<void> {
    if (this.done) return;
    const input = {
      ...this.stream.input,
      ...(this.startKey ? { ExclusiveStartKey: this.startKey } : {}),
      ...(this.pageLimit !== undefined ? { Limit: this.pageLimit } : {}),
    };
    const { client, progress } = this.options;
    const page =
      this.stream.command === "query"
        ? await client.send(new QueryCommand(input as QueryCommandInput))
        : await client.send(new ScanCommand(input as ScanCommandInput));
    if (this.isEmpty()) {
      this.buffer = [];
      this.head = 0;
    }
    let kept = 0;
    for (const raw of page.Items ?? []) {
      const item = toAuditItem(unmarshall(raw));
      if (!item || (this.stream.localFilter && !matchesLocally(this.stream.localFilter, item))) continue;
      this.buffer.push(item);
      kept++;
    }
    progress?.page(page.ScannedCount ?? page.Count ?? 0, kept);
    this.startKey = page.LastEvaluatedKey;
    if (this.options.pageSize === undefined && this.pageLimit !== undefined) {
      this.pageLimit = this.pageLimit * 2 > LARGEST_COUNTED_PAGE ? undefined : this.pageLimit * 2;
    }
    if (!this.startKey) {
      this.done = true;
      progress?.partitionDone();
    }
  }
}

function linkedPartitions(own: string, names: Set<string>): string[] {
  return [...names].map(partitionOf).filter((pk) => pk !== own);
}

function localPart(filter: AuditFilter): AuditFilter | undefined {
  return filter.ips ? filter : undefined;
}

/** A user name or email may be stored as typed or lower-cased; a sub-less name is also the key. */
function nameCondition(user: { value: string; spellings: string[] }, expr: ExpressionBuilder): string {
  return [
    expr.oneOf("userName", user.spellings),
    expr.oneOf("email", user.spellings),
    expr.oneOf("sub", [user.value]),
  ].join(" OR ");
}
