/**
 * `cognito-triggers local [--demo] [--data-dir DIR] [--env-file F] [--reset] [--custom-email-sender]`:
 * the emulated pool with the core triggers attached, and the optional ones asked for. Runs until
 * Ctrl-C, then stops every server it started. (`--help` is answered by main.ts from usage.ts, without
 * loading the emulators this module needs.)
 */
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { parseOptions } from "../options.ts";
import { LOCAL_OPT_INS, type LocalOptIn } from "./cognito-behaviour.ts";
import { runDemo } from "./demo.ts";
import { findRunningSuite, targetFor } from "./demo-target.ts";
import { portOfAddressInUse, portsInUse, portsInUseMessage, suitePorts } from "./ports.ts";
import { type LocalSuite, startLocalSuite } from "./suite.ts";
import { LOCAL_OPTIONS } from "./usage.ts";

export async function localCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions("local", argv, LOCAL_OPTIONS);
  const base = Number(values.port);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    console.error("cognito-triggers: --port must be a whole number between 1024 and 65000");
    return 2;
  }
  const dataDir = resolve(values["data-dir"]);
  const optIns = (Object.keys(LOCAL_OPT_INS) as LocalOptIn[]).filter((name) => values[name]);
  const running = await findRunningSuite(dataDir);
  if (running && values.demo) {
    console.log(`running the demo against the local suite already up (pid ${running.pid})`);
    const target = targetFor(running);
    try {
      return await runDemo(target, (line) => console.log(line));
    } finally {
      target.close();
      console.log(`\nthe local suite (pid ${running.pid}) keeps running`);
    }
  }
  if (running) {
    console.error(`cognito-triggers: a local suite is already running from ${dataDir} (pid ${running.pid})`);
    return 2;
  }
  // Before anything starts (or --reset deletes anything): a port another process holds is one line, exit 2.
  const ports = suitePorts(base, { kms: optIns.includes("custom-email-sender") });
  const busy = await portsInUse(ports);
  if (busy.length > 0) {
    console.error(portsInUseMessage(busy, ports));
    return 2;
  }
  if (values.reset) await rm(dataDir, { recursive: true, force: true });

  // Ctrl-C (SIGINT), SIGTERM, SIGHUP, or the end of the process that started this one stops every
  // server; one arriving while the suite starts stops it as soon as it is up. The demo keeps the
  // defaults: they end the process, and cognito-local exits with it (cognito.ts).
  const stopRequested = values.demo ? undefined : stopSignal();

  const started = performance.now();
  let suite: LocalSuite;
  try {
    suite = await startLocalSuite({
      dataDir,
      ...(values["env-file"] ? { envFile: resolve(values["env-file"]) } : {}),
      ports,
      optIns,
    });
  } catch (error) {
    // Taken between the check and the start: the same line.
    const port = portOfAddressInUse(error);
    if (port === undefined) throw error;
    console.error(portsInUseMessage([port], ports));
    return 2;
  }
  printEndpoints(suite, dataDir, performance.now() - started, values.demo);

  if (!stopRequested) {
    const target = targetFor(suite.description);
    try {
      return await runDemo(target, (line) => console.log(line));
    } finally {
      target.close();
      console.log("\nstopping the local pool started for the demo…");
      await suite.stop();
      console.log("stopped");
    }
  }
  await stopRequested;
  console.log("\nstopping…");
  await suite.stop();
  console.log("stopped");
  return 0;
}

/**
 * Resolves on the first stop signal, or when this process's parent is gone: `npm start` runs this
 * command through `sh -c`, and SIGTERM to npm reaches only that shell, which dies without passing it
 * on; this process, left behind, then has a new parent.
 */
function stopSignal(): Promise<void> {
  return new Promise<void>((resolveStop) => {
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 250).unref();
    const stop = () => {
      clearInterval(orphaned);
      resolveStop();
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, stop);
  });
}

/** The optional triggers the suite attached, as their flags, or how to attach one. */
function attachedOptIns(suite: LocalSuite): string {
  const attached = suite.description.optIns ?? [];
  if (attached.length === 0) {
    return `none (${Object.values(LOCAL_OPT_INS)
      .map((each) => each.flag)
      .join(", ")} attaches one)`;
  }
  return attached.map((name) => `${LOCAL_OPT_INS[name].attaches} (${LOCAL_OPT_INS[name].flag})`).join(", ");
}

function printEndpoints(suite: LocalSuite, dataDir: string, elapsedMs: number, demo: boolean): void {
  const { pool } = suite.cognito;
  console.log(`cognito-trigger-suite local pool is up (${Math.round(elapsedMs)} ms)

  Cognito (cognito-local)   ${suite.cognito.endpoint}   every attached trigger fired as Cognito does (docs/local-pool.md)
  Optional triggers         ${attachedOptIns(suite)}
  DynamoDB (dynalite)       ${suite.dynamo.endpoint}   tables: ${suite.env.AUDIT_TABLE_NAME}, ${suite.env.LEGACY_USERS_TABLE_NAME ?? "-"}
  SES (aws-ses-v2-local)    ${suite.ses.endpoint}   open it in a browser: every email, codes included
  SMS outbox                ${suite.cognito.endpoint}/local/sms.html${
    suite.kms
      ? `
  KMS (local stand-in)      ${suite.kms.endpoint}   the key the pool encrypts the custom email sender's codes with`
      : ""
  }
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
${demo ? "The demo stops this pool when it ends." : "Press Ctrl-C to stop."}`);
}
