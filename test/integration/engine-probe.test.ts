// The recall probe on the REAL shipped model (media/model), with card copies that switch it on
// (recall_probe > 0) and off (0): finite probes counted in the shown recall beyond the window, cached
// per state and equal to a fresh measurement, regions inside the window untouched, ask and summarize
// showing the same numbers as recall, cancellation and progress through the worker, the CLI's output,
// and a card without the probe giving the old numbers with no token_nll session at all.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RpcClient } from '../../extension/engine/rpc/client';
import { RequestCancelledError } from '../../extension/engine/rpc/errors';
import type { EngineMethods } from '../../extension/engine/rpc/methods';
import { recall } from '../../extension/engine/query/recall';
import { ProbeCancelled, RecallProbe } from '../../extension/engine/query/recallProbe';
import { heldWhole, retention, shownRecall } from '../../extension/engine/query/regionMath';
import type { ModelRuntime, ModelSession } from '../../extension/engine/runtime/types';
import { createEngineDeps } from '../../extension/engine/workspace/engineDeps';
import type { EngineDeps } from '../../extension/engine/workspace/engineDeps';
import { WorkspaceEngine } from '../../extension/engine/workspace/workspaceEngine';

const SLICE = 4;
import { tempDir } from './helpers';
import { writeWorkspace } from './workspaceFixture';

const REAL = resolve('media/model');
const PROBE = 0.05; // small enough that the numbers stay below the clamp at 1 (probes here are ~1.5-2 nats per token)

/** A model folder of the real files with the card's probe fields set (the shipped card may not have them yet). */
async function modelDir(recallProbe: number, k = 16): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `lv-probe-model-${recallProbe}-`));
  for (const f of ['scan.onnx', 'query.onnx', 'tokenizer.json', 'token_nll.onnx']) await symlink(join(REAL, f), join(dir, f));
  const card = JSON.parse(await readFile(join(REAL, 'card.json'), 'utf8'));
  const fields = {
    recall_probe: recallProbe,
    recall_probe_tokens: k,
    token_nll: { graph: 'token_nll.onnx', wte: 'model.wte.weight__fp16' },
  };
  await writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, ...fields }));
  return dir;
}

/** The runtime with every session's runs counted (in creation order: scan, query, then token_nll if any). */
function counting(deps: EngineDeps) {
  const runs: number[] = [];
  const inner = deps.runtime.runtime;
  const runtime: ModelRuntime = {
    name: inner.name,
    threads: inner.threads,
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await inner.createSession(model);
      const i = runs.push(0) - 1;
      return {
        ...session,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        run: (feeds) => (runs[i]++, session.run(feeds)),
      };
    },
  };
  return { deps: { ...deps, runtime: { ...deps.runtime, runtime } }, runs };
}

const workspace = (async () => {
  const dir = await tempDir('probe-ws');
  await writeWorkspace(dir, 10); // ~1,100 tokens: the first files lie beyond the 512-token window
  return dir;
})();

