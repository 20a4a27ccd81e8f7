#!/usr/bin/env node
// In a clone of the repository the CLI runs from its TypeScript sources, compiled on the fly by tsx,
// so there is no build step to forget. The npm package runs the compiled cli/bin.js instead.
const { register } = await import("tsx/esm/api");
register();
await import("../cli/bin.ts");
