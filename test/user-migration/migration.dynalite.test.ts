import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import type { LegacyUserStore } from "../../triggers/lib/services.ts";
import { createHandler, MIGRATION_REFUSED_MESSAGE } from "../../triggers/user-migration/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import {
  AUDIT_TABLE,
  createLegacyTable,
  ENV,
  getLegacyUser,
  HASHERS,
  migrationEvent,
  putLegacyUser,
} from "./legacy-directory.ts";

const PASSWORD = "Legacy-Passw0rd!";
type Result = { response: Record<string, unknown> };

describe("user migration against dynalite", () => {
  let dynamo: LocalDynamo;
  let logs: ReturnType<typeof captureLogs>;
  const formats = Object.keys(HASHERS);
  const loginFor = (format: string) => `${format.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}@example.com`;

  beforeAll(async () => {
    dynamo = await startDynalite();
    useLocalAwsEnv(dynamo.endpoint);
    await createLegacyTable(dynamo.client);
    await createAuditTable(dynamo.client, AUDIT_TABLE);
    let n = 0;
    for (const [format, hash] of Object.entries(HASHERS)) {
      n += 1;
      await putLegacyUser(dynamo.client, {
        login: loginFor(format),
        legacyId: `L-${String(n).padStart(6, "0")}`,
        passwordHash: await hash(PASSWORD),
        email: loginFor(format),
        emailVerified: true,
        name: "山田太郎",
        nickname: "たろう",
      });
    }
    await putLegacyUser(dynamo.client, {
      login: "disabled@example.com",
      legacyId: "L-000900",
      passwordHash: await HASHERS["bcrypt $2b$"]?.(PASSWORD),
      email: "disabled@example.com",
      emailVerified: true,
      disabled: true,
    });
  });
  afterAll(async () => dynamo.stop());
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  const auditItems = async () =>
    ((await dynamo.client.send(new ScanCommand({ TableName: AUDIT_TABLE }))).Items ?? []).map((i) =>
      unmarshall(i),
    );

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  };

  it.each(formats)("migrates a %s user who types the right password, without sub", async (format) => {
    const login = loginFor(format);
    const handler = createHandler(ENV);
    const result = (await handler(migrationEvent("UserMigration_Authentication", login, PASSWORD), {
      awsRequestId: `ok-${login}`,
    })) as Result;

    expect(result.response).toEqual({
      userAttributes: {
        email: login,
        email_verified: "true",
        name: "山田太郎",
        nickname: "たろう",
        "custom:legacy_id": expect.stringMatching(/^L-\d{6}$/),
      },
      finalUserStatus: "CONFIRMED",
      messageAction: "SUPPRESS",
      desiredDeliveryMediums: ["EMAIL"],
      forceAliasCreation: false,
      enableSMSMFA: false,
    });
    expect(result.response.userAttributes).not.toHaveProperty("sub");
    expect(result.response.userAttributes).not.toHaveProperty("username");

    expect((await getLegacyUser(dynamo.client, login))?.migratedAt).toEqual(expect.any(String));
    const audit = (await auditItems()).filter((item) => item.requestId === `ok-${login}`);
    expect(audit).toEqual([
      expect.objectContaining({
        event: "MIGRATED",
        outcome: "success",
        reason: "password-verified",
        userName: login,
      }),
    ]);
  });

  it.each(formats)("gives a wrong %s password and an unknown user the identical message", async (format) => {
    const handler = createHandler(ENV);
    const wrong = await refusal(
      handler(migrationEvent("UserMigration_Authentication", loginFor(format), "not-my-Passw0rd"), {
        awsRequestId: `wrong-${format}`,
      }),
    );
    const unknown = await refusal(
      handler(migrationEvent("UserMigration_Authentication", `nobody-${loginFor(format)}`, PASSWORD), {
        awsRequestId: `unknown-${format}`,
      }),
    );
    expect(wrong).toBe(MIGRATION_REFUSED_MESSAGE);
    expect(unknown).toBe(wrong);
    const audit = await auditItems();
    expect(audit.find((i) => i.requestId === `wrong-${format}`)).toMatchObject({
      event: "MIGRATION_DENIED",
      outcome: "denied",
      reason: "wrong-password",
    });
    expect(audit.find((i) => i.requestId === `unknown-${format}`)).toMatchObject({
      event: "MIGRATION_DENIED",
      reason: "unknown-user",
    });
  });

  it("refuses a disabled user even with the right password, with the same message", async () => {
    const message = await refusal(
      createHandler(ENV)(migrationEvent("UserMigration_Authentication", "disabled@example.com", PASSWORD), {
        awsRequestId: "disabled",
      }),
    );
    expect(message).toBe(MIGRATION_REFUSED_MESSAGE);
    expect((await getLegacyUser(dynamo.client, "disabled@example.com"))?.migratedAt).toBeUndefined();
    expect((await auditItems()).find((i) => i.requestId === "disabled")).toMatchObject({
      reason: "disabled",
    });
    // Forgot-password cannot bring a disabled user in either.
    await expect(
      createHandler(ENV)(migrationEvent("UserMigration_ForgotPassword", "disabled@example.com")),
    ).rejects.toThrow(MIGRATION_REFUSED_MESSAGE);
  });

  it("never returns sub, even when the legacy record carries one", async () => {
    await putLegacyUser(dynamo.client, {
      login: "with-sub@example.com",
      legacyId: "L-000901",
      passwordHash: await HASHERS.argon2id?.(PASSWORD),
      email: "with-sub@example.com",
      emailVerified: true,
      sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
      attributes: { sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b" },
    });
    for (const event of [
      migrationEvent("UserMigration_Authentication", "with-sub@example.com", PASSWORD),
      migrationEvent("UserMigration_ForgotPassword", "with-sub@example.com"),
    ]) {
      const result = (await createHandler(ENV)(event)) as Result;
      expect(result.response.userAttributes).not.toHaveProperty("sub");
      expect(JSON.stringify(result.response)).not.toContain("0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b");
    }
  });

  it("finds the user whatever the case and width of the typed name", async () => {
    const login = "width@example.com";
    await putLegacyUser(dynamo.client, {
      login,
      legacyId: "L-000910",
      passwordHash: await HASHERS.argon2id?.(PASSWORD),
      email: login,
      emailVerified: true,
    });
    const result = (await createHandler(ENV)(
      migrationEvent("UserMigration_Authentication", `  ${login.toUpperCase()} `, PASSWORD),
    )) as Result;
    expect(result.response.finalUserStatus).toBe("CONFIRMED");
  });

  it("marks the record once: a retried migration succeeds and keeps the first migratedAt", async () => {
    await putLegacyUser(dynamo.client, {
      login: "retry@example.com",
      legacyId: "L-000902",
      passwordHash: await HASHERS["bcrypt $2b$"]?.(PASSWORD),
      email: "retry@example.com",
      emailVerified: true,
    });
    const at = (iso: string) => ({ now: () => new Date(iso) });
    const event = () => migrationEvent("UserMigration_Authentication", "retry@example.com", PASSWORD);
    await createHandler(ENV, at("2026-11-20T09:00:00.000Z"))(event(), { awsRequestId: "retry-1" });
    await createHandler(ENV, at("2026-11-20T09:00:04.000Z"))(event(), { awsRequestId: "retry-2" });
    expect((await getLegacyUser(dynamo.client, "retry@example.com"))?.migratedAt).toBe(
      "2026-11-20T09:00:00.000Z",
    );
    const audit = (await auditItems()).filter((i) => String(i.requestId).startsWith("retry-"));
    expect(audit.map((i) => i.event)).toEqual(["MIGRATED", "MIGRATED"]);
  });

  it("migrates on forgot-password with a verified email and no password, as RESET_REQUIRED", async () => {
    await putLegacyUser(dynamo.client, {
      login: "forgot@example.com",
      legacyId: "L-000903",
      passwordHash: await HASHERS["bcrypt $2b$"]?.(PASSWORD),
      email: "forgot@example.com",
      emailVerified: true,
      name: "伊藤さくら",
    });
    const result = (await createHandler(ENV)(
      migrationEvent("UserMigration_ForgotPassword", "forgot@example.com"),
      {
        awsRequestId: "forgot",
      },
    )) as Result;
    expect(result.response).toEqual({
      userAttributes: {
        email: "forgot@example.com",
        email_verified: "true",
        name: "伊藤さくら",
        "custom:legacy_id": "L-000903",
      },
      finalUserStatus: "RESET_REQUIRED",
      messageAction: "SUPPRESS",
      desiredDeliveryMediums: ["EMAIL"],
      forceAliasCreation: false,
      enableSMSMFA: false,
    });
    expect((await getLegacyUser(dynamo.client, "forgot@example.com"))?.migratedAt).toEqual(
      expect.any(String),
    );
    expect((await auditItems()).find((i) => i.requestId === "forgot")).toMatchObject({
      event: "MIGRATED",
      reason: "forgot-password",
    });
  });

  it("refuses forgot-password when no email or phone is verified: the code would go to an unproven address", async () => {
    await putLegacyUser(dynamo.client, {
      login: "unverified@example.com",
      legacyId: "L-000904",
      email: "unverified@example.com",
      emailVerified: false,
    });
    await expect(
      createHandler(ENV)(migrationEvent("UserMigration_ForgotPassword", "unverified@example.com"), {
        awsRequestId: "unverified",
      }),
    ).rejects.toThrow(MIGRATION_REFUSED_MESSAGE);
    expect((await auditItems()).find((i) => i.requestId === "unverified")).toMatchObject({
      reason: "no-verified-contact",
    });
  });

  it("names the username only when the pool has the alias and the user typed it, keeping the stored address", async () => {
    await putLegacyUser(dynamo.client, {
      login: "jiro@example.com",
      legacyId: "L-000905",
      passwordHash: await HASHERS["bcrypt $2a$"]?.(PASSWORD),
      username: "jiro",
      email: "jiro@example.com",
      emailVerified: true,
    });
    const event = () => migrationEvent("UserMigration_Authentication", "Jiro@Example.com", PASSWORD);
    const aliasPool = (await createHandler({ ...ENV, USER_POOL_ALIAS_ATTRIBUTES: "email" })(
      event(),
    )) as Result;
    expect(aliasPool.response.userAttributes).toMatchObject({ username: "jiro", email: "jiro@example.com" });
    const plainPool = (await createHandler(ENV)(event())) as Result;
    expect(plainPool.response.userAttributes).not.toHaveProperty("username");
  });

  it("refuses an unusable record or hash with the same message, logging what to fix but no secret", async () => {
    await putLegacyUser(dynamo.client, {
      login: "broken@example.com",
      passwordHash: "$2b$10$x",
      email: "b@x.io",
    });
    await putLegacyUser(dynamo.client, {
      login: "md5@example.com",
      legacyId: "L-000906",
      passwordHash: "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3",
    });
    await putLegacyUser(dynamo.client, {
      login: "too-costly@example.com",
      legacyId: "L-000907",
      passwordHash: (await HASHERS["bcrypt $2b$"]?.(PASSWORD))?.replace("$10$", "$31$"),
    });
    for (const login of ["broken@example.com", "md5@example.com", "too-costly@example.com"]) {
      await expect(
        createHandler(ENV)(migrationEvent("UserMigration_Authentication", login, PASSWORD)),
      ).rejects.toThrow(MIGRATION_REFUSED_MESSAGE);
    }
    const lines = logs.parsed();
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "legacy record unusable", field: "legacyId" }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "legacy password hash in an unsupported format", prefix: "md5$" }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "legacy password hash unusable", scheme: "bcrypt" }),
    );
    expect(logs.lines.join("\n")).not.toContain("3f86d0d3d465b7b458c231bf3555c0e3");
  });

  it("never writes the password to a log line or an audit record", async () => {
    const secret = "Zz-unique-Passw0rd-9f3c";
    await putLegacyUser(dynamo.client, {
      login: "secret@example.com",
      legacyId: "L-000908",
      passwordHash: await HASHERS["bcrypt $2b$"]?.(secret),
      email: "secret@example.com",
      emailVerified: true,
    });
    const handler = createHandler({ ...ENV, LOG_LEVEL: "DEBUG" });
    await handler(migrationEvent("UserMigration_Authentication", "secret@example.com", secret));
    await handler(migrationEvent("UserMigration_Authentication", "nobody@example.com", secret)).catch(
      () => {},
    );
    await handler(migrationEvent("UserMigration_Authentication", loginFor("argon2id"), secret)).catch(
      () => {},
    );
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.join("\n")).not.toContain(secret);
    expect(JSON.stringify(await auditItems())).not.toContain(secret);
  });

  it("answers with the generic message, not a password error, when the directory cannot be read", async () => {
    const message = await refusal(
      createHandler({ ...ENV, LEGACY_USERS_TABLE_NAME: "no-such-table" })(
        migrationEvent("UserMigration_Authentication", loginFor("argon2id"), PASSWORD),
      ),
    );
    expect(message).toBe(GENERIC_USER_MESSAGE);
  });

  it("gives up on a directory that does not answer within the AWS call budget", async () => {
    const hanging: LegacyUserStore = {
      get: () => new Promise(() => {}),
      markMigrated: () => new Promise(() => {}),
    };
    const started = Date.now();
    const message = await refusal(
      createHandler(ENV, { legacyUsers: hanging })(
        migrationEvent("UserMigration_Authentication", "taro@example.com", PASSWORD),
      ),
    );
    const elapsed = Date.now() - started;
    expect(message).toBe(GENERIC_USER_MESSAGE);
    expect(elapsed).toBeGreaterThanOrEqual(2_400);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("refuses to start without its table names (fail closed)", async () => {
    const handler = createHandler({ AUDIT_TABLE_NAME: AUDIT_TABLE });
    await expect(
      handler(migrationEvent("UserMigration_Authentication", "taro@example.com", PASSWORD)),
    ).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(logs.parsed()).toContainEqual(expect.objectContaining({ key: "LEGACY_USERS_TABLE_NAME" }));
  });
});
