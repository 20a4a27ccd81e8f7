/**
 * The SNS the SMS sender's tests and the bench talk to (there is no SNS emulator among the suite's
 * tools). The sender makes exactly one call, Publish to a phone number: this answers it as SNS does, in
 * the Query protocol (a form body in, a PublishResponse XML document out), and refuses anything else
 * with SNS's own error document, so a sender that called something else would be seen failing. When
 * told to, it answers with the error documents of SNS's faults, so that the real client parses and
 * classifies them. It keeps every request's form for the tests to check what the real SDK client sent;
 * the bench has it keep nothing (the texts carry codes, and a run sends thousands).
 */
import { randomUUID } from "node:crypto";
import { type StandInAnswer, startStandInServer } from "./stand-in-server.ts";

export type SnsFault = "throttled" | "internal-error" | "invalid-parameter";

const NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

interface SnsError {
  status: number;
  type: "Sender" | "Receiver";
  code: string;
  message: string;
}

/** SNS's answers: Publish's `Throttled` is modelled with HTTP 429, InternalError with 500. */
const FAULTS: Record<SnsFault, SnsError> = {
  throttled: { status: 429, type: "Sender", code: "Throttled", message: "Rate exceeded" },
  "internal-error": { status: 500, type: "Receiver", code: "InternalError", message: "Internal error" },
  "invalid-parameter": {
    status: 400,
    type: "Sender",
    code: "InvalidParameter",
    message: "Invalid parameter: PhoneNumber Reason: the number is not valid",
  },
};

const NOT_A_TEXT: SnsError = {
  status: 400,
  type: "Sender",
  code: "InvalidParameter",
  message: "this SNS answers Publish to a phone number only",
};

export interface LocalSns {
  endpoint: string;
  /** Every request's form fields, in order (none when started with keepRequests: false). */
  requests: URLSearchParams[];
  /** The fault every request meets until it is cleared. */
  fault: SnsFault | undefined;
  stop(): Promise<void>;
}

export async function startSns(options: { keepRequests?: boolean } = {}): Promise<LocalSns> {
  const keepRequests = options.keepRequests ?? true;
  const requests: URLSearchParams[] = [];
  const state: { fault: SnsFault | undefined } = { fault: undefined };
  const server = await startStandInServer((_request, body, requestId): StandInAnswer => {
    const form = new URLSearchParams(body);
    if (keepRequests) requests.push(form);
    if (state.fault !== undefined) return errorAnswer(FAULTS[state.fault], requestId);
    if (form.get("Action") !== "Publish" || !form.get("PhoneNumber") || !form.get("Message")) {
      return errorAnswer(NOT_A_TEXT, requestId);
    }
    return {
      status: 200,
      contentType: "text/xml",
      body: `<PublishResponse xmlns="${NAMESPACE}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  });
  return Object.assign(state, { ...server, requests }) satisfies LocalSns;
}

function errorAnswer({ status, type, code, message }: SnsError, requestId: string): StandInAnswer {
  return {
    status,
    contentType: "text/xml",
    body: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
