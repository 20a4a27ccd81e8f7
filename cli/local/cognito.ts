/**
 * cognito-local, the user-pool emulator, run as a child process in its own folder (it keeps its
 * configuration and users in ./.cognito of its working directory). The triggers it fires as Cognito
 * does are wired to the local Lambda endpoint under Cognito's trigger names; the pool proxy in front
 * of it (pool-proxy.ts) fires the others.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { cognitoLocalTriggers, type LocalOptIn } from "./cognito-behaviour.ts";
import type { PoolKmsKey } from "./sender-code.ts";

const require = createRequire(import.meta.url);
const COGNITO_LOCAL_BIN = require.resolve("cognito-local/lib/bin/start.js");

/**
 * Runs cognito-local's start script in a child that exits when its stdin pipe closes: this process
 * holds the other end, so the child never outlives it, even when this process is killed outright
 * (SIGKILL) and cannot stop it. `node -e` rather than a file, so that the compiled package needs none.
 */
const EXIT_WITH_PARENT = `process.stdin.on("data", () => {}).on("end", () => process.exit(0)).on("error", () => process.exit(0));
require(process.argv[1]);`;

/** The alias cognito-local's keyring generates data keys under (the local KMS names its one key by any alias). */
const LOCAL_KEY_ALIAS = "alias/cognito-trigger-suite-local";

/** What cognito-local prints once its server listens (lib/bin/start.js). */
const LISTENING_LINE = "Cognito Local running on";

export interface PoolIds {
  userPoolId: string;
  spaClientId: string;
  serverClientId: string;
  serverClientSecret: string;
}

export interface LocalCognito {
  endpoint: string;
  /** cognito-local's working folder; its users live in .cognito/db/<pool id>.json. */
  dataDir: string;
  client: CognitoIdentityProviderClient;
  pool: PoolIds;
  /** cognito-local's own output, kept for troubleshooting (never printed unless asked). */
  output: string[];
  stop(): Promise<void>;
}

export async function startCognito(options: {
  dataDir: string;
  lambdaEndpoint: string;
  port?: number;
  /**
   * Where clients reach the pool (the pool proxy), named as the tokens' issuer so that they verify
   * there. @default - cognito-local's own endpoint
   */
  publicEndpoint?: string;
  /** The optional triggers attached (cognito-behaviour.ts). @default none */
  optIns?: readonly LocalOptIn[];
  /**
   * The KMS key cognito-local encrypts a custom email sender's codes with (through the AWS Encryption
   * SDK), and the KMS endpoint that holds it. Required with the custom email sender.
   */
  kms?: PoolKmsKey;
}): Promise<LocalCognito> {
  const optIns = options.optIns ?? [];
  if (optIns.includes("custom-email-sender") && !options.kms) {
    throw new Error("the custom email sender needs a KMS key to encrypt its codes with");
  }
  const port = options.port || (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  await mkdir(join(options.dataDir, ".cognito"), { recursive: true });
  await writeFile(
    join(options.dataDir, ".cognito", "config.json"),
    JSON.stringify(
      {
        LambdaClient: {
          endpoint: options.lambdaEndpoint,
          region: "local",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          maxRetries: 0,
        },
        // Only what cognito-local fires as Cognito does; the pool proxy fires the rest (cognito-behaviour.ts).
        TriggerFunctions: Object.fromEntries(cognitoLocalTriggers(optIns).map((name) => [name, name])),
        // cognito-local's keyring takes the alias as its generator key and wraps the data key with the
        // key id too; the KMS endpoint resolves the alias to that same key.
        ...(options.kms
          ? {
              KMSConfig: {
                KMSKeyId: options.kms.keyArn,
                KMSKeyAlias: LOCAL_KEY_ALIAS,
                endpoint: options.kms.endpoint,
                region: regionOf(options.kms.keyArn),
                credentials: { accessKeyId: "local", secretAccessKey: "local" },
                maxRetries: 0,
              },
            }
          : {}),
        UserPoolDefaults: { UsernameAttributes: ["email"] },
        TokenConfig: { IssuerDomain: options.publicEndpoint ?? endpoint },
      },
      null,
      2,
    ),
  );

  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["-e", EXIT_WITH_PARENT, COGNITO_LOCAL_BIN], {
    cwd: options.dataDir,
    // Never DEBUG: at debug level cognito-local logs whole trigger events, passwords included.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DEBUG: "",
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
    },
    // stdin: a pipe this process never writes to; it closes when this process is gone (EXIT_WITH_PARENT).
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin?.on("error", () => undefined);
  // Decoded as a stream, so that a character split across two chunks stays whole.
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  const keep = (chunk: string) => {
    const lines = chunk.split("\n").filter(Boolean);
    output.push(...lines);
    if (output.length > 500) output.splice(0, output.length - 500);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // unref: a pending timer must not keep this process alive for 3 s after the child has exited.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000).unref())]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  };
  try {
    await waitUntilListening(port, exited, output);
    const pool = await ensurePool(client, join(options.dataDir, "pool.json"));
    return { endpoint, dataDir: options.dataDir, client, pool, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reuses the pool of an earlier run when it still exists, so users and ids survive restarts. */
async function ensurePool(client: CognitoIdentityProviderClient, stateFile: string): Promise<PoolIds> {
  try {
    const saved = JSON.parse(await readFile(stateFile, "utf8")) as PoolIds;
    await client.send(new DescribeUserPoolCommand({ UserPoolId: saved.userPoolId }));
    return saved;
  } catch {
    // No usable earlier pool: create one below.
  }
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: "cognito-trigger-suite-local",
      UsernameAttributes: ["email"],
      // cognito-local only sends (and so only calls Custom message for) codes of auto-verified attributes.
      AutoVerifiedAttributes: ["email"],
    }),
  );
  const userPoolId = required(UserPool?.Id, "user pool id");
  const spa = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "spa",
      // Real pools give the SPA SRP only; cognito-local does not implement SRP, so locally it uses passwords.
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const server = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "server",
      GenerateSecret: true,
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
    }),
  );
  const ids: PoolIds = {
    userPoolId,
    spaClientId: required(spa.UserPoolClient?.ClientId, "SPA client id"),
    serverClientId: required(server.UserPoolClient?.ClientId, "server client id"),
    serverClientSecret: server.UserPoolClient?.ClientSecret ?? "",
  };
  await writeFile(stateFile, `${JSON.stringify(ids, null, 2)}\n`);
  return ids;
}

/** The region of a KMS key ARN (arn:aws:kms:<region>:...). */
function regionOf(keyArn: string): string {
  return keyArn.split(":")[3] || "us-east-1";
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`cognito-local returned no ${what}`);
  return value;
}

async function waitUntilListening(
  port: number,
  exited: Promise<number | null>,
  output: string[],
): Promise<void> {
  const deadline = Date.now() + 15_000;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline) {
    // Another process took the port after the check (ports.ts): the error the in-process servers give.
    if (output.some((line) => line.includes("EADDRINUSE"))) {
      throw Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), {
        code: "EADDRINUSE",
        port,
      });
    }
    if (gone) throw new Error(`cognito-local exited during start-up: ${output.slice(-3).join(" | ")}`);
    // Only once the child says it listens: an answer before that could come from another process.
    if (output.some((line) => line.includes(LISTENING_LINE))) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`, {
          method: "GET",
          signal: AbortSignal.timeout(500),
        });
        await res.body?.cancel();
        if (res.ok) return;
      } catch {
        // Not answering yet: try again.
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`cognito-local did not start within 15 s: ${output.slice(-3).join(" | ")}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as import("node:net").AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
