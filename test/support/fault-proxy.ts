/**
 * A loopback HTTP server in front of a real local stand-in (dynalite for DynamoDB, aws-ses-v2-local for
 * SES, the KMS stand-in, the tiny SNS; nothing need answer behind Cognito) that passes every request
 * through, except the ones a rule picks, which meet a fault instead:
 * - "throttled" / "access-denied": a real error answer in the service's own wire format (the JSON
 *   protocols' `__type` for DynamoDB, KMS and Cognito, the Query protocol's XML ErrorResponse for SES v1
 *   and SNS), so the real SDK parses, classifies and retries it exactly as it would one from AWS;
 * - "slow": the request is accepted and never answered (slower than any budget);
 * - "dropped": the connection is closed without an answer (the endpoint is lost mid-request).
 * Rules pick requests by operation and DynamoDB table, KMS key, or recipient (SES address, SNS phone
 * number, Cognito user name), so tests that share one endpoint (and the handlers' once-per-process SDK
 * clients) can each fault their own call.
 * Every request is recorded with what it got, so tests can count the SDK's attempts.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Fault = "throttled" | "access-denied" | "slow" | "dropped";
export type Protocol = "dynamodb" | "ses" | "kms" | "sns" | "cognito";

export interface FaultRule {
  fault: Fault;
  /** The operation ("PutItem", "Decrypt", "AdminGetUser", ...) or Query action ("SendEmail", "Publish"). */
  operation?: string;
  table?: string;
  keyId?: string;
  recipient?: string;
}

export interface ProxiedRequest {
  operation: string;
  table?: string;
  keyId?: string;
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
        (r.keyId === undefined || r.keyId === seen.keyId) &&
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

/** What each service answers, byte for byte in structure, when it throttles or denies a call. */
const ERROR_ANSWERS: Record<
  Protocol,
  Record<"throttled" | "access-denied", (r: ProxiedRequest) => ErrorAnswer>
> = {
  dynamodb: {
    throttled: () =>
      jsonError(
        "1.0",
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
      ),
    "access-denied": (r) =>
      jsonError(
        "1.0",
        "com.amazon.coral.service#AccessDeniedException",
        `User: ${ACCOUNT_ROLE} is not authorized to perform: dynamodb:${r.operation} on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/${r.table} because no identity-based policy allows the dynamodb:${r.operation} action`,
      ),
  },
  ses: {
    throttled: () => queryError(SES_XMLNS, 400, "Throttling", "Maximum sending rate exceeded."),
    "access-denied": (r) =>
      queryError(
        SES_XMLNS,
        403,
        "AccessDenied",
        `User \`${ACCOUNT_ROLE}' is not authorized to perform \`ses:${r.operation}' on resource \`arn:aws:ses:eu-west-1:123456789012:identity/mail.example.com'`,
      ),
  },
  kms: {
    throttled: () => jsonError("1.1", "ThrottlingException", "Rate exceeded"),
    "access-denied": (r) =>
      jsonError(
        "1.1",
        "AccessDeniedException",
        `User: ${ACCOUNT_ROLE} is not authorized to perform: kms:${r.operation} on resource: arn:aws:kms:us-east-1:111122223333:key/0000000-local-stand-in-not-a-secret because no identity-based policy allows the kms:${r.operation} action`,
      ),
  },
  cognito: {
    throttled: () => jsonError("1.1", "TooManyRequestsException", "Too many requests"),
    "access-denied": (r) =>
      jsonError(
        "1.1",
        "AccessDeniedException",
        `User: ${ACCOUNT_ROLE} is not authorized to perform: cognito-idp:${r.operation} on resource: arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_Ab12Cd34E because no identity-based policy allows the cognito-idp:${r.operation} action`,
      ),
  },
  sns: {
    // SNS answers Publish's throttling with HTTP 429, a missing permission with 403.
    throttled: () => queryError(SNS_XMLNS, 429, "Throttled", "Rate exceeded"),
    "access-denied": () =>
      queryError(
        SNS_XMLNS,
        403,
        "AuthorizationError",
        `User: ${ACCOUNT_ROLE} is not authorized to perform: SNS:Publish on resource: +1****** because no identity-based policy allows the SNS:Publish action`,
      ),
  },
};

/** The AWS JSON protocols (1.0: DynamoDB; 1.1: KMS, Cognito): HTTP 400 and the error shape in "__type". */
function jsonError(version: "1.0" | "1.1", type: string, message: string): ErrorAnswer {
  return {
    status: 400,
    contentType: `application/x-amz-json-${version}`,
    body: JSON.stringify({ __type: type, message }),
  };
}

const SES_XMLNS = "http://ses.amazonaws.com/doc/2010-12-01/";
const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/** SES v1 and SNS speak the AWS Query protocol: errors are an XML ErrorResponse. */
function queryError(xmlns: string, status: number, code: string, message: string): ErrorAnswer {
  return {
    status,
    contentType: "text/xml",
    body: `<ErrorResponse xmlns="${xmlns}">
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

/**
 * What a rule can pick a request by. The JSON protocols name the operation in X-Amz-Target
 * ("<service>.<operation>") and the table, key or user in the body; the Query protocols name the action
 * and the recipient in the form.
 */
function describe(protocol: Protocol, incoming: IncomingMessage, body: Buffer): ProxiedRequest {
  const text = body.toString("utf8");
  if (protocol === "ses" || protocol === "sns") {
    const form = new URLSearchParams(text);
    const recipient =
      form.get(protocol === "ses" ? "Destination.ToAddresses.member.1" : "PhoneNumber") ?? undefined;
    return { operation: form.get("Action") ?? "", ...(recipient === undefined ? {} : { recipient }) };
  }
  const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
  let input: { TableName?: unknown; KeyId?: unknown; Username?: unknown };
  try {
    input = (JSON.parse(text) as typeof input | null) ?? {};
  } catch {
    input = {};
  }
  const value = { dynamodb: input.TableName, kms: input.KeyId, cognito: input.Username }[protocol];
  const seen: ProxiedRequest = { operation };
  if (typeof value === "string") seen[PICKED_BY[protocol]] = value;
  return seen;
}

/** The field of a JSON protocol's request that rules pick it by. */
const PICKED_BY = { dynamodb: "table", kms: "keyId", cognito: "recipient" } as const;

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
