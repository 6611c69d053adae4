// Tokens per second of the engine's TypeScript tokenizer on real source text (one thread).
// Usage: node --import tsx training/tokenizer/bench-ts-tokenizer.ts [corpus.jsonl.xz] [max MB]
// Reads the corpus through `xz -dc` (Debian's xz-utils) and tokenizes every file's text once.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LongviewTokenizer } from "../../extension/engine/tokenizer";

const root = join(import.meta.dirname, "..", "..");
const corpus = process.argv[2] ?? join(root, "training/data/corpus-eval.jsonl.xz");
const maxBytes = Number(process.argv[3] ?? 8) * 1e6;
const tokenizer = LongviewTokenizer.fromJson(readFileSync(join(root, "media/model/tokenizer.json"), "utf8"));
const lines = execFileSync("xz", ["-dc", corpus], { maxBuffer: 1 << 30 }).toString("utf8").split("\n");
const texts: string[] = [];
let bytes = 0;
for (const line of lines) {
  if (!line || bytes >= maxBytes) continue;
  const text = JSON.parse(line).text as string;
  texts.push(text);
  bytes += Buffer.byteLength(text);
}
tokenizer.encode(texts[0]); // warm-up
const t0 = performance.now();
let tokens = 0;
for (const text of texts) tokens += tokenizer.encode(text).ids.length;
const seconds = (performance.now() - t0) / 1000;
console.log(`${texts.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${tokens} tokens in ${seconds.toFixed(2)} s: ` +
  `${Math.round(tokens / seconds)} tokens/s, ${(bytes / tokens).toFixed(2)} bytes/token`);
