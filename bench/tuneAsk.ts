// Calibrates Ask's fusion on the question set's dev split only (never test): a coarse grid over the
// fusion weights, the BM25F field weights, the question terms' abbreviation and synonym weights
// (TUNE=terms) and K (regions re-read per question), printing dev file-MRR@10 (TUNE=default: the
// shipped weights alone; LONGVIEW_MODEL_DIR: another model folder)
// and symbol-in-top-5 for each. `node --import tsx bench/tuneAsk.ts` after `bench/questions/fetch.sh`;
// the indexes are bench:questions' own (BENCH_QUESTIONS_CACHE). The encoder's output and the re-reads
// are cached across configurations (same question, same region text: the same vectors), so a grid
// costs the model calls of one pass.
import '../extension/engine/runtime/offline';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { ask, DEFAULT_REREADS, DEFAULT_WEIGHTS, type AskContext, type FusionWeights } from '../extension/engine/query/ask';
import { DEFAULT_LEXICAL, LexicalIndex, type LexicalWeights } from '../extension/engine/query/lexical';
import { readLines } from '../extension/engine/query/fileText';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { answerRegions, loadQuestionSet, type Question } from './questions';
import { readFile, writeFile } from 'node:fs/promises';
import { REREAD_MAX_TOKENS } from '../extension/engine/workspace/freshScans';

const CACHE_DIR = process.env.BENCH_QUESTIONS_CACHE ?? join(tmpdir(), 'longview-questions');

interface Repo {
  name: string;
  engine: WorkspaceEngine;
  questions: Question[];
  answers: Set<number>[];
  ctx: (lexical: LexicalIndex) => AskContext;
  lexical: Map<string, LexicalIndex>;
}

async function open(): Promise<Repo[]> {
  const repos: Repo[] = [];
  for (const { meta, questions } of loadQuestionSet().filter((s) => s.meta.split === 'dev')) {
    const root = resolve('bench/questions/repos', meta.name);
    const deps = await createEngineDeps({
      modelDir: resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model'),
      runtime: { prefer: 'onnxruntime-node', threads: 2 },
    });
    const engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir: CACHE_DIR });
    await engine.sync();
    const views = engine.views();
    const answers = await Promise.all(
      questions.map(async (q) => {
        const text = await readFile(join(root, q.file), 'utf8');
        return answerRegions(
          views.filter((v) => v.file.path === q.file).map((v) => v.region),
          text,
          q.symbol,
        );
      }),
    );
    // The engine's own parts (private: this is a calibration tool), with the encoder memoised.
    const internals = engine as unknown as {
      parts: { encoder: { encode(q: string): Promise<Float32Array> }; scanParts: { limits: never } };
      fresh: { reread(v: unknown, maxTokens?: number): Promise<Float32Array | undefined> };
      indexer: { absPath(f: unknown): string };
    };
    const encoded = new Map<string, Promise<Float32Array>>();
    const encode = (q: string) => {
      let e = encoded.get(q);
      if (!e) encoded.set(q, (e = internals.parts.encoder.encode(q)));
      return e;
    };
    const ctx = (lexical: LexicalIndex): AskContext => ({
      card: deps.model.card,
      encode,
      views: () => engine.views(),
      reread: (v) => internals.fresh.reread(v, rereadTokens),
      scanActive: async () => undefined,
      absPath: (f) => internals.indexer.absPath(f),
      lexical: (q) => lexical.scores(q),
      fileLexical: (q) => lexical.fileScores(q),
      uncovered: () => lexical.uncovered,
    });
    repos.push({ name: meta.name, engine, questions, answers, ctx, lexical: new Map() });
  }
  return repos;
}

async function lexicalFor(repo: Repo, weights: LexicalWeights): Promise<LexicalIndex> {
  const key = JSON.stringify(weights);
  let index = repo.lexical.get(key);
  if (!index) {
    const internals = repo.engine as unknown as { indexer: { absPath(f: unknown): string } };
    const live = repo.engine.index.history.filter((f) => f.live);
    index = await LexicalIndex.build(repo.engine.views(), (f) => readLines(internals.indexer.absPath(f)), weights, live);
    repo.lexical.set(key, index);
  }
  return index;
}

/** Tokens of a region re-read (TUNE=rereadlen varies it; the engine's is REREAD_MAX_TOKENS). */
let rereadTokens = REREAD_MAX_TOKENS;

async function evaluate(repos: Repo[], weights: FusionWeights, lexicalWeights: LexicalWeights, k: number) {
  let mrr = 0;
  let sym = 0;
  let n = 0;
  for (const repo of repos) {
    const ctx = repo.ctx(await lexicalFor(repo, lexicalWeights));
    for (let i = 0; i < repo.questions.length; i++) {
      const q = repo.questions[i];
      const r = await ask(ctx, q.q, { top: 20, maxRereads: k, weights });
      const files = [...new Set(r.hits.map((h) => h.path))];
      const at = files.indexOf(q.file);
      if (at >= 0 && at < 10) mrr += 1 / (at + 1);
      const s = r.hits.findIndex((h) => h.path === q.file && repo.answers[i].has(h.startLine));
      if (s >= 0 && s < 5) sym++;
      n++;
    }
  }
  return { mrr: Math.round((mrr / n) * 1000) / 1000, sym: Math.round((sym / n) * 1000) / 1000 };
}

