// Byte-level BPE works on UTF-8 bytes; the editor works on UTF-16 offsets. This maps one to the other.
//
// A token boundary can fall inside a multi-byte character (BPE may split an emoji's four bytes). A
// character belongs to the token that holds its LAST byte, so token spans are contiguous, never
// overlap, and together reproduce the text; a token holding only the leading bytes of a character
// has an empty span. Lone surrogates are counted as the 3 bytes of U+FFFD, as TextEncoder writes them.

/** UTF-8 length of the code point starting at `text[u]`, and how many UTF-16 units it spans. */
function codePointAt(text: string, u: number): { bytes: number; units: number } {
  const c = text.charCodeAt(u);
  if (c < 0x80) return { bytes: 1, units: 1 };
  if (c < 0x800) return { bytes: 2, units: 1 };
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = u + 1 < text.length ? text.charCodeAt(u + 1) : 0;
    if (next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, units: 2 };
  }
  return { bytes: 3, units: 1 }; // rest of the BMP, and lone surrogates (written as U+FFFD)
}

/**
 * For every byte boundary b in 0..utf8Length(text): the UTF-16 offset of the first character
 * that is not completed by bytes [0, b) — the boundary rounded up to a whole character.
 */
export function utf16OffsetAtByteBoundary(text: string): Uint32Array {
  let total = 0;
  for (let u = 0; u < text.length;) {
    const cp = codePointAt(text, u);
    total += cp.bytes;
    u += cp.units;
  }
  const out = new Uint32Array(total + 1);
  let b = 0;
  for (let u = 0; u < text.length;) {
    const cp = codePointAt(text, u);
    out[b] = u; // boundary at the character's first byte
    for (let k = 1; k < cp.bytes; k++) out[b + k] = u + cp.units; // inside: round up
    b += cp.bytes;
    u += cp.units;
  }
  out[total] = text.length;
  return out;
}
