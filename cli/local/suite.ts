/**
 * The whole suite on one machine, no AWS account: dynalite (DynamoDB), aws-ses-v2-local (SES), a
 * Lambda Invoke endpoint running the real handlers, and cognito-local behind the pool proxy, which
 * fires every trigger as Cognito does (pool-proxy.ts, cognito-behaviour.ts). With the custom email
 * sender attached, a local KMS holds the key its codes are encrypted with.
 * Used by `cognito-triggers local`, the demo and the end-to-end tests.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { KmsStandIn, STAND_IN_KEY_ARN } from "../kms-stand-in.ts";
import { freePort, type LocalCognito, startCognito } from "./cognito.ts";
import type { LocalOptIn } from "./cognito-behaviour.ts";
import { alignWithRealCognito } from "./cognito-local-gaps.ts";
import { SUITE_FILE, type SuiteDescription } from "./demo-target.ts";
import { type LocalDynamo, startDynamo } from "./dynamodb.ts";
import { type LambdaEndpoint, startLambdaEndpoint } from "./lambda-endpoint.ts";
import { legacyTableDefinition, seedLegacyUsers } from "./legacy-users.ts";
import { createMessageOutbox, type MessageOutbox } from "./message-outbox.ts";
import { type PoolProxy, startPoolProxy } from "./pool-proxy.ts";
import { type LocalSes, startSes } from "./ses.ts";
import { auditTableDefinition, ensureTable } from "./tables.ts";
import type { PreTokenGenerationVersion } from "./token-step.ts";

export const DEFAULT_ENV_FILE = new URL("./local.env", import.meta.url);

export interface LocalSuiteOptions {
  /** Where data lives between runs; the suite keeps DynamoDB on disk here. */
  dataDir: string;
  /** Keep DynamoDB data on disk (default) or in memory (tests). */
  persist?: boolean;
  envFile?: string | URL;
  ports?: Partial<Record<"cognito" | "dynamodb" | "ses" | "lambda" | "kms", number>>;
  /** The pool's pre token generation event version, as the CDK app deploys it. @default "V2_0" */
  preTokenGenerationVersion?: PreTokenGenerationVersion;
  /** The optional triggers to attach (cognito-behaviour.ts LOCAL_OPT_INS). @default none */
  optIns?: readonly LocalOptIn[];
}

export interface LocalSuite {
  env: Record<string, string>;
  description: SuiteDescription;
  dynamo: LocalDynamo;
  ses: LocalSes;
  lambda: LambdaEndpoint;
  /** The local KMS, when the custom email sender is attached. */
  kms?: { endpoint: string };
  /** The pool as clients see it: the proxy's endpoint, and a client of it. */
  cognito: LocalCognito;
  outbox: MessageOutbox;
  stop(): Promise<void>;
}

