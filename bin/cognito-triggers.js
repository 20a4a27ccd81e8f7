#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so there is no build step to forget.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../cli/main.ts");
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Unexpected: still one line on stderr unless debugging.
  console.error(
    `cognito-triggers: internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
}
