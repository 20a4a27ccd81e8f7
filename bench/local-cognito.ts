/**
 * The Cognito the bench's account-takeover notifications look their user up in: the custom email
 * sender asks AdminGetUser for the address of a user the event gives none for. This answers that one
 * call as Cognito does (the JSON 1.1 protocol: X-Amz-Target, a JSON body, UserNotFoundException for a
 * user it does not know) from the users replay's offline directory serves
 * (cli/replay/fixtures/pool-users.json), so that every sample takes the path events/ expects of it;
 * anything else is refused with Cognito's own error shape.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../infra/bundle-options.ts";
import {
  type StandInAnswer,
  type StandInServer,
  startStandInServer,
} from "../test/support/stand-in-server.ts";

export type LocalCognito = StandInServer;

interface PoolUser {
  username: string;
  attributes: Record<string, string>;
}

const TARGET = "AWSCognitoIdentityProviderService.";

export async function startCognito(): Promise<LocalCognito> {
  const { users } = JSON.parse(
    readFileSync(join(PROJECT_ROOT, "cli/replay/fixtures/pool-users.json"), "utf8"),
  ) as { users: PoolUser[] };
  const byName = new Map(users.map((user) => [user.username, user]));
  return startStandInServer((request, body) => {
    const operation = String(request.headers["x-amz-target"] ?? "").replace(TARGET, "");
    if (operation !== "AdminGetUser") {
      return errorAnswer("InvalidParameterException", "the bench's Cognito answers AdminGetUser only");
    }
    const { Username, UserPoolId } = JSON.parse(body || "{}") as { Username?: string; UserPoolId?: string };
    const user = byName.get(Username ?? "");
    if (!user) return errorAnswer("UserNotFoundException", "User does not exist.");
    return jsonAnswer(200, {
      Username: user.username,
      UserPoolId,
      Enabled: true,
      UserStatus: "CONFIRMED",
      UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    });
  });
}

/** The JSON 1.1 protocol's answers: errors are HTTP 400 with their type in the header and in "__type". */
function jsonAnswer(status: number, body: object, headers?: Record<string, string>): StandInAnswer {
  return { status, contentType: "application/x-amz-json-1.1", body: JSON.stringify(body), headers };
}

function errorAnswer(type: string, message: string): StandInAnswer {
  return jsonAnswer(400, { __type: type, message }, { "x-amzn-errortype": type });
}
