#!/usr/bin/env node
/**
 * The `cognito-triggers` executable: runs the command and turns anything unexpected into one line on
 * stderr (the stack only with DEBUG set). The installed package runs this file compiled; a clone of
 * the repository runs it from source through bin/cognito-triggers.js.
 */
import { main } from "./main.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Output piped into `head` and the like: once the reader closes the pipe, writing fails with EPIPE.
// That ends the output quietly, for every command: the stream is destroyed, so what the command
// still prints goes nowhere (no stack trace, no "internal error"), and its exit status is unchanged.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return;
    throw error;
  });
}
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(
    `cognito-triggers: internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
}
