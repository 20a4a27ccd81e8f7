/**
 * The ports of `cognito-triggers local`: Cognito on --port n, DynamoDB, SES and Lambda on n+1..n+3,
 * and, with --custom-email-sender, the local KMS (which holds the key the codes are encrypted with) on
 * n+4. They are checked before anything starts, and a port taken anyway while starting (a race) reads
 * the same: one line naming the port, its service and the flag that moves the suite (exit code 2).
 */
import { createConnection, createServer } from "node:net";

export const SERVICE_NAMES = {
  cognito: "Cognito",
  dynamodb: "DynamoDB",
  ses: "SES",
  lambda: "Lambda",
  kms: "KMS",
} as const;

export type Service = keyof typeof SERVICE_NAMES;
/** The services every suite runs; the KMS runs only for the custom email sender. */
export type CoreService = Exclude<Service, "kms">;
export type SuitePorts = Record<CoreService, number> & { kms?: number };

export function suitePorts(base: number, options: { kms?: boolean } = {}): SuitePorts {
  return {
    cognito: base,
    dynamodb: base + 1,
    ses: base + 2,
    lambda: base + 3,
    ...(options.kms ? { kms: base + 4 } : {}),
  };
}

/** The suite's ports another process holds, in order. */
export async function portsInUse(ports: SuitePorts): Promise<number[]> {
  const entries = Object.values(ports);
  const busy = await Promise.all(entries.map(isInUse));
  return entries.filter((_, i) => busy[i]);
}

/** The one line for ports in use, e.g. "port 9230 (DynamoDB) is in use; move the suite with --port <n> …". */
export function portsInUseMessage(busy: number[], ports: SuitePorts): string {
  const services = Object.keys(ports) as Service[];
  const named = busy.map((port) => {
    const service = services.find((s) => ports[s] === port);
    return service ? `${port} (${SERVICE_NAMES[service]})` : String(port);
  });
  const what =
    named.length === 1
      ? `port ${named[0]} is`
      : `ports ${named.slice(0, -1).join(", ")} and ${named.at(-1)} are`;
  return `cognito-triggers local: ${what} in use; move the suite with --port <n> (it uses n to n+${services.length - 1})`;
}

/** The port of an EADDRINUSE error thrown while the suite started, if that is what the error is. */
export function portOfAddressInUse(error: unknown): number | undefined {
  const { code, port, message } = (error ?? {}) as { code?: string; port?: number; message?: string };
  if (code !== "EADDRINUSE" && !message?.includes("EADDRINUSE")) return undefined;
  if (typeof port === "number") return port;
  const match = /:(\d+)\s*$/.exec(message ?? "");
  return match ? Number(match[1]) : undefined;
}

/**
 * In use when this process cannot bind it on 127.0.0.1 (on Linux that also catches a listener on
 * 0.0.0.0 or ::), or when something accepts a connection on it at 127.0.0.1 or ::1 (a listener on a
 * wildcard address, which other systems let a specific bind shadow, or on IPv6 loopback only).
 */
async function isInUse(port: number): Promise<boolean> {
  if (!(await canBind(port))) return true;
  const accepted = await Promise.all([accepts(port, "127.0.0.1"), accepts(port, "::1")]);
  return accepted.some(Boolean);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    // A connection to itself (TCP simultaneous open, possible on ports in the ephemeral range) is no listener.
    socket.once("connect", () =>
      done(socket.localPort !== port || socket.localAddress !== socket.remoteAddress),
    );
  });
}
