/**
 * Progress of long reads, on stderr so that stdout stays clean for pipes. Nothing is shown for the
 * first pages: a quick query stays quiet. On a terminal one line is redrawn; elsewhere (CI logs, files)
 * a line is written every so many pages.
 */
export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  /** Pages read before progress appears. */
  quietPages?: number;
  /** Without a terminal: pages between two progress lines. */
  linesEvery?: number;
  clock?: () => number;
}

export class Progress {
  private pages = 0;
  private read = 0;
  private matched = 0;
  private partitionsDone = 0;
  private partitionsTotal = 0;
  private shown = false;
  private lastDraw = 0;
  private readonly started: number;
  private readonly clock: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.clock = options.clock ?? Date.now;
    this.started = this.clock();
  }

  addPartitions(count: number): void {
    this.partitionsTotal += count;
  }

  partitionDone(): void {
    this.partitionsDone++;
  }

  /** One page of a Query or Scan: `read` items evaluated, `matched` kept. */
  page(read: number, matched: number): void {
    this.pages++;
    this.read += read;
    this.matched += matched;
    const quiet = this.options.quietPages ?? 100;
    if (this.pages < quiet) return;
    if (this.options.isTTY) {
      const now = this.clock();
      if (this.shown && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.options.write(`\r\u001b[2K${this.line()}`);
    } else if ((this.pages - quiet) % (this.options.linesEvery ?? 100) === 0) {
      this.options.write(`${this.line()}\n`);
    }
    this.shown = true;
  }

  /** Ends the progress display with totals, if any progress was shown. */
  finish(): void {
    if (!this.shown) return;
    const seconds = ((this.clock() - this.started) / 1000).toFixed(1);
    const done = `audit: done, ${this.pages} pages, ${count(this.read)} records read, ${count(this.matched)} matched in ${seconds} s`;
    this.options.write(this.options.isTTY ? `\r\u001b[2K${done}\n` : `${done}\n`);
    this.shown = false;
  }

  private line(): string {
    const partitions =
      this.partitionsTotal > 0 ? `, ${this.partitionsDone}/${this.partitionsTotal} partitions done` : "";
    return `audit: ${this.pages} pages, ${count(this.read)} records read, ${count(this.matched)} matched${partitions}`;
  }
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
