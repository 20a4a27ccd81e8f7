/**
 * Bundled into each trigger's warm build beside its trigger.ts (code splitting shares their modules),
 * so that the warm runner reaches the very client singletons the handler sends with and can count
 * their requests with SDK middleware (runners/sdk-requests.ts).
 */
export { dynamoClient } from "../triggers/lib/aws-clients.ts";
export { sesClient } from "../triggers/lib/ses-client.ts";
