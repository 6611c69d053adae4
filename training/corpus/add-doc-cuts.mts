// Adds `doc_cut` (pair-text.mts docCut: the span of the file's text holding the region's doc) to pairs
// extracted before extract-pairs.mts wrote it, by outlining their files again with the engine's parser.
// Each pair's region is found by its offsets among the file's documented regions, and its code must
// come out as the pair has it: a pair that does not match stops the run (with --drop-unmatched it is left
// out and counted instead: pairs extracted by an older outline, for an eval side only).
//
// Usage: node --import tsx training/corpus/add-doc-cuts.mts PAIRS.jsonl.xz CORPUS.jsonl.xz OUT.jsonl.xz [--drop-unmatched]
// (training/gpu_runs/stage_in_place.py runs it on the pairs it stages). Pairs come out in corpus order.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { rename } from "node:fs/promises";
import { createRegionParser } from "../../extension/engine/regions/regionParser.ts";
import type { Region } from "../../extension/engine/regions/types.ts";
import { docCut, withoutDocstring } from "./pair-text.mts";

interface Pair {
  package: string;
  path: string;
  code: string;
  start: number;
  end: number;
  doc_cut?: [number, number] | null;
}

function lines(path: string) {
  return createInterface({ input: spawn("xz", ["-dc", path]).stdout });
}

function* walk(regions: Region[]): Generator<Region> {
  for (const r of regions) {
    yield r;
    yield* walk(r.children);
  }
}

const dropUnmatched = process.argv.includes("--drop-unmatched");
const [pairsPath, corpusPath, outPath] = process.argv.slice(2).filter((a) => a !== "--drop-unmatched");
if (!outPath) throw new Error("usage: add-doc-cuts.mts PAIRS.jsonl.xz CORPUS.jsonl.xz OUT.jsonl.xz");
const byFile = new Map<string, Pair[]>();
let total = 0;
for await (const line of lines(pairsPath)) {
  if (!line.trim()) continue;
  const pair: Pair = JSON.parse(line);
  const key = `${pair.package}\u0000${pair.path}`;
  byFile.set(key, [...(byFile.get(key) ?? []), pair]);
  total++;
}
const parser = await createRegionParser();
const writer = spawn("sh", ["-c", `xz -T1 -6 > "${outPath}.tmp"`]);
const counts = { pairs: 0, before: 0, inside: 0, none: 0, dropped: 0 };
for await (const line of lines(corpusPath)) {
  const record = JSON.parse(line);
  const pairs = byFile.get(`${record.package}\u0000${record.path}`);
  if (!pairs) continue;
  byFile.delete(`${record.package}\u0000${record.path}`);
  const regions = [...walk((await parser.outline(record.path, record.text)).regions)];
  for (const pair of pairs) {
    const region = regions.find((r) => r.doc && r.startOffset === pair.start && r.endOffset === pair.end);
    if (!region || withoutDocstring(record.text, region) !== pair.code) {
      if (dropUnmatched) {
        counts.dropped++;
        continue;
      }
      throw new Error(`${pair.package}/${pair.path} [${pair.start}, ${pair.end}): no documented region gives this pair's code`);
    }
    const cut = docCut(record.text, region) ?? null;
    counts.pairs++;
    if (cut === null) counts.none++;
    else counts[cut[1] <= pair.start ? "before" : "inside"]++;
    if (!writer.stdin.write(JSON.stringify({ ...pair, doc_cut: cut }) + "\n")) await new Promise((r) => writer.stdin.once("drain", r));
  }
}
writer.stdin.end();
await new Promise((resolve, reject) => writer.on("close", (code) => (code === 0 ? resolve(null) : reject(new Error(`xz exited ${code}`)))));
if (counts.pairs + counts.dropped !== total) throw new Error(`${total - counts.pairs} pairs name files the corpus does not hold`);
await rename(`${outPath}.tmp`, outPath);
console.log(JSON.stringify(counts));
