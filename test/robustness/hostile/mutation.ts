/**
 * How the hostile corpus breaks an event: a mutation is a name (what the handler receives) and a
 * function from the sample's event (parsed JSON) to the broken one. The helpers here write a value at
 * a dotted path, remove one, or transform what is there; nothing is applied where the path's parent
 * is missing or not an object, so that one list of mutations serves every trigger's samples.
 */
export type Json = Record<string, unknown>;
export type Mutation = readonly [name: string, apply: (event: Json) => unknown];

/** 1 MiB: far beyond anything Cognito sends (2,048 characters per attribute value). */
export const HUGE = "x".repeat(1 << 20);
export const HUGE_UNICODE = "👩‍👩‍👧‍👦<script>{####}\u202E".repeat(1 << 14);

// Written as JSON text: JSON.parse makes "__proto__" an own key, exactly as Lambda's parser would.
const POLLUTING = `{"__proto__":{"polluted":"yes","email":"admin@example.com","sourceIp":"203.0.113.5"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":"x","valueOf":{}}`;

export const DELETE = Symbol("delete");

/** Sets (or with DELETE removes, or with a function transforms) the value at a dotted path. */
export const at =
  (path: string, value: unknown): Mutation[1] =>
  (event) => {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let node: unknown = event;
    for (const key of keys) {
      if (node === null || typeof node !== "object") return event;
      node = (node as Json)[key];
    }
    if (node !== null && typeof node === "object") {
      if (value === DELETE) delete (node as Json)[last];
      else (node as Json)[last] = typeof value === "function" ? value((node as Json)[last]) : value;
    }
    return event;
  };

export const polluting = () => JSON.parse(POLLUTING) as Json;

export const withPollution = (current: unknown) => ({
  ...(current !== null && typeof current === "object" ? current : {}),
  ...polluting(),
});

/** A string value with `char` inserted before its code point `index` (negative: counted from the end). */
export const invisibleAt = (index: number, char: string) => (current: unknown) => {
  if (typeof current !== "string") return current;
  const chars = [...current];
  const at = index < 0 ? Math.max(0, chars.length + index) : Math.min(index, chars.length);
  return [...chars.slice(0, at), char, ...chars.slice(at)].join("");
};

/** Several mutations, in order. */
export const both =
  (...steps: Mutation[1][]): Mutation[1] =>
  (event) =>
    steps.reduce<unknown>((current, step) => step(current as Json), event);

/** An object with each of its values replaced. */
export const everyValue = (replace: (v: unknown) => unknown) => (current: unknown) =>
  current !== null && typeof current === "object"
    ? Object.fromEntries(Object.entries(current).map(([k, v]) => [k, replace(v)]))
    : current;
