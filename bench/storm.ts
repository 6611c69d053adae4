// The edit storm of `npm run bench` (issue 16), also alone: `BENCH_ONLY=storm npm run bench`. Run in a
// child process by bench/run.ts; prints its figures as JSON on stdout (progress on stderr).
//
// A real ~240-file workspace (STORM_CORPUS, copied to a temporary folder) indexed with the shipped model
// (onnxruntime-node), then STORM_EVENTS file events at a steady pace, each sent without waiting for the
// ones before (as the extension's debounced events reach the worker): saves of existing files (a new
// function appended), new files, deletes, file renames and folder moves, with a question asked between
// them. Edit-to-fresh is from the event's send to its answer (the file's new version in the index: the
// extension's 250 ms debounce comes before and is not counted); delete-to-gone likewise. Sampled every
// 500 ms: RSS, stale share (stale tokens / tokens the state has read), regions. Then, once the storm
// has settled, RESTART_SAVES files are saved at once and the engine is closed before it compacts them;
// it is opened again through the worker's handlers, and a save sent 300 ms into its start-up index
// (which compacts that stale history) is timed.
import '../extension/engine/runtime/offline'; // first: onnxruntime-node's telemetry off before it can load
import { appendFile, cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { createEngineDeps } from '../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../extension/engine/workspace/workspaceEngine';
import { workspaceHandlers } from '../extension/engine/workspace/workspaceHandlers';
import { corpusRoots, STORM_CORPUS } from './corpus';

const MODEL_DIR = resolve(process.env.LONGVIEW_MODEL_DIR ?? 'media/model');
const THREADS = 2;
const EVENTS = Number(process.env.STORM_EVENTS ?? 300);
/** Between two events (a busy user's saves across files; one file is saved at most every 250 ms by the debounce anyway). */
const PACE_MS = Number(process.env.STORM_PACE_MS ?? 250);
/** Files saved just before the restart, leaving stale history for the start-up index to compact. */
const RESTART_SAVES = 80;

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0;
};
const round = (x: number) => Math.round(x);
const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
/** RSS after a full collection (bench/run.ts starts this with --expose-gc): what is retained, not when the GC last ran. */
const retainedMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return rssMB();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile() && !e.name.endsWith('.map')) out.push(p);
  }
  return out;
}

async function listFolders(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = join(dir, e.name);
    out.push(p, ...(await listFolders(p)));
  }
  return out;
}

