// The engine's tokenizer: media/model/tokenizer.json (byte-level BPE) through @huggingface/tokenizers,
// with the UTF-16 start offset of every token, which maps tokens to outline regions.
//
// Byte-level BPE writes each byte as one character of a fixed alphabet, so a token's byte length
// is its string length; a running byte count, mapped through the text's UTF-8 layout, gives the
// offsets exactly (a token that starts inside a multi-byte character maps to that character).
import { Tokenizer } from "@huggingface/tokenizers";
import type { TextTokenizer } from "../scan/fileStream";

export function createTextTokenizer(tokenizerJson: string): TextTokenizer {
  let json: any;
  try {
    json = JSON.parse(tokenizerJson);
  } catch (err) {
    throw new Error(`tokenizer.json is not valid JSON: ${(err as Error).message}`);
  }
  const tokenizer = new Tokenizer(json, {});
  return {
    encode(text: string) {
      if (text.length === 0) return { ids: [], starts: [] };
      const encoded = tokenizer.encode(text, { add_special_tokens: false });
      const starts = new Uint32Array(encoded.ids.length);
      const byteToUnit = utf16OffsetOfEachByte(text);
      let byte = 0;
      for (let i = 0; i < encoded.tokens.length; i++) {
        starts[i] = byteToUnit[Math.min(byte, byteToUnit.length - 1)];
        byte += encoded.tokens[i].length;
      }
      return { ids: encoded.ids, starts };
    },
  };
}

/** For each UTF-8 byte of `text` (and one past the end), the UTF-16 offset of its character. */
function utf16OffsetOfEachByte(text: string): Uint32Array {
  const out = new Uint32Array(Buffer.byteLength(text, "utf8") + 1);
  let b = 0;
  for (let u = 0; u < text.length; u++) {
    const c = text.charCodeAt(u);
    let n: number;
    let width = 1;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && u + 1 < text.length) {
      n = 4;
      width = 2;
    } else n = 3;
    for (let k = 0; k < n; k++) out[b++] = u;
    u += width - 1;
  }
  out[b] = text.length;
  return out;
}
