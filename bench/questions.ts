// `npm run bench:questions` (also part of `npm run bench`): Ask on real repositories, measured on the
// question set in bench/questions/ (questions written from reading the code, each with the file and
// symbol that answer it). Each repository is indexed on its own with the CLI's engine; each question
// is asked once; the same run ranks the repository's files with two keyword searches
// (bench/keywordBaseline.ts): a tuned whole-file BM25 and a plain one.
//
// Figures, per repository, per split and overall: file-MRR@10 (the answer file's rank among the
// distinct files of the ranked hits, best region first, as the CLI groups them), the same without the
// model's scores (file_mrr_without_model: no dense score, no re-reads), hit@1, hit@5,
// symbol-in-top-5 (the answer's region among the first 5 hits), query p50/p95 (wall time of ask).
// Writes them to bench/results.json under `questions` (the rest of the file is kept).
//
// Env: BENCH_QUESTIONS_SPLIT=dev|test|all (default all; tune with dev only), BENCH_QUESTIONS_CACHE
// (where the indexes are kept, default $TMPDIR/longview-questions), BENCH_QUESTIONS_VERBOSE=1 (every
// question's ranks on stderr), LONGVIEW_MODEL_DIR.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import type { AskOptions } from '../extension/engine/query/ask';
import { plainKeywordSearch, tunedKeywordSearch } from './keywordBaseline';

const HERE = resolve('bench/questions');
const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const CACHE_DIR = process.env.BENCH_QUESTIONS_CACHE ?? join(tmpdir(), 'longview-questions');
const THREADS = 2;
/** Regions asked for per question: enough for 10 distinct files in most answers. */
const TOP = 20;

export interface Question {
  q: string;
  file: string;
  symbol: string;
}
interface RepoMeta {
  name: string;
  language: string;
  split: 'dev' | 'test';
  source: string;
  version: string;
  licence: string;
}
interface QuestionResult {
  repo: string;
  q: string;
  file: string;
  symbol: string;
  fileRank: number | null;
  /** The answer file's rank with the model's scores taken out (no dense score, no re-reads): keyword search and priors alone. */
  noModelRank: number | null;
  symbolRank: number | null;
  tunedRank: number | null;
  bm25Rank: number | null;
  ms: number;
  top: string;
}

function log(line: string) {
  process.stderr.write(`[questions] ${line}\n`);
}

export function loadQuestionSet(): { meta: RepoMeta; questions: Question[] }[] {
  const repos = JSON.parse(readFileSync(join(HERE, 'repos.json'), 'utf8')).repositories as RepoMeta[];
  return repos.map((meta) => {
    const set = JSON.parse(readFileSync(join(HERE, `${meta.name}.json`), 'utf8'));
    if (set.split !== meta.split) throw new Error(`${meta.name}: split ${set.split} in its file, ${meta.split} in repos.json`);
    checkQuestions(meta.name, set.questions);
    return { meta, questions: set.questions as Question[] };
  });
}

