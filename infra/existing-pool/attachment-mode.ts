/**
 * How the custom resource treats its pool (existing-pool-triggers.ts): "attach" sets the triggers and
 * removes them on Delete; "detach-on-delete" only removes them on Delete. Its own module, so that the
 * construct names the modes without loading the handler and its Cognito SDK client.
 */
export const MODES = ["attach", "detach-on-delete"] as const;
export type AttachmentMode = (typeof MODES)[number];
