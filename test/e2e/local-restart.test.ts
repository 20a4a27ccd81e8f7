/**
 * Stopping and restarting `npm start` keeps the pool and the audit trail, and stopping frees every
 * port. In a file of its own: the handlers' AWS clients live once per process, like in Lambda, so one
 * test process must not host two suites with different endpoints.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { auditRecordsOf, confirmationCode } from "../../cli/local/demo.ts";
import { targetFor } from "../../cli/local/demo-target.ts";
import { startLocalSuite } from "../../cli/local/suite.ts";

describe("restarting the local suite", () => {
  it("keeps the pool and the audit trail, and frees every port it used", async () => {
    const dir = await mkdtemp(join(tmpdir(), "local-restart-"));
    try {
      const first = await startLocalSuite({ dataDir: dir });
      const email = "restart.e2e@example.com";
      const { UserSub } = await first.cognito.client.send(
        new SignUpCommand({
          ClientId: first.cognito.pool.spaClientId,
          Username: email,
          Password: "Restart-Passw0rd!",
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
      await first.cognito.client.send(
        new ConfirmSignUpCommand({
          ClientId: first.cognito.pool.spaClientId,
          Username: email,
          ConfirmationCode: await confirmationCode(targetFor(first.description), email),
        }),
      );
      const poolId = first.cognito.pool.userPoolId;
      const ports = [
        first.cognito.endpoint,
        first.dynamo.endpoint,
        first.ses.endpoint,
        first.lambda.endpoint,
      ].map((url) => Number(new URL(url).port));
      await first.stop();
      for (const port of ports) await expect(canListen(port)).resolves.toBe(true);

      const second = await startLocalSuite({ dataDir: dir });
      try {
        expect(second.cognito.pool.userPoolId).toBe(poolId);
        const target2 = targetFor(second.description);
        const records = await auditRecordsOf(target2, `USER#${UserSub}`);
        target2.close();
        expect(records.map((r) => r.event)).toContain("SIGN_UP_CONFIRMED");
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
