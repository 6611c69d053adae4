// query.onnx: `<|query|>` + the question's tokens (truncated to card.max_query) → one L2-normalised
// embedding, comparable with region embeddings by a dot product.
import { stateShapes, type ModelCard } from '../model/card';
import type { ModelSession } from '../runtime/types';
import { QUERY_TOKEN, type TextTokenizer } from '../scan/fileStream';

export class QueryEncoder {
  constructor(
    private readonly card: ModelCard,
    private readonly session: ModelSession,
    private readonly tokenizer: TextTokenizer,
  ) {}

  async encode(question: string): Promise<Float32Array> {
    const ids = [QUERY_TOKEN, ...Array.from(this.tokenizer.encode(question).ids)].slice(0, this.card.maxQuery);
    const tokens = new BigInt64Array(ids.map((i) => BigInt(i)));
    const out = await this.session.run({ tokens: { data: tokens, dims: [1, tokens.length] } });
    const e = out.embedding?.data;
    const size = stateShapes(this.card).embeddingSize;
    if (!(e instanceof Float32Array) || e.length !== size) {
      throw new Error(`query.onnx returned no float32 "embedding" of ${size} values`);
    }
    return e;
  }
}
