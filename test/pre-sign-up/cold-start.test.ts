/**
 * The allowed path must not load the AWS SDK (a cold-start benchmark holds it close to an empty
 * handler): the audit trail, and the SDK with it, is imported on refusal only. This file imports
 * nothing that loads the SDK itself, so the module hooks below see exactly what the handler loads.
 */
import { readFileSync } from "node:fs";
import { afterEach, expect, it, vi } from "vitest";
import { captureLogs } from "../support/capture-logs.ts";

const loaded = vi.hoisted(() => [] as string[]);
vi.mock("@aws-sdk/client-dynamodb", async (importOriginal) => {
  loaded.push("@aws-sdk/client-dynamodb");
  return importOriginal();
});
vi.mock("@aws-sdk/util-dynamodb", async (importOriginal) => {
  loaded.push("@aws-sdk/util-dynamodb");
  return importOriginal();
});

const { createHandler } = await import("../../triggers/pre-sign-up/trigger.ts");
const event = () =>
  JSON.parse(readFileSync(new URL("../../events/pre-sign-up/sign-up-allowed.json", import.meta.url), "utf8"));
const env = { ALLOWED_EMAIL_DOMAINS: "*.example.co.jp", AUDIT_TABLE_NAME: "audit" };

let logs: ReturnType<typeof captureLogs> | undefined;
afterEach(() => logs?.restore());

it("an allowed sign-up loads no AWS SDK; a refusal does", async () => {
  await createHandler(env)(event());
  expect(loaded).toEqual([]);

  // Pointed at a closed port, the write fails fast and goes to the log; the module is loaded by then.
  process.env.AWS_REGION = "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  process.env.AWS_ENDPOINT_URL_DYNAMODB = "http://127.0.0.1:9";
  logs = captureLogs();
  const refused = { ...event(), request: { userAttributes: { email: "a@evil.io" } } };
  await expect(createHandler(env)(refused)).rejects.toThrow("Sign-up is not available");
  expect(loaded).toContain("@aws-sdk/client-dynamodb");
});
