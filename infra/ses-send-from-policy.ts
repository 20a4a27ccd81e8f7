/**
 * The one SES permission of a function that sends email of its own (post confirmation's welcome email,
 * the custom email sender's messages): send from its configured sender and from nothing else. SES
 * authorises a send against the verified identity of the sender, which is either the address itself or
 * its domain, so both identities are named; the ses:FromAddress condition then pins the sender to the
 * one address even where the whole domain is verified.
 */
import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";

/** The bare address of a sender written as "address" or "Name <address>". */
export function senderAddressOf(sender: string): string {
  return (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim();
}

/** @param sid names what the sends are for, e.g. "SendWelcomeEmailFromItsIdentity" */
export function sendEmailFromStatement(scope: Construct, sender: string, sid: string): iam.PolicyStatement {
  const address = senderAddressOf(sender);
  const domain = address.slice(address.lastIndexOf("@") + 1);
  const identity = (name: string) =>
    Stack.of(scope).formatArn({ service: "ses", resource: "identity", resourceName: name });
  return new iam.PolicyStatement({
    sid,
    // Both send with the one SES mailer, v1 SendEmail (triggers/lib/ses-mailer.ts), and nothing else.
    actions: ["ses:SendEmail"],
    resources: [identity(address), identity(domain)],
    conditions: { StringEquals: { "ses:FromAddress": address } },
  });
}
