/**
 * Shortening text without splitting a character a reader sees as one (an emoji with its modifiers,
 * a letter with its combining marks, a surrogate pair). The segmenter is built on first use only.
 */
let segmenter: Intl.Segmenter | undefined;

export const ELLIPSIS = "…";

/**
 * The graphemes of `text`, or only its first `max`. Segmenting a whole string costs time quadratic in
 * its length (about 0.7 s for 64 K characters), so with `max` only a prefix is segmented, widened until
 * it holds more than `max` graphemes. A boundary depends only on the text before it and the character
 * after it, so the first `max` graphemes of such a prefix are those of the whole text.
 */
export function graphemes(text: string, max = Number.POSITIVE_INFINITY): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (let prefix = Math.min(text.length, 16 * (max + 1)); ; prefix = Math.min(text.length, prefix * 2)) {
    const parts: string[] = [];
    for (const { segment } of segmenter.segment(text.slice(0, prefix))) {
      if (parts.length === max) return parts;
      parts.push(segment);
    }
    if (prefix === text.length) return parts;
  }
}

/** `text` cut to at most `maxLength` code units, ending in an ellipsis when it was cut. */
export function cutToLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let out = "";
  // Every grapheme is at least one code unit, so no more than maxLength of them can fit.
  for (const g of graphemes(text, maxLength)) {
    if (out.length + g.length + ELLIPSIS.length > maxLength) break;
    out += g;
  }
  return out + ELLIPSIS;
}
