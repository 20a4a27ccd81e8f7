/**
 * What the demo drives: the local suite started in this process, or one already running in another
 * (`npm start`), found through the suite.json it writes into its data folder.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { PoolIds } from "./cognito.ts";
import type { LocalOptIn } from "./cognito-behaviour.ts";
import { INVOCATIONS_PATH, type InvocationRecord } from "./lambda-endpoint.ts";
import type { StoredEmail } from "./ses.ts";

export const SUITE_FILE = "suite.json";

/** Written by a running suite so that other processes can find it. */
export interface SuiteDescription {
  pid: number;
  cognitoEndpoint: string;
  cognitoDataDir: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  lambdaEndpoint: string;
  /** The local KMS, when the custom email sender is attached. */
  kmsEndpoint?: string;
  /** The optional triggers attached (absent in the suite.json of an older version: none). */
  optIns?: LocalOptIn[];
  pool: PoolIds;
  auditTable: string;
}

export interface DemoTarget {
  description: SuiteDescription;
  cognito: CognitoIdentityProviderClient;
  dynamo: DynamoDBClient;
  /** The SES store's emails, or only those sent at or after `sinceSeconds` (epoch seconds). */
  emails(sinceSeconds?: number): Promise<StoredEmail[]>;
  invocations(): Promise<InvocationRecord[]>;
  close(): void;
}

export function targetFor(description: SuiteDescription): DemoTarget {
  const local = { region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  const cognito = new CognitoIdentityProviderClient({ ...local, endpoint: description.cognitoEndpoint });
  const dynamo = new DynamoDBClient({ ...local, endpoint: description.dynamoEndpoint });
  const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
  return {
    description,
    cognito,
    dynamo,
    emails: async (sinceSeconds?: number) =>
      (
        await getJson<{ emails: StoredEmail[] }>(
          `${description.sesEndpoint}/store${sinceSeconds === undefined ? "" : `?since=${sinceSeconds}`}`,
        )
      ).emails,
    invocations: () => getJson<InvocationRecord[]>(`${description.lambdaEndpoint}${INVOCATIONS_PATH}`),
    close: () => {
      cognito.destroy();
      dynamo.destroy();
    },
  };
}

/** The suite running from `dataDir`, if its suite.json names a live process whose endpoints answer. */
export async function findRunningSuite(dataDir: string): Promise<SuiteDescription | undefined> {
  let description: SuiteDescription;
  try {
    description = JSON.parse(await readFile(join(dataDir, SUITE_FILE), "utf8")) as SuiteDescription;
    process.kill(description.pid, 0);
  } catch {
    return undefined;
  }
  try {
    await fetch(`${description.lambdaEndpoint}${INVOCATIONS_PATH}`, { signal: AbortSignal.timeout(1_000) });
    return description;
  } catch {
    return undefined;
  }
}
