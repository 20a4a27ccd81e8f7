/**
 * Small local HTTP servers for the post authentication tests: a pass-through proxy in front of
 * dynalite that records every request and connection the handler makes, and a server that accepts
 * requests and never answers (a DynamoDB slower than any budget).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LocalServer {
  endpoint: string;
  /** The X-Amz-Target of every request received, in order (e.g. "DynamoDB_20120810.PutItem"). */
  operations: string[];
  /** TCP connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

async function serve(server: Server, operations: string[]): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on("connection", (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startRecordingProxy(target: string): Promise<LocalServer> {
  const operations: string[] = [];
  const server = createServer((incoming, outgoing) => {
    operations.push(String(incoming.headers["x-amz-target"]));
    const upstream = request(
      new URL(incoming.url ?? "/", target),
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  return serve(server, operations);
}

export function startSilentServer(): Promise<LocalServer> {
  const operations: string[] = [];
  const server = createServer((incoming) => {
    operations.push(String(incoming.headers["x-amz-target"]));
    // Never answers: the caller's own timeouts must end the wait.
  });
  return serve(server, operations);
}
