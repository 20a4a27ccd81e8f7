/**
 * npm run bench: bundle sizes, cold starts, warm latency and post authentication's throughput of the
 * ten handlers, bundled exactly as they deploy, and the npm package's size, checked against the
 * budgets. Prints the tables on stdout, writes bench/results.json, and exits 1 when a budget is
 * broken (2 when the bench could not measure).
 *
 *   npm run bench                      about 8 minutes on two cores
 *   npm run bench -- --quick           a rough look in about a minute (too few runs to judge budgets by)
 *   npm run bench -- --rounds 60 --replays 20000 --out /tmp/results.json
 */
// Before any SDK is imported: the stand-ins' own client would otherwise warn about Node 20 on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { runBench } = await import("./run.ts");

runBench(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DEBUG) console.error(error);
    process.exitCode = 2;
  },
);
