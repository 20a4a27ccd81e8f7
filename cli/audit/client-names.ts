/**
 * Names for app client ids in `audit report`, so a reviewer reads "Public SPA client" next to
 * `4f1k9...`. Two sources, the file winning where both name a client:
 * - `--client-names FILE`: a JSON object `{ "<client id>": "<name>" }`, checked before any read;
 * - with `--stack`, the stack's own client outputs (SpaClientId, ServerClientId in infra/suite-stack.ts),
 *   named by their output description, read with the same DescribeStacks call the table comes from.
 *   A stack attached to an existing pool has no client outputs; the file names those clients.
 * The names are text like any other in the report: escaped where they are shown.
 */
import { readFile, stat } from "node:fs/promises";
import type { Output } from "@aws-sdk/client-cloudformation";
import { UsageError } from "../usage-error.ts";
import type { ClientSettings } from "./dynamo.ts";
import { stackOutputs } from "./stack-output.ts";

export type ClientNames = ReadonlyMap<string, string>;

/** Far more than any pool's clients (1,000 at most): a bigger file is not a names file. */
const MAX_FILE_BYTES = 1_048_576;
const MAX_NAME_LENGTH = 256;
/** Cognito's pattern for a client id, [\w+]+, up to 128 characters. */
const CLIENT_ID = /^[\w+]{1,128}$/;

/**
 * The names the report shows: the stack's client outputs (with --stack), then the file's. The file is
 * the reviewer's input, so a bad one is a usage error; the stack only adds names, so a failure to read
 * it again is a warning and the report goes on without them.
 */
export async function reportClientNames(options: {
  file: string | undefined;
  stackName: string | undefined;
  client: ClientSettings;
  warn: (line: string) => void;
}): Promise<ClientNames> {
  const fromFile =
    options.file === undefined ? new Map<string, string>() : await readClientNamesFile(options.file);
  let fromStack = new Map<string, string>();
  if (options.stackName !== undefined) {
    try {
      fromStack = clientNamesFromOutputs(await stackOutputs(options.stackName, options.client));
    } catch (error) {
      options.warn(
        `cognito-triggers: app client names not read from stack ${JSON.stringify(options.stackName)} (${(error as Error).name}); the report shows ids only`,
      );
    }
  }
  return mergeClientNames(fromStack, fromFile);
}

export async function readClientNamesFile(path: string): Promise<Map<string, string>> {
  const option = `--client-names ${path}`;
  let text: string;
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) {
      throw new UsageError(`${option}: larger than 1 MiB, not a names file`);
    }
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${option}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${option} is not JSON: expected { "<client id>": "<name>", ... }`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${option} must be a JSON object { "<client id>": "<name>", ... }`);
  }
  const names = new Map<string, string>();
  for (const [id, name] of Object.entries(parsed)) {
    if (!CLIENT_ID.test(id)) {
      throw new UsageError(`${option}: ${JSON.stringify(id)} is not an app client id`);
    }
    if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME_LENGTH) {
      throw new UsageError(`${option}: the name of ${id} must be text of 1 to ${MAX_NAME_LENGTH} characters`);
    }
    names.set(id, name.trim());
  }
  return names;
}

/**
 * The client ids among the stack's outputs (keys ending in ClientId), each named by its description up
 * to the first parenthesis ("Public SPA client (SRP, no secret)" gives "Public SPA client"), else by
 * the key ("SpaClientId" gives "Spa").
 */
export function clientNamesFromOutputs(outputs: readonly Output[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { OutputKey: key, OutputValue: id, Description: description } of outputs) {
    if (!key?.endsWith("ClientId") || !id || !CLIENT_ID.test(id)) continue;
    const fromDescription = description?.split("(")[0]?.trim();
    const name = fromDescription || key.slice(0, -"ClientId".length) || key;
    names.set(id, name.slice(0, MAX_NAME_LENGTH));
  }
  return names;
}

/** The stack's names, overridden by the file's. */
export function mergeClientNames(...sources: ReadonlyArray<ReadonlyMap<string, string>>): ClientNames {
  const merged = new Map<string, string>();
  for (const source of sources) for (const [id, name] of source) merged.set(id, name);
  return merged;
}
