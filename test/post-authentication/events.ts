import { expect } from "vitest";

/** Post authentication events as Cognito sends them, for the tests of this folder. */
export function postAuthentication(
  options: {
    sub?: string;
    userName?: string;
    clientId?: string;
    newDeviceUsed?: unknown;
    email?: string;
  } = {},
) {
  const {
    sub = "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
    userName = sub,
    clientId = "6a3l0kq7h2b1vgd9f8e0s4r2tn",
    newDeviceUsed = true,
    email = "alex.morgan@example.com",
  } = options;
  return {
    version: "1",
    triggerSource: "PostAuthentication_Authentication",
    region: "ap-northeast-1",
    userPoolId: "ap-northeast-1_Ab12Cd34E",
    userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
    request: {
      userAttributes: {
        sub,
        email_verified: "true",
        "cognito:user_status": "CONFIRMED",
        email,
        nickname: "Alex",
      },
      newDeviceUsed,
    },
    response: {},
  };
}

/** A clock that moves forward by `stepMs` each time it is read. */
export function ticking(start: string, stepMs: number): () => Date {
  let t = Date.parse(start);
  return () => {
    t += stepMs;
    return new Date(t);
  };
}

/** The whole SIGN_IN record of `postAuthentication()` (default options), as the contract defines it. */
export function expectedSignInRecord(requestId: string, now: Date, retentionDays = 400) {
  const at = now.toISOString();
  return {
    pk: "USER#0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
    sk: `${at}#SIGN_IN#${requestId}`,
    dayShard: expect.stringMatching(new RegExp(`^DAY#${at.slice(0, 10)}#([0-9]|1[0-5])$`)),
    at,
    expiresAt: now.getTime() / 1000 + retentionDays * 86_400,
    event: "SIGN_IN",
    outcome: "success",
    sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
    userName: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
    email: "alex.morgan@example.com",
    clientId: "6a3l0kq7h2b1vgd9f8e0s4r2tn",
    userPoolId: "ap-northeast-1_Ab12Cd34E",
    triggerSource: "PostAuthentication_Authentication",
    newDeviceUsed: true,
    requestId,
  };
}
