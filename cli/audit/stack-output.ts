/**
 * `--stack <name>`: the audit table named by the stack's AuditTableName output (infra/suite-stack.ts),
 * read with DescribeStacks through the default credential chain (AWS_ENDPOINT_URL_CLOUDFORMATION for
 * a custom endpoint).
 */
import { CloudFormationClient, DescribeStacksCommand, type Output } from "@aws-sdk/client-cloudformation";
import type { ClientSettings } from "./dynamo.ts";
import { AuditFailure } from "./failure.ts";

export const AUDIT_TABLE_OUTPUT = "AuditTableName";

export async function auditTableFromStack(stackName: string, settings: ClientSettings): Promise<string> {
  const output = (await stackOutputs(stackName, settings)).find(
    (o) => o.OutputKey === AUDIT_TABLE_OUTPUT,
  )?.OutputValue;
  if (!output) {
    throw new AuditFailure(
      `stack ${JSON.stringify(stackName)} has no ${AUDIT_TABLE_OUTPUT} output: is it the cognito-trigger-suite stack?`,
      2,
    );
  }
  return output;
}

/** The stack's outputs (DescribeStacks); a missing stack is an AuditFailure with exit code 2. */
export async function stackOutputs(stackName: string, settings: ClientSettings): Promise<Output[]> {
  const client = new CloudFormationClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    maxAttempts: 3,
  });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    // CloudFormation reports a missing stack as the error code ValidationError, "Stack with id … does not exist".
    const { name, message } = error as Error;
    if (/^Validation(Error|Exception)$/.test(name) && /does not exist/.test(message)) {
      throw new AuditFailure(
        `stack ${JSON.stringify(stackName)} not found (check --stack, AWS_REGION and the account)`,
        2,
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}