test('probes on the real model: finite, counted beyond the window only, cached per state, equal to a fresh measurement', async (t) => {
  const dir = await workspace;
  const modelOn = await modelDir(PROBE);
  const base = await createEngineDeps({ modelDir: modelOn, runtime: { prefer: 'onnxruntime-web', threads: 2 } });
  const { deps, runs } = counting(base);
  const card = deps.model.card;
  assert.equal(card.recallProbe, PROBE);
  // Slices of 4 regions (64 by default), so that a cancelled request can keep whole slices here.
  const engine = await WorkspaceEngine.open(deps, { roots: [dir], cacheDir: await tempDir('probe-cache'), probeSlice: SLICE });
  await engine.sync();
  assert.equal(runs.length, 3, 'scan, query and token_nll sessions');
  const views = engine.views();
  const beyond = views.filter((v) => !heldWhole(card, v));
  const inside = views.filter((v) => heldWhole(card, v));
  assert.ok(beyond.length >= 8 && inside.length >= 2, `${beyond.length} beyond, ${inside.length} inside`);
  assert.ok(
    views.every((v) => v.probeGain === undefined),
    'views() stays synchronous: no probe in it',
  );

  const probe = engine.recallProbe!;
  const t0 = performance.now();
  const first = await engine.recall();
  const ms = performance.now() - t0;
  t.diagnostic(
    `recall of ${views.length} regions (${beyond.length} probed, onnxruntime-web, 2 threads): ${ms.toFixed(0)} ms, ` +
      `${(ms / beyond.length).toFixed(1)} ms per probed region; calls ${JSON.stringify(probe.calls)}`,
  );
  assert.equal(probe.calls.scan, 2 * beyond.length, 'one zero-state and one final-state read per region (all heads differ)');
  assert.ok(probe.calls.nll >= 1 && probe.calls.nll <= Math.ceil(beyond.length / SLICE) * Math.ceil((2 * 16 * SLICE) / 1024));
  assert.equal(runs[2], probe.calls.nll);

  const byKey = new Map(first.regions.map((r) => [`${r.path}:${r.startLine}`, r]));
  const probed = await engine.probedViews(views);
  for (const v of probed) {
    const entry = byKey.get(`${v.file.path}:${v.region.startLine + 1}`)!;
    if (heldWhole(card, v)) {
      assert.equal(v, views[probed.indexOf(v)], 'a view inside the window is returned untouched');
      assert.equal(v.recall, 1);
      assert.equal(entry.probeGain, undefined);
      continue;
    }
    assert.ok(Number.isFinite(v.probeGain) && Math.abs(v.probeGain!) < 20, `${v.region.name}: probe ${v.probeGain}`);
    const want = shownRecall(card, retention(card, v.file, v.region, engine.index.state.L), false, v.windowOverlap, v.probeGain);
    assert.equal(v.recall, want, 'the shown recall counts recall_probe · probe');
    assert.equal(entry.recall, Math.round(want * 1e6) / 1e6);
    assert.equal(entry.probeGain, Math.round(v.probeGain! * 1e6) / 1e6);
  }
  assert.ok(
    probed.some((v, i) => v.recall !== views[i].recall),
    'the probe changes some number',
  );

  // Measured twice: identical, and no model call the second time.
  const calls = { ...probe.calls };
  assert.deepEqual(await engine.recall(), first);
  assert.deepEqual(probe.calls, calls);
  // A fresh, uncached measurement (new sessions) of the same regions against the same state: the same numbers.
  const sessions = [
    await base.runtime.runtime.createSession(deps.model.scanOnnx),
    await base.runtime.runtime.createSession(deps.model.tokenNll!.onnx),
  ];
  const fresh = new RecallProbe(card, sessions[0], sessions[1], { data: deps.model.tokenNll!.wte, dims: deps.model.tokenNll!.wteDims });
  const again = await fresh.measure(
    beyond.map((v) => ({ head: v.region.head, length: v.region.tokEnd - v.region.tokStart })),
    engine.index.state,
  );
  const cached = probed.filter((v) => !heldWhole(card, v)).map((v) => v.probeGain!);
  assert.deepEqual(again, cached);

  // ask and summarize show the numbers recall shows.
  const answer = await engine.ask('widget total from parts', { top: 6, fuse: false });
  const entries = new Map(first.regions.map((r) => [`${r.path}:${r.startLine}`, r.recall]));
  for (const h of answer.hits)
    assert.ok(Math.abs(h.recall! - entries.get(`${h.path}:${h.startLine}`)!) <= 5e-5 + 1e-9, `${h.path} ${h.symbol}`);
  assert.ok(answer.hits.some((h) => h.recall! < 1));
  const summary = await engine.summarize('mod1.ts');
  const own = first.regions.filter((r) => r.path === 'mod1.ts');
  const total = probed.reduce((s, v) => s + v.recall, 0);
  const mine = probed.filter((v) => v.file.path === 'mod1.ts').reduce((s, v) => s + v.recall, 0);
  assert.equal(summary.recallShare, Math.round((mine / total) * 1e6) / 1e6);
  assert.ok(Math.abs(summary.meanRecall - own.reduce((s, r) => s + r.recall, 0) / own.length) < 1e-5);
  assert.deepEqual(probe.calls, calls, 'all of it from the cache');

  // An edit makes a new state: the probes are measured again (the zero-state halves come from the cache).
  await writeFile(join(dir, 'mod9.ts'), (await readFile(join(dir, 'mod9.ts'), 'utf8')) + '\nexport const extra = 1;\n');
  await engine.fileChanged(join(dir, 'mod9.ts'));
  const scans = probe.calls.scan;
  await engine.recall({ file: 'mod0.ts' });
  assert.equal(probe.calls.scan - scans, first.regions.filter((r) => r.path === 'mod0.ts').length, 'final-state reads only');

  // summarize on a state the workspace was not measured on: the file's own regions only, and no share
  // (it would divide by regions not measured on this state).
  const scansBeforeSummary = probe.calls.scan;
  const partial = await engine.summarize('mod1.ts');
  assert.equal(partial.recallShare, null);
  const mod1Probed = probe.calls.scan - scansBeforeSummary;
  assert.ok(mod1Probed > 0 && mod1Probed <= own.length, `measured ${mod1Probed} of mod1's ${own.length} regions`);
  // A question measures no probe: hits whose probe this state has not measured show no recall.
  const scansBeforeAsk = probe.calls.scan;
  // Six re-reads (a fixed number: the hits do not depend on load), so some hits lie past the window.
  const unmeasured = await engine.ask('widget total from parts', { top: 6, fuse: false, maxRereads: 6 });
  assert.equal(probe.calls.scan, scansBeforeAsk, 'no probe measured by ask');
  assert.ok(
    unmeasured.hits.some((h) => h.recall === null),
    'some hit past the window not measured on this state',
  );
  await engine.recall();
  assert.notEqual((await engine.summarize('mod1.ts')).recallShare, null, 'the share once every region is measured');
  assert.ok((await engine.ask('widget total from parts', { top: 6, fuse: false, maxRereads: 6 })).hits.every((h) => h.recall !== null));

  // Cancelled between regions: rejected, nothing half-measured is shown afterwards.
  await engine.fileChanged(join(dir, 'mod9.ts'));
  const controller = new AbortController();
  await assert.rejects(
    engine.recall({}, { signal: controller.signal, onProgress: (done) => done === 2 && controller.abort() }),
    ProbeCancelled,
  );
  const after = await engine.recall();
  assert.ok(after.regions.filter((r) => r.probeGain !== undefined).length >= 8);

  // Cancelled after a whole slice: what that slice measured is kept for the next request on this state.
  const beyondCount = after.regions.filter((r) => r.probeGain !== undefined).length;
  assert.ok(beyondCount > SLICE, `${beyondCount} regions beyond the window: more than one slice`);
  await engine.fileChanged(join(dir, 'mod9.ts'));
  const stop = new AbortController();
  await assert.rejects(
    engine.recall({}, { signal: stop.signal, onProgress: (done) => done === SLICE + 1 && stop.abort() }),
    ProbeCancelled,
  );
  const scansBeforeRest = probe.calls.scan;
  await engine.recall();
  assert.equal(probe.calls.scan - scansBeforeRest, beyondCount - SLICE, 'only what the cancelled request had not stored');
  await engine.close();
  await Promise.all(sessions.map((s) => s.release()));
});

