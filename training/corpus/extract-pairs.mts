// (query, code) pairs for the retrieval objective and the code-search eval, from the built corpus.
//
// Regions come from the engine's own outline parser (extension/engine/regions/, web-tree-sitter),
// so training sees exactly the regions the engine will score, in every language it outlines.
// Declaration files (.d.ts) and bare signatures (overloads, trait items) give no pairs; a val/eval pair whose code is also a train pair's is dropped. For each region with a doc comment (any kind but markdown headings and text blocks):
//   query = the doc's first sentence (JSDoc tags and inline {@link} markup dropped),
//   code  = the region's source with that doc comment or docstring removed.
//
// Each pair also carries `queries` {doc, question, name, keywords} (query-forms.mts), null where a
// form does not apply; `query` is the doc form; and `doc_cut`, the [start, end) UTF-16 span of the
// file's text holding the region's doc (pair-text.mts docCut; null where none was located), so a
// region can be read in place as if undocumented (training/data.py, in-place rows).
//
// Usage: node --import tsx training/corpus/extract-pairs.mts [train|val|eval ...] [--shard=i/n]
// Reads training/data/corpus-{train,val,eval}.jsonl.xz; writes training/data/pairs-{split}.jsonl.xz
// with records {package, path, language, kind, name, query, code, start, end} (UTF-16 offsets of the
// region in the file's text) and prints counts.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { createRegionParser } from "../../extension/engine/regions/regionParser.ts";
import type { Region } from "../../extension/engine/regions/types.ts";
import { docCut, firstSentence, isBareSignature, withoutDocstring } from "./pair-text.mts";
import { queryForms } from "./query-forms.mts";

const DATA = process.env.LONGVIEW_DATA ?? join(import.meta.dirname, "..", "data");
// Every documented region gives a pair (its `kind` says which, so training and evals can choose);
// markdown headings and text blocks are documentation themselves, not code.
const KINDS = new Set(["function", "method", "class", "struct", "interface", "trait", "enum", "type", "impl", "module", "namespace", "constant", "variable"]);
const MAX_CODE_CHARS = 12_000; // longer regions are whole modules in disguise; the query can't describe them
const MIN_CODE_CHARS = 20;
const DECLARATION_FILE = /\.d\.[mc]?ts$/;
const PAIR_LANGUAGES = new Set(["javascript", "typescript", "tsx", "python", "go", "rust", "c", "cpp", "java", "csharp", "ruby", "php"]);
// --shard i/n: only the packages whose name hashes to i (mod n), written to pairs-{split}.shard-i.jsonl.xz,
// so that n processes share a split; run_all.sh concatenates the shards in order (xz streams concatenate).
const shardArg = process.argv.find((a) => a.startsWith("--shard="))?.slice("--shard=".length);
const [SHARD, SHARDS] = shardArg ? shardArg.split("/").map(Number) : [0, 1];

function packageShard(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h % SHARDS;
}

interface CorpusRecord {
  package: string;
  path: string;
  language: string;
  text: string;
}

function* documented(regions: Region[]): Generator<Region> {
  for (const r of regions) {
    if (r.doc && KINDS.has(r.kind)) yield r;
    yield* documented(r.children);
  }
}

/** Code of the train pairs, so that val/eval keep no region whose exact code is also a train target. */
async function trainCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  const reader = spawn("xz", ["-dc", join(DATA, "pairs-train.jsonl.xz")]);
  for await (const line of createInterface({ input: reader.stdout })) codes.add(JSON.parse(line).code);
  return codes;
}

async function extractSplit(split: string, parser: Awaited<ReturnType<typeof createRegionParser>>) {
  const seenInTrain = split === "train" ? new Set<string>() : await trainCodes();
  const reader = spawn("xz", ["-dc", join(DATA, `corpus-${split}.jsonl.xz`)]);
  const out = join(DATA, SHARDS > 1 ? `pairs-${split}.shard-${SHARD}.jsonl.xz` : `pairs-${split}.jsonl.xz`);
  const writer = spawn("sh", ["-c", `xz -T1 -6 > "${out}.tmp"`]);
  const counts = { files: 0, pairs: 0, noQuery: 0, tooLong: 0, duplicate: 0, inTrain: 0, bareSignature: 0, parseErrors: 0 };
  const seen = new Set<string>();
  for await (const line of createInterface({ input: reader.stdout })) {
    const record: CorpusRecord = JSON.parse(line);
    // declaration files restate the implementation's docs over bodiless signatures
    if (!PAIR_LANGUAGES.has(record.language) || DECLARATION_FILE.test(record.path)) continue;
    if (SHARDS > 1 && packageShard(record.package) !== SHARD) continue;
    counts.files++;
    let regions: Region[];
    try {
      regions = (await parser.outline(record.path, record.text)).regions;
    } catch (err) {
      counts.parseErrors++;
      console.error(`${record.package}/${record.path}: ${(err as Error).message}`);
      continue;
    }
    for (const region of documented(regions)) {
      const query = firstSentence(region.doc!);
      if (query === undefined) {
        counts.noQuery++;
        continue;
      }
      const code = withoutDocstring(record.text, region);
      if (code.length > MAX_CODE_CHARS || code.trim().length < MIN_CODE_CHARS) {
        counts.tooLong++;
        continue;
      }
      if (isBareSignature(region.kind, record.language, code)) {
        counts.bareSignature++;
        continue;
      }
      // small shared helpers (babel's _typeof, `def copy(self)`) would leak train targets into eval
      if (seenInTrain.has(code)) {
        counts.inTrain++;
        continue;
      }
      // one query names one target: a first sentence shared by two regions of a package (overloads,
      // "Creates a new instance.") cannot be ranked, so only its first region is kept
      const key = `${record.package}\u0000${query.toLowerCase()}`;
      if (seen.has(key)) {
        counts.duplicate++;
        continue;
      }
      seen.add(key);
      const pair = { package: record.package, path: record.path, language: record.language, kind: region.kind,
        name: region.name, query, code, start: region.startOffset, end: region.endOffset,
        doc_cut: docCut(record.text, region) ?? null,
        queries: queryForms(query, region.name, `${record.package}/${record.path}/${region.name}`) };
      if (!writer.stdin.write(JSON.stringify(pair) + "\n")) await new Promise((r) => writer.stdin.once("drain", r));
      counts.pairs++;
    }
  }
  writer.stdin.end();
  await new Promise((resolve, reject) => writer.on("close", (code) => (code === 0 ? resolve(null) : reject(new Error(`xz exited ${code}`)))));
  const { rename } = await import("node:fs/promises");
  await rename(`${out}.tmp`, out);
  console.log(`${split}: ${JSON.stringify(counts)}`);
}

const parser = await createRegionParser();
const splits = process.argv.slice(2).filter((a) => !a.startsWith("--"));
for (const split of splits.length ? splits : ["train", "val", "eval"]) {
  await extractSplit(split, parser);
}
