/**
 * The CloudFormation custom resource protocol, without the provider framework (which would add two
 * more functions): the answer is a PUT of a small JSON document to the pre-signed ResponseURL.
 * CloudFormation waits up to an hour for it, so every path must answer, failures included.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface CustomResourceEvent {
  RequestType: "Create" | "Update" | "Delete";
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}

export interface CustomResourceAnswer {
  Status: "SUCCESS" | "FAILED";
  Reason?: string;
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

export function answer(event: CustomResourceEvent, result: CustomResourceAnswer): Promise<void> {
  const body = JSON.stringify({
    ...result,
    // CloudFormation shows at most 4 KB of the reason.
    Reason: result.Reason?.slice(0, 3_000),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  const url = new URL(event.ResponseURL);
  // CloudFormation's URL is always https; plain http only ever serves a local test.
  const request = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const put = request(
      url,
      // The pre-signed URL is signed for an empty content type.
      {
        method: "PUT",
        headers: { "content-type": "", "content-length": Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          (response.statusCode ?? 500) < 300
            ? resolve()
            : reject(new Error(`ResponseURL answered ${response.statusCode}`)),
        );
      },
    );
    put.on("timeout", () => put.destroy(new Error("ResponseURL did not answer within 10 s")));
    put.on("error", reject);
    put.end(body);
  });
}
