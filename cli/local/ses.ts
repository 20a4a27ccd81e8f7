/**
 * aws-ses-v2-local, the SES stand-in: accepts SES v1 SendEmail, shows every mail at GET / and returns
 * them from GET /store. The package keeps one mail store per process: one server per process.
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

export async function startSes(options: { port?: number } = {}): Promise<LocalSes> {
  type Start = (o: { host: string; port: number }) => Promise<Server>;
  // A CommonJS module: Node's ESM loader exposes its start function as `default`, some bundlers as `default.default`.
  const module = (await import("aws-ses-v2-local")) as unknown as { default: Start | { default: Start } };
  const start = typeof module.default === "function" ? module.default : module.default.default;
  const server = await start({ host: "127.0.0.1", port: options.port ?? 0 });
  if (!server.listening) {
    // Express resolves with a server that failed to listen, dropping the error (EADDRINUSE when another
    // process took the port): listening once more either succeeds or gives that error.
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  }
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    emails: async () =>
      ((await (await fetch(`${endpoint}/store`)).json()) as { emails: StoredEmail[] }).emails,
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: "POST" });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
