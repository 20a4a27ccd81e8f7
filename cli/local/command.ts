/**
 * `cognito-triggers local [--demo] [--data-dir DIR] [--env-file F] [--reset]`: the emulated pool with
 * every trigger attached. Runs until Ctrl-C, then stops every server it started. (`--help` is
 * answered by main.ts from usage.ts, without loading the emulators this module needs.)
 */
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runDemo } from "./demo.ts";
import { findRunningSuite, targetFor } from "./demo-target.ts";
import { type LocalSuite, startLocalSuite } from "./suite.ts";

export async function localCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: "boolean", default: false },
      "data-dir": { type: "string", default: ".local" },
      "env-file": { type: "string" },
      reset: { type: "boolean", default: false },
      port: { type: "string", default: "9229" },
    },
  });
  const base = Number(values.port);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    console.error("cognito-triggers: --port must be a whole number between 1024 and 65000");
    return 2;
  }
  const dataDir = resolve(values["data-dir"]);
  const running = await findRunningSuite(dataDir);
  if (running && values.demo) {
    console.log(`running the demo against the local suite already up (pid ${running.pid})`);
    const target = targetFor(running);
    try {
      return await runDemo(target, (line) => console.log(line));
    } finally {
      target.close();
    }
  }
  if (running) {
    console.error(`cognito-triggers: a local suite is already running from ${dataDir} (pid ${running.pid})`);
    return 2;
  }
  if (values.reset) await rm(dataDir, { recursive: true, force: true });

  const started = performance.now();
  const suite = await startLocalSuite({
    dataDir,
    ...(values["env-file"] ? { envFile: resolve(values["env-file"]) } : {}),
    ports: { cognito: base, dynamodb: base + 1, ses: base + 2, lambda: base + 3 },
  });
  printEndpoints(suite, dataDir, performance.now() - started);

  if (values.demo) {
    const target = targetFor(suite.description);
    try {
      return await runDemo(target, (line) => console.log(line));
    } finally {
      target.close();
      await suite.stop();
    }
  }
  await new Promise<void>((resolveStop) => {
    const onSignal = () => resolveStop();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  console.log("\nstopping…");
  await suite.stop();
  console.log("stopped");
  return 0;
}

function printEndpoints(suite: LocalSuite, dataDir: string, elapsedMs: number): void {
  const { pool } = suite.cognito;
  console.log(`cognito-trigger-suite local pool is up (${Math.round(elapsedMs)} ms)

  Cognito (cognito-local)   ${suite.cognito.endpoint}
  DynamoDB (dynalite)       ${suite.dynamo.endpoint}   tables: ${suite.env.AUDIT_TABLE_NAME}, ${suite.env.LEGACY_USERS_TABLE_NAME ?? "-"}
  SES (aws-ses-v2-local)    ${suite.ses.endpoint}   open it in a browser to read every email sent
  Lambda (the handlers)     ${suite.lambda.endpoint}
  Data                      ${dataDir}

Client configuration (paste into your app or AWS SDK):
${JSON.stringify(
  {
    region: "eu-west-1",
    endpoint: suite.cognito.endpoint,
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.spaClientId,
    serverClientId: pool.serverClientId,
    serverClientSecret: pool.serverClientSecret,
  },
  null,
  2,
)}

Read the audit trail:  AWS_ENDPOINT_URL_DYNAMODB=${suite.dynamo.endpoint} AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npx cognito-triggers audit query --table ${suite.env.AUDIT_TABLE_NAME} --since 24h
Press Ctrl-C to stop.`);
}
