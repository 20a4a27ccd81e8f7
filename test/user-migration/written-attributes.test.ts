/**
 * The legacy table's IAM policy lets migration's UpdateItem name only the key and WRITTEN_ATTRIBUTES
 * (infra, grantLegacyDirectory; test/infra/real-account.test.ts) and return nothing. Every write the
 * store can make is captured here and held to that list, so a new write cannot outgrow the policy.
 */
import { type DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoLegacyUserStore } from "../../triggers/user-migration/dynamo-legacy-store.ts";
import type { CountStep } from "../../triggers/user-migration/failed-attempts.ts";
import { WRITTEN_ATTRIBUTES } from "../../triggers/user-migration/written-attributes.ts";

const KEYWORDS = new Set([
  "SET",
  "REMOVE",
  "AND",
  "OR",
  "attribute_exists",
  "attribute_not_exists",
  "if_not_exists",
]);

describe("the legacy directory's writes", () => {
  it("name only the key and the attributes migration owns, and ask for nothing back", async () => {
    const sent: UpdateItemCommand[] = [];
    const client = { send: async (command: UpdateItemCommand) => sent.push(command) && {} };
    const store = new DynamoLegacyUserStore(client as unknown as DynamoDBClient);
    const policy = { maxFailures: 1, lockMs: 60_000 };
    await store.markMigrated("t", "a@example.com", "2026-11-20T09:00:00.000Z");
    for (const honourLock of [true, false]) {
      await store.claimMigration("t", "a@example.com", { at: "x", userName: "A", nowMs: 1, honourLock });
    }
    for (const step of ["open-window", "count", "count-and-lock"] as CountStep[]) {
      for (const maxFailures of [1, 5]) {
        await store.countFailure("t", "a@example.com", step, {
          nowMs: 1,
          policy: { ...policy, maxFailures },
        });
      }
    }
    expect(sent.length).toBe(9);
    for (const { input } of sent) {
      expect(sent[0]).toBeInstanceOf(UpdateItemCommand);
      expect(input.ReturnValues).toBeUndefined();
      const names = `${input.UpdateExpression} ${input.ConditionExpression}`
        .replace(/:[A-Za-z]+/g, " ")
        .replace(/#login/g, "login")
        .match(/[A-Za-z_]+/g)
        ?.filter((word) => !KEYWORDS.has(word));
      expect(new Set(names)).toEqual(
        new Set(names?.filter((n) => n === "login" || (WRITTEN_ATTRIBUTES as readonly string[]).includes(n))),
      );
    }
  });
});