/** A small deterministic generator, so two runs send the same storm. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function storm() {
  const work = mkdtempSync(join(tmpdir(), 'lv-storm-'));
  const root = join(work, 'ws');
  const cacheDir = join(work, 'cache');
  await mkdir(root, { recursive: true });
  // Without their `dist` segments: discovery leaves build folders out (generated), and here they are the sources.
  for (const src of corpusRoots(STORM_CORPUS)) {
    await cp(src, join(root, relative(resolve('node_modules'), src).replace(/(^|\/)dist(\/|$)/g, '$1')), { recursive: true });
  }
  const files0 = await listFiles(root);
  log(`storm: ${files0.length} files copied to ${root}`);
  const deps = await createEngineDeps({ modelDir: MODEL_DIR, runtime: { prefer: 'onnxruntime-node', threads: THREADS } });
  const rssStart = rssMB();
  const engine = await WorkspaceEngine.open(deps, { roots: [root], cacheDir });
  const t0 = performance.now();
  const report = await engine.sync();
  const first = engine.status();
  const rssAfterIndex = retainedMB();
  log(
    `  first index: ${first.files} files, ${first.tokens} tokens, ${first.regions} regions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const random = rng(16);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  let live = new Set(files0.filter((f) => /\.(ts|js|mjs|cjs|md)$/.test(f)));
  const fresh: number[] = [];
  const gone: number[] = [];
  const counts: Record<string, number> = {};
  const samples: { s: number; rssMB: number; staleShare: number; regions: number; tokens: number }[] = [];
  let rssPeak = rssAfterIndex;
  let staleMax = 0;
  const sample = () => {
    const st = engine.status();
    const share = st.stateTokens > 0 ? st.staleTokens / st.stateTokens : 0;
    staleMax = Math.max(staleMax, share);
    const rss = rssMB();
    rssPeak = Math.max(rssPeak, rss);
    samples.push({
      s: Math.round((performance.now() - t1) / 100) / 10,
      rssMB: rss,
      staleShare: Math.round(share * 1000) / 1000,
      regions: st.regions,
      tokens: st.tokens,
    });
  };
  const t1 = performance.now();
  const sampler = setInterval(sample, 500);
  const inFlight: Promise<unknown>[] = [];
  let asks = 0;
  let askMs = 0;
  const byKind: Record<string, number[]> = {};
  const timed = (into: number[], kind: string, work: () => Promise<unknown>) => {
    const s0 = performance.now();
    const p = work().then(() => {
      into.push(performance.now() - s0);
      (byKind[kind] ??= []).push(performance.now() - s0);
    });
    inFlight.push(p);
    return p;
  };
  for (let i = 0; i < EVENTS; i++) {
    const r = random();
    const kind = r < 0.7 ? 'save' : r < 0.78 ? 'create' : r < 0.86 ? 'delete' : r < 0.95 ? 'rename' : 'folder';
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (kind === 'save') {
      const f = pick([...live]);
      await appendFile(f, `\nexport function stormEdit${i}(value: number): number {\n  return value * ${i};\n}\n`);
      void timed(fresh, 'save', () => engine.fileChanged(f));
    } else if (kind === 'create') {
      const f = join(dirname(pick([...live])), `storm-new-${i}.ts`);
      await writeFile(
        f,
        `/** Created during the storm (${i}). */\nexport function stormCreated${i}(): string {\n  return 'new ${i}';\n}\n`,
      );
      live.add(f);
      void timed(fresh, 'create', () => engine.fileChanged(f));
    } else if (kind === 'delete') {
      const f = pick([...live]);
      await rm(f);
      live.delete(f);
      void timed(gone, 'delete', () => engine.fileDeleted(f));
    } else if (kind === 'rename') {
      const f = pick([...live]);
      const to = f.replace(/(\.[a-z]+)$/, `.r${i}$1`);
      await rename(f, to);
      live.delete(f);
      live.add(to);
      void timed(fresh, 'rename', () => engine.fileRenamed(f, to));
    } else {
      const folders = (await listFolders(root)).filter((d) => d !== root);
      const from = pick(folders);
      const to = `${from}-m${i}`;
      await rename(from, to);
      live = new Set([...live].map((f) => (f.startsWith(from + '/') ? to + f.slice(from.length) : f)));
      void timed(fresh, 'folder', () => engine.fileRenamed(from, to));
    }
    if (i % 4 === 3) {
      const a0 = performance.now();
      await engine.ask(`storm edit ${i - 1} value`, { top: 5 });
      askMs += performance.now() - a0;
      asks++;
    }
    await sleep(PACE_MS);
  }
  await Promise.all(inFlight);
  const stormSeconds = (performance.now() - t1) / 1000;
  await engine.settled();
  sample();
  clearInterval(sampler);
  const rssAfterStorm = retainedMB();
  const after = engine.status();
  log(
    `  storm: ${EVENTS} events in ${stormSeconds.toFixed(1)} s; edit-to-fresh p50 ${round(percentile(fresh, 0.5))} ms, p95 ${round(percentile(fresh, 0.95))} ms`,
  );
  // Stale history for the restart: saves of RESTART_SAVES files sent at once, and the engine closed
  // before its compaction could finish (a user quitting mid-storm), so the start-up index has to compact.
  await Promise.all(
    [...live].slice(0, RESTART_SAVES).map(async (f, k) => {
      await appendFile(f, `\nexport function beforeRestart${k}(): number {\n  return ${k};\n}\n`);
      await engine.fileChanged(f);
    }),
  );
  await engine.close();

  // A restart after the storm: the start-up index compacts what the storm left stale; a save 300 ms in.
  const h = workspaceHandlers({ wasmDir: '' });
  const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });
  await h['workspace.open']({ roots: [root], cacheDir, modelDir: MODEL_DIR, runtime: 'onnxruntime-node', threads: THREADS }, ctx());
  const staleAtRestart = (await h['workspace.status']({}, ctx())).staleTokens;
  const i0 = performance.now();
  let indexMs = 0;
  const stop = new AbortController();
  const indexing = Promise.resolve(h['workspace.index']({}, { signal: stop.signal, progress: () => undefined })).then(
    () => (indexMs = performance.now() - i0),
    () => undefined, // stopped once the save is measured: its length is not the figure here
  );
  await sleep(300);
  const f = pick([...live]);
  await appendFile(f, '\nexport function savedDuringStartup(): number {\n  return 1;\n}\n');
  const s0 = performance.now();
  await h['workspace.fileChanged']({ path: f }, ctx());
  const saveDuringStartupMs = performance.now() - s0;
  const during = indexMs === 0;
  stop.abort();
  await indexing;
  log(
    `  restart: save during start-up index ${round(saveDuringStartupMs)} ms (${staleAtRestart} stale tokens at restart; the start-up index ${during ? 'still ran, stopped then' : `had finished in ${round(indexMs)} ms`})`,
  );
  await rm(work, { recursive: true, force: true });

  return {
    corpus: STORM_CORPUS,
    files: first.files,
    tokens: first.tokens,
    regions: first.regions,
    firstIndexSeconds: report.seconds,
    events: EVENTS,
    eventKinds: counts,
    paceMs: PACE_MS,
    stormSeconds: Math.round(stormSeconds * 10) / 10,
    asks,
    askMeanMs: asks ? round(askMs / asks) : 0,
    edit_to_fresh_p50_ms: round(percentile(fresh, 0.5)),
    edit_to_fresh_p95_ms: round(percentile(fresh, 0.95)),
    edit_to_fresh_max_ms: round(Math.max(...fresh)),
    by_kind: Object.fromEntries(
      Object.entries(byKind).map(([k, xs]) => [
        k,
        { n: xs.length, p50_ms: round(percentile(xs, 0.5)), p95_ms: round(percentile(xs, 0.95)), max_ms: round(Math.max(...xs)) },
      ]),
    ),
    delete_to_gone_p50_ms: round(percentile(gone, 0.5)),
    delete_to_gone_max_ms: round(Math.max(0, ...gone)),
    save_during_startup_ms: round(saveDuringStartupMs),
    save_during_startup_while_indexing: during,
    stale_tokens_at_restart: staleAtRestart,
    startup_index_ms: indexMs ? round(indexMs) : null,
    stale_share_max: Math.round(staleMax * 1000) / 1000,
    rss_start_mb: rssStart,
    rss_after_index_mb: rssAfterIndex,
    rss_peak_mb: rssPeak,
    rss_after_storm_mb: rssAfterStorm,
    rss_after_storm_ratio: Math.round((rssAfterStorm / rssAfterIndex) * 100) / 100,
    after: { files: after.files, regions: after.regions, tokens: after.tokens, staleTokens: after.staleTokens },
    samples: samples.filter((_, k) => k % 4 === 0),
  };
}

storm().then(
  (figures) => {
    process.stdout.write(JSON.stringify(figures));
    process.exit(0);
  },
  (err) => {
    console.error(`storm failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  },
);