async function main() {
  const repos = await open();
  const print = (label: string, r: { mrr: number; sym: number }) => console.log(`${r.mrr.toFixed(3)}  sym ${r.sym.toFixed(3)}  ${label}`);
  const grid = (process.env.TUNE ?? 'fusion').split(',');
  if (grid.includes('dump')) {
    // Each dev question's fused hits (default weights and K), for offline reranking experiments
    // (training/rerank_ql.py): DUMP=<file.json>.
    const out = [];
    for (const repo of repos) {
      const ctx = repo.ctx(await lexicalFor(repo, DEFAULT_LEXICAL));
      for (const q of repo.questions) {
        const r = await ask(ctx, q.q, { top: 30, maxRereads: DEFAULT_REREADS, weights: DEFAULT_WEIGHTS });
        const hits = r.hits.map((h) => ({ path: h.path, startLine: h.startLine, endLine: h.endLine, kind: h.kind, symbol: h.symbol }));
        out.push({ repo: repo.name, q: q.q, file: q.file, symbol: q.symbol, hits });
      }
    }
    await writeFile(process.env.DUMP ?? 'dev-hits.json', JSON.stringify(out, null, 1) + '\n');
  }
  if (grid.includes('default'))
    print(`defaults (K ${DEFAULT_REREADS})`, await evaluate(repos, DEFAULT_WEIGHTS, DEFAULT_LEXICAL, DEFAULT_REREADS));
  if (grid.includes('fusion')) {
    for (const file of [0, 0.3, 0.6, 1])
      for (const dense of [0, 0.15, 0.3])
        for (const rolePenalty of [0.5, 1.5, 3]) {
          const w = { ...DEFAULT_WEIGHTS, file, dense, rolePenalty };
          print(`file ${file} dense ${dense} role ${rolePenalty} (K 0)`, await evaluate(repos, w, DEFAULT_LEXICAL, 0));
        }
  }
  if (grid.includes('fields')) {
    for (const name of [1.5, 3, 5])
      for (const doc of [1, 2, 3])
        for (const body of [0.5, 1])
          for (const path of [0.5, 1.5, 3]) {
            const lw = { ...DEFAULT_LEXICAL, weight: { ...DEFAULT_LEXICAL.weight, name, doc, body, path } };
            print(`name ${name} doc ${doc} body ${body} path ${path}`, await evaluate(repos, DEFAULT_WEIGHTS, lw, 0));
          }
  }
  if (grid.includes('terms')) {
    // The weights of a question word's abbreviations and synonyms in the code (lexicalQuestion.ts questionTerms).
    for (const abbreviation of [0, 0.3, 0.5, 0.8])
      for (const synonym of [0, 0.15, 0.3, 0.5])
        print(
          `abbreviation ${abbreviation} synonym ${synonym}`,
          await evaluate(repos, DEFAULT_WEIGHTS, { ...DEFAULT_LEXICAL, abbreviation, synonym }, 2),
        );
  }
  if (grid.includes('role')) {
    for (const rolePenalty of [0.5, 1, 1.5, 2, 3])
      print(`role ${rolePenalty} (K 0)`, await evaluate(repos, { ...DEFAULT_WEIGHTS, rolePenalty }, DEFAULT_LEXICAL, 0));
  }
  if (grid.includes('dense')) {
    for (const dense of [0.3, 0.5, 0.8, 1.2, 1.8, 2.5])
      print(`dense ${dense} (K 0)`, await evaluate(repos, { ...DEFAULT_WEIGHTS, dense }, DEFAULT_LEXICAL, 0));
  }
  if (grid.includes('reread')) {
    for (const k of [0, 1, 2, 3, 4, 6, 8])
      for (const reread of k ? [0.3, 0.6, 1, 1.5] : [0]) {
        print(`K ${k} reread ${reread}`, await evaluate(repos, { ...DEFAULT_WEIGHTS, reread }, DEFAULT_LEXICAL, k));
      }
  }
  if (grid.includes('rereadlen')) {
    // How much of a region a re-read reads: the latency of a re-read follows its tokens (chunks of 128).
    for (const tokens of [64, 128, 192, 256])
      for (const k of [1, 2, 4]) {
        rereadTokens = tokens;
        print(`K ${k} re-read ${tokens} tokens`, await evaluate(repos, DEFAULT_WEIGHTS, DEFAULT_LEXICAL, k));
      }
    rereadTokens = REREAD_MAX_TOKENS;
  }
  for (const r of repos) await r.engine.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
