/** The floor of every cold start: a handler that does nothing, bundled exactly like the triggers. */
export const handler = async (event: unknown): Promise<unknown> => event;
