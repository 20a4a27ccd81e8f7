/**
 * A loopback HTTP server in front of a real local stand-in (dynalite for DynamoDB, aws-ses-v2-local for
 * SES) that passes every request through, except the ones a rule picks, which meet a fault instead:
 * - "throttled" / "access-denied": a real error answer in the service's own wire format (DynamoDB's
 *   JSON 1.0 `__type`, SES v1's Query-protocol XML ErrorResponse), so the real SDK parses, classifies
 *   and retries it exactly as it would one from AWS;
 * - "slow": the request is accepted and never answered (slower than any budget);
 * - "dropped": the connection is closed without an answer (the endpoint is lost mid-request).
 * Rules pick requests by operation and DynamoDB table, or by SES recipient, so tests that share one
 * endpoint (and the handlers' once-per-process SDK clients) can each fault their own call.
 * Every request is recorded with what it got, so tests can count the SDK's attempts.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Fault = "throttled" | "access-denied" | "slow" | "dropped";
export type Protocol = "dynamodb" | "ses";

export interface FaultRule {
  fault: Fault;
  /** DynamoDB operation ("PutItem", "GetItem", ...) or SES action ("SendEmail"). */
  operation?: string;
  table?: string;
  recipient?: string;
}

export interface ProxiedRequest {
  operation: string;
  table?: string;
  recipient?: string;
  /** The fault it met, if a rule picked it. */
  fault?: Fault;
  /** The HTTP status it was answered with; undefined while unanswered (or never, for slow/dropped). */
  status?: number;
}

export interface FaultProxy {
  endpoint: string;
  requests: ProxiedRequest[];
  rules: FaultRule[];
  stop(): Promise<void>;
}

export async function startFaultProxy(options: {
  protocol: Protocol;
  upstream: string;
  rules?: FaultRule[];
}): Promise<FaultProxy> {
  const rules = [...(options.rules ?? [])];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const serve = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const body = await readBody(incoming);
    const seen = describe(options.protocol, incoming, body);
    requests.push(seen);
    const rule = rules.find(
      (r) =>
        (r.operation === undefined || r.operation === seen.operation) &&
        (r.table === undefined || r.table === seen.table) &&
        (r.recipient === undefined || r.recipient === seen.recipient),
    );
    if (!rule) return forward(options.upstream, incoming, body, outgoing, seen);
    seen.fault = rule.fault;
    switch (rule.fault) {
      case "slow":
        return; // accepted, never answered: the caller's own timeouts must end the wait
      case "dropped":
        incoming.socket.destroy();
        return;
      default: {
        const answer = ERROR_ANSWERS[options.protocol][rule.fault](seen);
        seen.status = answer.status;
        outgoing.writeHead(answer.status, {
          "content-type": answer.contentType,
          "x-amzn-requestid": randomUUID(),
          "content-length": Buffer.byteLength(answer.body),
        });
        outgoing.end(answer.body);
      }
    }
  };
  const server = createServer((incoming, outgoing) => {
    serve(incoming, outgoing).catch(() => outgoing.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rules,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An address where nothing listens: the endpoint is unreachable (connection refused). */
export async function unreachableEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

interface ErrorAnswer {
  status: number;
  contentType: string;
  body: string;
}

const ACCOUNT_ROLE = "arn:aws:sts::123456789012:assumed-role/cognito-trigger/fault-injection";

/** What DynamoDB and SES answer, byte for byte in structure, when they throttle or deny a call. */
const ERROR_ANSWERS: Record<
  Protocol,
  Record<"throttled" | "access-denied", (r: ProxiedRequest) => ErrorAnswer>
> = {
  dynamodb: {
    throttled: () =>
      dynamoError(
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
      ),
    "access-denied": (r) =>
      dynamoError(
        "com.amazon.coral.service#AccessDeniedException",
        `User: ${ACCOUNT_ROLE} is not authorized to perform: dynamodb:${r.operation} on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/${r.table} because no identity-based policy allows the dynamodb:${r.operation} action`,
      ),
  },
  ses: {
    throttled: () => sesError(400, "Throttling", "Maximum sending rate exceeded."),
    "access-denied": (r) =>
      sesError(
        403,
        "AccessDenied",
        `User \`${ACCOUNT_ROLE}' is not authorized to perform \`ses:${r.operation}' on resource \`arn:aws:ses:eu-west-1:123456789012:identity/mail.example.com'`,
      ),
  },
};

function dynamoError(type: string, message: string): ErrorAnswer {
  // DynamoDB's JSON 1.0 protocol: HTTP 400 and the error shape in "__type".
  return {
    status: 400,
    contentType: "application/x-amz-json-1.0",
    body: JSON.stringify({ __type: type, message }),
  };
}

function sesError(status: number, code: string, message: string): ErrorAnswer {
  // SES v1 speaks the AWS Query protocol: errors are an XML ErrorResponse.
  return {
    status,
    contentType: "text/xml",
    body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <Error>
    <Type>Sender</Type>
    <Code>${code}</Code>
    <Message>${message.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`,
  };
}

function describe(protocol: Protocol, incoming: IncomingMessage, body: Buffer): ProxiedRequest {
  if (protocol === "dynamodb") {
    const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    let table: string | undefined;
    try {
      table = (JSON.parse(body.toString("utf8")) as { TableName?: string }).TableName;
    } catch {
      table = undefined;
    }
    return { operation, ...(table === undefined ? {} : { table }) };
  }
  const form = new URLSearchParams(body.toString("utf8"));
  const recipient = form.get("Destination.ToAddresses.member.1") ?? undefined;
  return { operation: form.get("Action") ?? "", ...(recipient === undefined ? {} : { recipient }) };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => resolve(Buffer.concat(chunks)));
    incoming.on("error", reject);
  });
}

function forward(
  upstream: string,
  incoming: IncomingMessage,
  body: Buffer,
  outgoing: ServerResponse,
  seen: ProxiedRequest,
): void {
  const proxied = request(
    new URL(incoming.url ?? "/", upstream),
    { method: incoming.method, headers: incoming.headers },
    (answer) => {
      seen.status = answer.statusCode;
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  proxied.on("error", () => outgoing.destroy());
  proxied.end(body);
}
