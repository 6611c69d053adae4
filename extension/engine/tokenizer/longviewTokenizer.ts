// Longview's tokenizer in the engine: media/model/tokenizer.json (byte-level BPE trained by
// training/tokenizer/train_tokenizer.py) through @huggingface/tokenizers, the pure-JS port of
// Hugging Face `tokenizers`. test/unit/tokenizer-parity.test.ts proves the ids equal Python's.
//
// The library's own encode() splits special-token strings out of the text ("<|eos|>" in a source
// file would become the control token). Text here is literal, as in training
// (training/tokenizer/encode.py sets encode_special_tokens): so this calls the library's
// pre-tokenizer and BPE model directly, which also gives the per-token byte lengths for offsets.
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { utf16OffsetAtByteBoundary } from './utf8Offsets';

/** Fixed ids of docs/model-contract.md. */
export const SPECIAL_TOKENS = { pad: 0, file: 1, query: 2, eos: 3 } as const;
const SPECIAL_NAMES = ['<|pad|>', '<|file|>', '<|query|>', '<|eos|>'];

export interface TokenizedText {
  ids: Int32Array;
  /** UTF-16 offset in the text where each token's span starts (spans are contiguous). */
  starts: Uint32Array;
  /** UTF-16 offset where each token's span ends; ends[i] === starts[i + 1]. */
  ends: Uint32Array;
}

export class TokenizerLoadError extends Error {}

export class LongviewTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly vocabSize: number,
  ) {}

  static async load(path: string): Promise<LongviewTokenizer> {
    let json: string;
    try {
      json = await readFile(path, 'utf8');
    } catch (err) {
      throw new TokenizerLoadError(`cannot read tokenizer ${path}: ${(err as Error).message}`);
    }
    return LongviewTokenizer.fromJson(json, path);
  }

  static fromJson(json: string, source = 'tokenizer.json'): LongviewTokenizer {
    let config: any;
    try {
      config = JSON.parse(json);
    } catch (err) {
      throw new TokenizerLoadError(`${source} is not valid JSON: ${(err as Error).message}`);
    }
    checkConfig(config, source);
    const tokenizer = new Tokenizer(config, {});
    return new LongviewTokenizer(tokenizer, Object.keys(config.model.vocab).length);
  }

  /** Token ids of `text` (no special tokens added) and each token's UTF-16 span. */
  encode(text: string): TokenizedText {
    const pieces = this.tokenizer.pre_tokenizer!.pre_tokenize_text(text);
    const tokens = this.tokenizer.model!(pieces);
    const ids = new Int32Array(tokens.length);
    const starts = new Uint32Array(tokens.length);
    const ends = new Uint32Array(tokens.length);
    const unitAt = utf16OffsetAtByteBoundary(text);
    const vocab = this.tokenizer.model!.tokens_to_ids;
    let byte = 0;
    for (let i = 0; i < tokens.length; i++) {
      const id = vocab.get(tokens[i]);
      if (id === undefined) throw new Error(`token ${JSON.stringify(tokens[i])} is not in the vocabulary`);
      ids[i] = id;
      starts[i] = unitAt[byte];
      byte += tokens[i].length; // byte-level alphabet: one character per byte
      ends[i] = unitAt[byte];
    }
    if (byte !== unitAt.length - 1) {
      throw new Error(`tokens cover ${byte} bytes of a ${unitAt.length - 1}-byte text`);
    }
    return { ids, starts, ends };
  }

  /** The text of a sequence of ids (special tokens written by name). */
  decode(ids: ArrayLike<number>): string {
    return this.tokenizer.decode(Array.from(ids), { skip_special_tokens: false });
  }
}

/** The model-contract facts the engine relies on; anything else is a different tokenizer. */
function checkConfig(config: any, source: string): void {
  const fail = (what: string) => {
    throw new TokenizerLoadError(`${source}: ${what} (expected Longview's byte-level BPE, docs/model-contract.md)`);
  };
  if (typeof config !== 'object' || config === null) fail('not a JSON object');
  if (config.model?.type !== 'BPE' || typeof config.model.vocab !== 'object') fail('model is not BPE');
  if (config.normalizer != null) fail('has a normalizer, which would change text and offsets');
  // Regex pieces (use_regex): a text's prefix tokenizes as the text does up to its last whitespace (fileStream.ts fileStreamHead).
  if (config.pre_tokenizer?.type !== 'ByteLevel' || config.pre_tokenizer.add_prefix_space || config.pre_tokenizer.use_regex === false) {
    fail('pre-tokenizer is not ByteLevel with regex pieces and without prefix space');
  }
  SPECIAL_NAMES.forEach((name, id) => {
    if (config.model.vocab[name] !== id) fail(`${name} must have id ${id}`);
  });
}
