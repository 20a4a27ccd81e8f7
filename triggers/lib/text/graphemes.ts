/**
 * Shortening text without splitting a character a reader sees as one (an emoji with its modifiers,
 * a letter with its combining marks, a surrogate pair). The segmenter is built on first use only.
 */
let segmenter: Intl.Segmenter | undefined;

export const ELLIPSIS = "…";

export function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** `text` cut to at most `maxLength` code units, ending in an ellipsis when it was cut. */
export function cutToLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let out = "";
  for (const g of graphemes(text)) {
    if (out.length + g.length + ELLIPSIS.length > maxLength) break;
    out += g;
  }
  return out + ELLIPSIS;
}