/** The rules the questions are written to: at most 2 answered by one file, and no question naming its answer's symbol. */
export function checkQuestions(repo: string, questions: Question[]): void {
  const perFile = new Map<string, number>();
  for (const q of questions) {
    perFile.set(q.file, (perFile.get(q.file) ?? 0) + 1);
    const esc = q.symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![A-Za-z0-9_$])${esc}(?![A-Za-z0-9_$])`, 'i').test(q.q)) {
      throw new Error(`${repo}: the question names its answer ${q.symbol}: ${q.q}`);
    }
  }
  for (const [file, n] of perFile) if (n > 2) throw new Error(`${repo}: ${n} questions answered by ${file} (at most 2)`);
}

/** Whether a hit's symbol is the answer's: the same name, or a qualified name ending with it. */
export function symbolMatches(hitSymbol: string, symbol: string): boolean {
  if (hitSymbol === symbol) return true;
  const parts = hitSymbol.split(/[^A-Za-z0-9_$?!]+/).filter(Boolean);
  return parts.includes(symbol);
}

/**
 * The answer's regions (their 1-based first lines): those named after the symbol, else the innermost
 * region holding its definition (an outline may not split a file's nested functions into regions:
 * the region that holds the function is then the answer).
 */
export function answerRegions(regions: { name: string; startLine: number; endLine: number }[], text: string, symbol: string): Set<number> {
  const named = regions.filter((r) => symbolMatches(r.name, symbol));
  if (named.length) return new Set(named.map((r) => r.startLine + 1));
  const esc = symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = text.split('\n');
  const def = new RegExp(`(\\b(def|function|fn|func|class|struct|enum|module|trait|interface)\\s+${esc}\\b)|(\\b${esc}\\s*\\()`);
  const at = lines.findIndex((l) => def.test(l));
  if (at < 0) return new Set();
  const holding = regions
    .filter((r) => r.startLine <= at && at <= r.endLine)
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
  return new Set(holding.slice(0, 1).map((r) => r.startLine + 1));
}

/** 1-based rank of `file` in `files` within the first `k`, else null. */
function rankIn(files: string[], file: string, k = 10): number | null {
  const i = files.indexOf(file);
  return i >= 0 && i < k ? i + 1 : null;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function figures(results: QuestionResult[]) {
  const n = Math.max(1, results.length);
  const mrr = (rank: (r: QuestionResult) => number | null) => r3(results.reduce((s, r) => s + (rank(r) ? 1 / rank(r)! : 0), 0) / n);
  const share = (ok: (r: QuestionResult) => boolean) => r3(results.filter(ok).length / n);
  const ms = results.map((r) => r.ms);
  return {
    questions: results.length,
    file_mrr: mrr((r) => r.fileRank),
    file_mrr_without_model: mrr((r) => r.noModelRank),
    tuned_keyword_file_mrr: mrr((r) => r.tunedRank),
    bm25_file_mrr: mrr((r) => r.bm25Rank),
    hit1: share((r) => r.fileRank === 1),
    hit5: share((r) => r.fileRank !== null && r.fileRank <= 5),
    tuned_keyword_hit1: share((r) => r.tunedRank === 1),
    tuned_keyword_hit5: share((r) => r.tunedRank !== null && r.tunedRank <= 5),
    symbol_top5: share((r) => r.symbolRank !== null && r.symbolRank <= 5),
    p50_ms: Math.round(percentile(ms, 0.5)),
    p95_ms: Math.round(percentile(ms, 0.95)),
  };
}

/** Ask's options in the bench: the CLI's (what `longview ask` does), with TOP regions. */
export const BENCH_ASK: AskOptions = { top: TOP };

/** The same ranking with the model's scores removed (dense weight 0, no re-reads): what the model adds is the difference. */
export function withoutModel(options: AskOptions): AskOptions {
  return { ...options, maxRereads: 0, weights: { ...options.weights, dense: 0, reread: 0 } };
}

async function measureRepo(meta: RepoMeta, questions: Question[], askOptions: AskOptions): Promise<QuestionResult[]> {
  const root = join(HERE, 'repos', meta.name);
  if (!existsSync(root)) throw new Error(`${root} is missing: run bench/questions/fetch.sh`);
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir: CACHE_DIR });
  try {
    const report = await engine.sync();
    const status = engine.status();
    log(`${meta.name}: ${status.files} files, ${status.regions} regions, ${status.tokens} tokens (${report.scanned} scanned now)`);
    const views = engine.views();
    const paths = [...new Set(engine.index.history.filter((f) => f.live).map((f) => f.path))].sort();
    const files = await Promise.all(paths.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8') })));
    const tuned = tunedKeywordSearch(files);
    const plain = plainKeywordSearch(files);
    const answers = new Map<Question, Set<number>>();
    for (const q of questions) {
      const file = files.find((f) => f.path === q.file);
      if (!file) throw new Error(`${meta.name}: the answer file ${q.file} is not indexed`);
      const starts = answerRegions(
        views.filter((v) => v.file.path === q.file).map((v) => v.region),
        file.text,
        q.symbol,
      );
      // A file whose outline has no region (e.g. only an object literal) can never be a hit: a miss, said once.
      if (!starts.size) log(`${meta.name}: no region of ${q.file} holds ${q.symbol}; Ask cannot return it`);
      answers.set(q, starts);
    }
    await engine.ask('warm up the query encoder', askOptions);
    const out: QuestionResult[] = [];
    for (const q of questions) {
      const t0 = performance.now();
      const r = await engine.ask(q.q, askOptions);
      const ms = performance.now() - t0;
      const fileOrder = [...new Set(r.hits.map((h) => h.path))];
      const bare = await engine.ask(q.q, withoutModel(askOptions));
      const symbolAt = r.hits.findIndex((h) => h.path === q.file && answers.get(q)!.has(h.startLine));
      out.push({
        repo: meta.name,
        q: q.q,
        file: q.file,
        symbol: q.symbol,
        fileRank: rankIn(fileOrder, q.file),
        noModelRank: rankIn([...new Set(bare.hits.map((h) => h.path))], q.file),
        symbolRank: symbolAt >= 0 ? symbolAt + 1 : null,
        tunedRank: rankIn(tuned.rank(q.q), q.file),
        bm25Rank: rankIn(plain.rank(q.q), q.file),
        ms: Math.round(ms * 10) / 10,
        top: r.hits[0] ? `${r.hits[0].path}:${r.hits[0].symbol}` : '',
      });
      if (process.env.BENCH_QUESTIONS_VERBOSE) {
        const x = out[out.length - 1];
        log(
          `  file ${x.fileRank ?? '-'} (without model ${x.noModelRank ?? '-'}) sym ${x.symbolRank ?? '-'} tuned ${x.tunedRank ?? '-'} bm25 ${x.bm25Rank ?? '-'} ${x.ms}ms  ${q.q}  [top: ${x.top}]`,
        );
      }
    }
    return out;
  } finally {
    await engine.close();
  }
}

export async function measureQuestions(split: 'dev' | 'test' | 'all' = 'all', askOptions: AskOptions = BENCH_ASK) {
  const sets = loadQuestionSet().filter((s) => split === 'all' || s.meta.split === split);
  const all: QuestionResult[] = [];
  const repositories = [];
  for (const { meta, questions } of sets) {
    const results = await measureRepo(meta, questions, askOptions);
    all.push(...results);
    repositories.push({ repo: meta.name, language: meta.language, split: meta.split, version: meta.version, ...figures(results) });
  }
  const bySplit = (s: string) => all.filter((r) => sets.find((x) => x.meta.name === r.repo)!.meta.split === s);
  return {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    askOptions,
    split: split === 'dev' ? 'dev' : 'test',
    ...figures(bySplit(split === 'dev' ? 'dev' : 'test')),
    dev: figures(bySplit('dev')),
    overall: figures(all),
    repositories,
    perQuestion: all,
  };
}

export type QuestionFigures = Awaited<ReturnType<typeof measureQuestions>>;

export function printQuestions(r: QuestionFigures) {
  const head = ['', 'questions', 'file-MRR@10', 'no model', 'tuned kw', 'BM25', 'hit@1', 'hit@5', 'symbol@5', 'p50/p95 ms'];
  const row = (name: string, f: ReturnType<typeof figures>) => [
    name,
    String(f.questions),
    f.file_mrr.toFixed(3),
    f.file_mrr_without_model.toFixed(3),
    f.tuned_keyword_file_mrr.toFixed(3),
    f.bm25_file_mrr.toFixed(3),
    f.hit1.toFixed(3),
    f.hit5.toFixed(3),
    f.symbol_top5.toFixed(3),
    `${f.p50_ms}/${f.p95_ms}`,
  ];
  const rows = [head];
  for (const x of r.repositories) rows.push(row(`${x.repo} (${x.language}, ${x.split})`, x));
  if (r.dev.questions) rows.push(row('dev', r.dev));
  if (r.split === 'test') rows.push(row('test', r));
  rows.push(row('overall', r.overall));
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  for (const x of rows) console.log(x.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

async function main() {
  const split = (process.env.BENCH_QUESTIONS_SPLIT ?? 'all') as 'dev' | 'test' | 'all';
  const r = await measureQuestions(split);
  if (process.env.BENCH_QUESTIONS_JSON) {
    // As bench/run.ts's child: the figures on stdout, run.ts writes bench/results.json.
    process.stdout.write(JSON.stringify(r));
    return;
  }
  printQuestions(r);
  const path = 'bench/results.json';
  const results = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  results.questions = r;
  writeFileSync(path, JSON.stringify(results, null, 1) + '\n');
  log(`written to ${path} (questions)`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/questions.ts')) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`bench:questions failed: ${err instanceof Error ? err.stack : err}`);
      process.exit(1);
    },
  );
}
