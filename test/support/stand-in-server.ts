/**
 * The HTTP side of a tiny AWS service stand-in (the SNS of sns.ts, the bench's Cognito): a loopback
 * server on a free port that reads each request's whole body and sends the answer the stand-in gives
 * for it, with the request id AWS puts in every answer's x-amzn-requestid header.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** Answers one request; `requestId` is the one the answer's header carries, for documents that repeat it. */
export type StandInService = (request: IncomingMessage, body: string, requestId: string) => StandInAnswer;

export interface StandInServer {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startStandInServer(service: StandInService): Promise<StandInServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const requestId = randomUUID();
      const answer = service(request, Buffer.concat(chunks).toString("utf8"), requestId);
      response.writeHead(answer.status, {
        "content-type": answer.contentType,
        "x-amzn-requestid": requestId,
        ...answer.headers,
      });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
