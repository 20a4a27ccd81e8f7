/**
 * A real SES stand-in (aws-ses-v2-local, in process) started by the test itself on a free port, with
 * the standard SDK variable pointed at it, so the code under test runs unchanged. It accepts SES v1
 * SendEmail; what it received is read back from GET /store.
 * The package keeps one mail store per process: start one server per test file.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export interface LocalSes {
  endpoint: string;
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export function useLocalSesEnv(endpoint: string): void {
  process.env.AWS_REGION ??= "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.AWS_ENDPOINT_URL_SES = endpoint;
}

export async function startSesLocal(): Promise<LocalSes> {
  // A CJS module with a default export: Node puts it at .default.default, vitest's interop at .default.
  type Start = (config: { host: string; port: number }) => Promise<Server>;
  const module = (await import("aws-ses-v2-local")) as unknown as { default: Start | { default: Start } };
  const start = typeof module.default === "function" ? module.default : module.default.default;
  const server = await start({ host: "127.0.0.1", port: 0 });
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    emails: async () => {
      const response = await fetch(`${endpoint}/store`);
      return ((await response.json()) as { emails: StoredEmail[] }).emails;
    },
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: "POST" });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
