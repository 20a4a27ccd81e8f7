/**
 * An allowed sign-in must not load the AWS SDK: it is the common path and pays only for what it uses.
 * Each case runs one sign-in in a fresh Node process that records every module it resolves.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = fileURLToPath(new URL("./fixtures/sign-in-in-fresh-process.ts", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pre-auth-loads-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function signInInFreshProcess(mode: "allowed" | "denied") {
  const logFile = join(dir, `${mode}.txt`);
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", SCRIPT, logFile, mode], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      // Nothing listens here: a denial's write fails fast and the record goes to the log.
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  const result = stdout.split("\n").find((line) => line.startsWith("RESULT "));
  const modules = (await readFile(logFile, "utf8")).split("\n").filter(Boolean);
  return { outcome: JSON.parse(result?.slice("RESULT ".length) ?? "{}").outcome as string, modules };
}

const isAwsSdk = (url: string) => /\/node_modules\/@(aws-sdk|smithy)\//.test(url);

describe("cold start of pre authentication", () => {
  it("an allowed sign-in loads the handler and no AWS SDK module", async () => {
    const { outcome, modules } = await signInInFreshProcess("allowed");
    expect(outcome).toBe("allowed");
    expect(modules.some((url) => url.endsWith("/triggers/pre-authentication/trigger.ts"))).toBe(true);
    expect(modules.filter(isAwsSdk)).toEqual([]);
  });

  it("a denial loads the SDK to write its audit record (so the check above can see it)", async () => {
    const { outcome, modules } = await signInInFreshProcess("denied");
    expect(outcome).toBe("Sign-in is not allowed. Contact your administrator if you need access");
    expect(modules.some((url) => url.includes("/node_modules/@aws-sdk/client-dynamodb/"))).toBe(true);
  });
});
