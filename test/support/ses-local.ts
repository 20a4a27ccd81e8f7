/**
 * A real SES stand-in (aws-ses-v2-local, in process; the same one `npm start` runs) on a free port,
 * with the standard SDK variable pointed at it, so the code under test runs unchanged. What it
 * received is read back from GET /store. It keeps one mail store per process: one server per test file.
 */
import { type LocalSes, startSes } from "../../cli/local/ses.ts";

export type { LocalSes, StoredEmail } from "../../cli/local/ses.ts";

export function useLocalSesEnv(endpoint: string): void {
  process.env.AWS_REGION ??= "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.AWS_ENDPOINT_URL_SES = endpoint;
}

export function startSesLocal(): Promise<LocalSes> {
  return startSes();
}