test('a card with recall_probe 0 gives the old numbers and makes no token_nll session or call', async () => {
  const dir = await workspace;
  const base = await createEngineDeps({ modelDir: await modelDir(0), runtime: { prefer: 'onnxruntime-node', threads: 1 } });
  assert.equal(base.model.tokenNll, undefined);
  const { deps, runs } = counting(base);
  const engine = await WorkspaceEngine.open(deps, { roots: [dir], cacheDir: await tempDir('probe-off-cache') });
  await engine.sync();
  const scanRuns = runs[0];
  const result = await engine.recall();
  assert.equal(runs.length, 2, 'scan and query sessions only');
  assert.equal(runs[0], scanRuns, 'recall runs no model at all');
  assert.equal(engine.recallProbe, undefined);
  // The numbers of the code path before the probe: recall() over views() as they are.
  const old = recall(deps.model.card, engine.views(), {}, { tokens: engine.index.state.tokens, staleTokens: 0 });
  assert.deepEqual(result, old);
  assert.ok(result.regions.every((r) => !('probeGain' in r)));
  assert.ok(result.regions.some((r) => r.recall < 1));
  const answer = await engine.ask('widget total from parts', { top: 4 });
  assert.ok(answer.hits.length === 4);
  const beforeSummary = runs[0];
  const summary = await engine.summarize('mod1.ts');
  const views = engine.views();
  assert.equal(
    summary.recallShare,
    Math.round(
      (views.filter((v) => v.file.path === 'mod1.ts').reduce((s, v) => s + v.recall, 0) / views.reduce((s, v) => s + v.recall, 0)) * 1e6,
    ) / 1e6,
  );
  assert.equal(runs[0], beforeSummary, 'summarize of an unchanged indexed file scans nothing (the index holds its salient lines)');
  assert.equal(runs[0] - scanRuns, answer.rereads, "ask's re-reads: nothing else");
  await engine.close();
});

