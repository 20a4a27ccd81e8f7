/**
 * Keeps a rendered message within its limit by giving up the name first: the full name, then the
 * name cut grapheme by grapheme (down to MIN_NAME_GRAPHEMES, with an ellipsis), then the neutral
 * greeting. A rendering with a name is also taken only if `accept` says so (render.ts refuses one in
 * which the name added a placeholder). Returns undefined when even the neutral greeting does not fit
 * (the template itself is too long), so the caller decides what that means for its channel.
 */
import { ELLIPSIS, graphemes } from "../lib/text/graphemes.ts";

const MIN_NAME_GRAPHEMES = 2;

/** `render(undefined)` renders the neutral greeting. */
export function fitName(
  render: (name: string | undefined) => string,
  name: string | undefined,
  limit: number,
  accept: (text: string) => boolean = () => true,
): string | undefined {
  if (name !== undefined) {
    const text = render(name);
    if (text.length <= limit && accept(text)) return text;
    const parts = graphemes(name);
    // Names are capped at a few dozen graphemes (display-name.ts), so this loop is short.
    for (let keep = parts.length - 1; keep >= MIN_NAME_GRAPHEMES; keep--) {
      const shortened = render(parts.slice(0, keep).join("") + ELLIPSIS);
      if (shortened.length <= limit && accept(shortened)) return shortened;
    }
  }
  const neutral = render(undefined);
  return neutral.length <= limit ? neutral : undefined;
}