export async function startLocalSuite(options: LocalSuiteOptions): Promise<LocalSuite> {
  await mkdir(options.dataDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const config = parseEnv(await readFile(options.envFile ?? DEFAULT_ENV_FILE, "utf8")) as Record<
      string,
      string
    >;

    const dynamo = await startDynamo({
      ...(options.ports?.dynamodb ? { port: options.ports.dynamodb } : {}),
      ...(options.persist === false ? {} : { path: join(options.dataDir, "dynamodb") }),
    });
    stoppers.push(dynamo.stop);
    const ses = await startSes(options.ports?.ses ? { port: options.ports.ses } : {});
    stoppers.push(ses.stop);
    const optIns = [...new Set(options.optIns ?? [])];
    const customEmailSender = optIns.includes("custom-email-sender");
    // The key cognito-local encrypts the custom email sender's codes with, and the sender decrypts them with.
    const kms = customEmailSender ? await new KmsStandIn().listen(options.ports?.kms ?? 0) : undefined;
    if (kms) stoppers.push(kms.close);

    // The handlers run in this process, so their SDK clients read the standard variables from here.
    const awsEnv = {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      ...(kms ? { AWS_ENDPOINT_URL_KMS: kms.endpoint } : {}),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    Object.assign(process.env, awsEnv);
    const env: Record<string, string> = { ...config, ...awsEnv };
    if (kms) env.CUSTOM_SENDER_KMS_KEY_ARN ??= STAND_IN_KEY_ARN;
    // The pool's LambdaConfig.KMSKeyID: what cognito-local encrypts the codes with and the sender decrypts them with.
    const poolKey = kms
      ? { endpoint: kms.endpoint, keyArn: required(env, "CUSTOM_SENDER_KMS_KEY_ARN") }
      : undefined;

    await ensureTable(dynamo.client, auditTableDefinition(required(env, "AUDIT_TABLE_NAME")));
    if (env.LEGACY_USERS_TABLE_NAME) {
      await ensureTable(dynamo.client, legacyTableDefinition(env.LEGACY_USERS_TABLE_NAME));
      await seedLegacyUsers(dynamo.client, env.LEGACY_USERS_TABLE_NAME);
    }

    // Handlers are built on their first invocation, after the pool (and so the trusted client id) exists.
    let proxy: PoolProxy | undefined;
    const lambda = await startLambdaEndpoint({
      env,
      adaptEvent: async (event) => {
        const aligned = await alignWithRealCognito(event, poolKey ? { kms: poolKey } : {});
        return proxy ? proxy.adaptEvent(aligned) : aligned;
      },
      ...(options.ports?.lambda ? { port: options.ports.lambda } : {}),
    });
    stoppers.push(lambda.stop);
    // Every message the pool sends lands in the SES viewer (email) or the SMS outbox the proxy serves.
    const outbox = createMessageOutbox({ sesEndpoint: ses.endpoint });
    // Clients reach the pool through the proxy, on the Cognito port; cognito-local listens on a port
    // of its own and names the proxy as the tokens' issuer.
    const publicPort = options.ports?.cognito || (await freePort());
    const emulator = await startCognito({
      dataDir: join(options.dataDir, "cognito"),
      lambdaEndpoint: lambda.endpoint,
      publicEndpoint: `http://127.0.0.1:${publicPort}`,
      optIns,
      ...(poolKey ? { kms: poolKey } : {}),
    });
    stoppers.push(emulator.stop);
    env.IP_TRUSTED_CLIENT_IDS ??= emulator.pool.serverClientId;
    proxy = await startPoolProxy({
      port: publicPort,
      target: emulator.endpoint,
      cognitoDataDir: emulator.dataDir,
      admin: emulator.client,
      pool: emulator.pool,
      lambda,
      preTokenGenerationVersion: options.preTokenGenerationVersion ?? "V2_0",
      optIns,
      ...(poolKey ? { kms: poolKey } : {}),
      outbox,
      extraRoutes: (req, res) => outbox.handleRequest(req, res),
    });
    stoppers.push(proxy.stop);
    stoppers.push(async () => outbox.close());
    const cognito = publicCognito(emulator, proxy.endpoint);
    stoppers.push(async () => cognito.client.destroy());

    const description: SuiteDescription = {
      pid: process.pid,
      cognitoEndpoint: cognito.endpoint,
      cognitoDataDir: cognito.dataDir,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      lambdaEndpoint: lambda.endpoint,
      ...(kms ? { kmsEndpoint: kms.endpoint } : {}),
      optIns,
      pool: cognito.pool,
      auditTable: required(env, "AUDIT_TABLE_NAME"),
    };
    const suiteFile = join(options.dataDir, SUITE_FILE);
    await writeFile(suiteFile, `${JSON.stringify(description, null, 2)}\n`);
    stoppers.push(() => rm(suiteFile, { force: true }));

    return {
      env,
      description,
      dynamo,
      ses,
      lambda,
      ...(kms ? { kms: { endpoint: kms.endpoint } } : {}),
      cognito,
      outbox,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** cognito-local as its clients see it: behind the proxy, which names the same pool and data. */
function publicCognito(emulator: LocalCognito, endpoint: string): LocalCognito {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return { ...emulator, endpoint, client, stop: async () => client.destroy() };
}

function required(env: Record<string, string>, key: string): string {
  const value = env[key];
  if (!value) throw new Error(`${key} is missing from the local env file`);
  return value;
}
