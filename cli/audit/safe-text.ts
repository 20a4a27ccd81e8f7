/**
 * Audit records carry text chosen by whoever called Cognito (a user name typed at a failed sign-in,
 * an email at a refused sign-up). Printed raw, escape sequences in it could rewrite a reviewer's
 * terminal and bidirectional controls could make one value look like another. Every value printed
 * for people goes through `forTerminal`; CSV cells keep tabs and line breaks (they are quoted) and
 * lose the rest; JSON output escapes the same characters with `\u` escapes, so it stays lossless.
 */

// C0 and C1 controls, DEL, bidirectional marks, embeddings, overrides and isolates, line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are exactly what is being neutralised
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeCode(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
}

/** Visible `\uXXXX` instead of each unsafe character. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, escapeCode);
}

/** Like forTerminal, but keeps tab, CR and LF, which CSV quoting carries safely. */
export function forCsv(text: string): string {
  return text.replace(UNSAFE, (char) =>
    char === "\t" || char === "\r" || char === "\n" ? char : escapeCode(char),
  );
}

// What JSON.stringify leaves raw inside strings: DEL, C1 controls, bidi controls, U+2028/9 (C0 it escapes).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, with the characters JSON leaves raw also escaped (still valid, lossless JSON). */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, escapeCode);
}
