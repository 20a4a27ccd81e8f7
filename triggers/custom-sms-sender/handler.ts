import { createHandler } from "./trigger.ts";

export const handler = createHandler(process.env);