test("an index whose region heads are shorter than the card's recall_probe_tokens is rebuilt", async () => {
  const dir = await workspace;
  const cacheDir = await tempDir('probe-heads');
  const open = async (k: number) =>
    WorkspaceEngine.open(
      await createEngineDeps({ modelDir: await modelDir(PROBE, k), runtime: { prefer: 'onnxruntime-node', threads: 1 } }),
      { roots: [dir], cacheDir },
    );
  const first = await open(4);
  await first.sync();
  assert.ok(first.views().every((v) => v.region.head.length === Math.min(5, v.region.tokEnd - v.region.tokStart)));
  await first.close();
  const same = await open(4);
  assert.deepEqual(same.notices, []);
  assert.ok(same.index.history.length > 0);
  await same.close();
  const longer = await open(16);
  assert.ok(
    longer.notices.some((n) => /region heads shorter than the card's recall_probe_tokens \(16\); rebuilding/.test(n)),
    longer.notices.join('; '),
  );
  assert.equal(longer.index.history.length, 0);
  await longer.close();
});

const client = new RpcClient<EngineMethods>({
  workerFile: new URL('../../extension/engine/worker.ts', import.meta.url),
  workerData: {},
  execArgv: ['--require', 'tsx/cjs'],
});
after(() => client.dispose());

test('through the worker: workspace.recall reports progress, can be cancelled, and answers with probes', async () => {
  const dir = await workspace;
  const modelOn = await modelDir(PROBE);
  await client.request('workspace.open', {
    roots: [dir],
    cacheDir: await tempDir('probe-worker'),
    modelDir: modelOn,
    runtime: 'onnxruntime-node',
    threads: 1,
  });
  await client.request('workspace.index', {});
  const controller = new AbortController();
  await assert.rejects(
    client.request('workspace.recall', {}, { signal: controller.signal, onProgress: (p) => p.done >= 2 && controller.abort() }),
    RequestCancelledError,
  );
  // A save makes a new state, so the next recall measures again whatever the cancelled one got done.
  await appendFile(join(dir, 'mod9.ts'), '\nexport const more = 2;\n');
  await client.request('workspace.fileChanged', { path: join(dir, 'mod9.ts') });
  const progress: { done: number; total: number }[] = [];
  const result = await client.request('workspace.recall', {}, { onProgress: (p) => progress.push(p) });
  assert.ok(progress.length > 0 && progress[progress.length - 1].done === progress[progress.length - 1].total);
  assert.ok(result.regions.filter((r) => r.probeGain !== undefined).length >= 8);

  // The CLI on the same model: the probe in the JSON and in the text.
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'extension/engine/cli/cli.ts', ...args, '--model', modelOn, '--threads', '1'], {
      encoding: 'utf8',
    });
  const cache = await tempDir('probe-cli');
  const json = cli(['recall', dir, '--file', 'mod0.ts', '--cache', cache, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const regions = JSON.parse(json.stdout).regions as { probeGain?: number; recall: number }[];
  assert.ok(regions.length === 2 && regions.every((r) => Number.isFinite(r.probeGain) && r.recall <= 1));
  const text = cli(['recall', dir, '--file', 'mod0.ts', '--cache', cache]);
  assert.match(text.stdout, /\(window overlap \d\.\d\d, probe [+-]\d+\.\d\d nats\/token\)/);
});
