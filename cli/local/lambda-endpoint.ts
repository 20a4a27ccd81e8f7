/**
 * A Lambda Invoke endpoint (POST /2015-03-31/functions/<name>/invocations) that runs the real
 * handlers in this process, as Lambda would: 200 with the returned event, or 200 with
 * `X-Amz-Function-Error: Unhandled` and `{ errorType, errorMessage }` when the handler throws.
 * Function names are Cognito's trigger names (PreSignUp, ...), so cognito-local's error text reads
 * exactly like real Cognito's.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Env } from "../../triggers/lib/config.ts";
import type { Handler } from "../../triggers/lib/define-trigger.ts";
import type { TriggerName } from "../../triggers/lib/events.ts";
import { loadTrigger, triggerForFunctionName } from "../triggers.ts";

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
export const INVOCATIONS_PATH = "/local/invocations";
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface InvocationRecord {
  functionName: string;
  triggerSource?: string;
  outcome: "returned" | "error";
  errorMessage?: string;
  /** The returned `response` (what Cognito will use); the request is never kept. */
  response?: unknown;
}

export type InvocationOutcome = { ok: true; result: unknown } | { ok: false; errorMessage: string };

export interface LambdaEndpoint {
  endpoint: string;
  /** What was invoked and returned, in order (never the requests, which may carry passwords). */
  invocations: InvocationRecord[];
  /** Invokes a trigger directly (the pool proxy fires what cognito-local does not), recorded like the rest. */
  invoke(functionName: string, event: unknown): Promise<InvocationOutcome>;
  stop(): Promise<void>;
}

export async function startLambdaEndpoint(options: {
  env: Env;
  port?: number;
  /** Applied to each event before the handler runs (see cognito-local-gaps.ts). */
  adaptEvent?: (event: unknown) => unknown | Promise<unknown>;
}): Promise<LambdaEndpoint> {
  const handlers = new Map<TriggerName, Handler>();
  const invocations: InvocationRecord[] = [];

  const handlerFor = async (trigger: TriggerName): Promise<Handler | undefined> => {
    if (!handlers.has(trigger)) {
      const createHandler = await loadTrigger(trigger);
      if (!createHandler) return undefined;
      handlers.set(trigger, createHandler(options.env));
    }
    return handlers.get(trigger);
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: Error) => reply(res, 500, { message: error.message }));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The demo (possibly another process) reads what the handlers returned here.
    if (req.method === "GET" && req.url === INVOCATIONS_PATH) return reply(res, 200, invocations);
    const match = INVOKE_PATH.exec(req.url ?? "");
    if (req.method !== "POST" || !match?.[1])
      return reply(res, 404, { message: "not a Lambda Invoke request" });
    const functionName = decodeURIComponent(match[1]);
    const trigger = triggerForFunctionName(functionName);
    const handler = trigger && (await handlerFor(trigger));
    if (!handler) {
      return reply(
        res,
        404,
        { Type: "User", message: `Function not found: ${functionName}` },
        {
          "x-amzn-errortype": "ResourceNotFoundException",
        },
      );
    }
    const body = await readBody(req);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(
        res,
        400,
        { message: "payload is not JSON" },
        { "x-amzn-errortype": "InvalidRequestContentException" },
      );
    }
    const event = options.adaptEvent ? await options.adaptEvent(payload) : payload;
    const outcome = await invoke(functionName, event);
    if (outcome.ok) return reply(res, 200, outcome.result);
    reply(
      res,
      200,
      { errorType: "Error", errorMessage: outcome.errorMessage },
      { "x-amz-function-error": "Unhandled" },
    );
  }

  /** Runs a trigger as Lambda would (cognito-local's requests and the pool proxy's both come here). */
  async function invoke(functionName: string, event: unknown): Promise<InvocationOutcome> {
    const trigger = triggerForFunctionName(functionName);
    const handler = trigger && (await handlerFor(trigger));
    if (!handler) throw new Error(`no handler for ${functionName}`);
    const triggerSource = (event as { triggerSource?: string }).triggerSource;
    try {
      const result = await handler(event, { awsRequestId: randomUUID(), functionName });
      const response = (result as { response?: unknown } | undefined)?.response;
      invocations.push({
        functionName,
        outcome: "returned",
        response,
        ...(triggerSource ? { triggerSource } : {}),
      });
      return { ok: true, result };
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error);
      invocations.push({
        functionName,
        outcome: "error",
        errorMessage,
        ...(triggerSource ? { triggerSource } : {}),
      });
      return { ok: false, errorMessage };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    invoke,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) throw new Error("payload larger than 6 MB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
