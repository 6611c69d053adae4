// The sidebar's and heatmap's pure parts: heatmap ranges and hover text, engine paths ↔ absolute
// paths, question history, the Recall table's rows and sort, Markdown export, status bar words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { bucketOf, heatmapHover, heatmapRanges, probeSentence, type HeatmapRegion } from '../../extension/present/heatmapModel';
import { WorkspacePaths } from '../../extension/engine/paths/workspacePaths';
import { QuestionHistory } from '../../webview/questionHistory';
import { recallFileRows, sortRows } from '../../webview/recallTable';
import { fileSummaryMarkdown, workspaceSummaryMarkdown } from '../../extension/present/markdown';
import { statusBarText } from '../../extension/present/statusText';
import { markActive, toAskView, toRecallView } from '../../extension/present/engineViews';
import { RECALL_PROBE_TOKENS, type FileSummary, type RecallView } from '../../extension/protocol';
import { dotLabel, measuringText, staleText } from '../../webview/recallText';
import { indexLineText, restrictedNotice } from '../../webview/indexText';

const region = (symbol: string, startLine: number, endLine: number, recall: number, distanceTokens = 100): HeatmapRegion => ({
  symbol,
  kind: 'method',
  startLine,
  endLine,
  recall,
  distanceTokens,
});

test('heatmap: each line goes to its innermost region; a class around methods keeps only its own lines', () => {
  const cls = { ...region('Inventory', 2, 10, 0.9), kind: 'class' };
  const ranges = heatmapRanges([cls, region('sell', 4, 6, 0.1)], 12);
  assert.deepEqual(
    ranges.map((r) => [r.region.symbol, r.startLine, r.endLine, r.bucket]),
    [
      ['Inventory', 1, 2, 3],
      ['sell', 3, 5, 0],
      ['Inventory', 6, 9, 3],
    ],
  );
});

test('heatmap: regions past the end of the document are clipped, never drawn beyond it', () => {
  const ranges = heatmapRanges([region('tail', 3, 50, 0.5)], 5);
  assert.deepEqual(
    ranges.map((r) => [r.startLine, r.endLine]),
    [[2, 4]],
  );
});

test('heatmap: buckets split recall in quarters and clamp out-of-range values', () => {
  assert.deepEqual([0, 0.24, 0.25, 0.5, 0.74, 0.75, 1, 1.2, -0.1].map(bucketOf), [0, 0, 1, 2, 2, 3, 3, 3, 0]);
});

test('heatmap hover: recall with two decimals, distance in tokens, one sentence by level', () => {
  const held = heatmapHover(region('sell', 1, 2, 0.912, 20782));
  assert.match(held, /\*\*method sell\*\*: Recall 0\.91 · 20,782 tokens from the end of the workspace summary\./);
  assert.match(held, /past the attention window, but the summary still helps a lot to read it again\./i);
  assert.match(heatmapHover(region('a', 1, 1, 0.4)), /only in part/);
  assert.match(heatmapHover(region('a', 1, 1, 0.01)), /mostly forgotten.*re-read/);
  assert.match(
    heatmapHover(region('a', 1, 1, 1, 300)),
    /among the last tokens read: the attention window still holds this region exactly/i,
  );
});

test('heatmap hover: past the window it gives the share of token pairs the window holds', () => {
  const far = { ...region('a', 1, 1, 0.3, 9000), windowOverlap: 0.437 };
  assert.match(heatmapHover(far), /only in part.* 44 % of its token pairs are among the last ~500 tokens read\./);
  assert.doesNotMatch(
    heatmapHover({ ...region('a', 1, 1, 1, 100), windowOverlap: 1 }),
    /token pairs/,
    'inside the window: exact, no share',
  );
  assert.doesNotMatch(heatmapHover(region('a', 1, 1, 0.3, 9000)), /token pairs/, 'an engine without the term says nothing');
});

test('heatmap hover: past the window it says what the recall probe measured, with its number and sign', () => {
  const far = { ...region('a', 1, 1, 0.3, 9000), windowOverlap: 0.437, probeGain: 0.4249 };
  const text = heatmapHover(far);
  assert.match(
    text,
    /only in part, so memory answers are approximate here\. Measured: re-reading its first tokens \(up to 16\) after the summary predicts them better than reading them cold, by 0\.42 nats per token of the region\. 44 % of its token pairs are among the last ~500 tokens read\.$/,
  );
  assert.match(
    heatmapHover({ ...far, probeGain: -0.126 }),
    /predicts them worse than reading them cold, by 0\.13 nats per token of the region\./,
  );
  assert.match(
    heatmapHover({ ...far, probeGain: 0.001 }),
    /predicts them no better than reading them cold \(0\.00 nats per token of the region\)\./,
  );
  assert.equal(
    probeSentence(1.5),
    'Measured: re-reading its first tokens (up to 16) after the summary predicts them better than reading them cold, by 1.50 nats per token of the region.',
  );
  assert.doesNotMatch(heatmapHover({ ...region('a', 1, 1, 1, 100), probeGain: 0.4 }), /Measured/, 'inside the window: exact, no probe');
  assert.doesNotMatch(heatmapHover(region('a', 1, 1, 0.3, 9000)), /Measured/, 'no probe measured: nothing said');
  assert.doesNotMatch(text, /holds this region|memory holds/, 'no claim that the memory holds the region');
});

test("the probe token count the words give is the model card's recall_probe_tokens", () => {
  const card = JSON.parse(readFileSync(path.resolve('media/model/card.json'), 'utf8')) as { recall_probe_tokens: number };
  assert.equal(RECALL_PROBE_TOKENS, card.recall_probe_tokens);
});

test('heatmap hover: only the active file says attention reads it exactly', () => {
  assert.doesNotMatch(heatmapHover(region('a', 1, 1, 0.01)), /active file/);
  const active = heatmapRanges([region('a', 1, 2, 0.01)], 4, true);
  assert.match(active[0].hover, /mostly forgotten[\s\S]*active file: .*attention .*exact/);
});

test('workspace paths: one root uses root-relative names, several prefix the root folder name', () => {
  const one = new WorkspacePaths([path.resolve('/w/shop')]);
  assert.equal(one.toEngine('/w/shop/src/a.ts'), 'src/a.ts');
  assert.equal(one.toEngine('/w/other/a.ts'), undefined);
  assert.equal(one.toEngine('/w/shop'), undefined);
  assert.equal(one.toAbsolute('src/a.ts'), path.join('/w/shop', 'src', 'a.ts'));
  const two = new WorkspacePaths(['/w/shop', '/w/tools']);
  assert.equal(two.toEngine('/w/tools/x.py'), 'tools/x.py');
  assert.equal(two.toAbsolute('tools/x.py'), path.join('/w/tools', 'x.py'));
  assert.equal(two.toAbsolute('nowhere/x.py'), undefined);
  assert.equal(two.relativeToRoot('/w/tools/node_modules/a.js'), 'node_modules/a.js');
});

test('question history: Up walks back, Down returns to the draft, repeats move to the end', () => {
  const h = new QuestionHistory(['a', 'b']);
  assert.equal(h.move(-1, 'draft'), 'b');
  assert.equal(h.move(-1, 'b'), 'a');
  assert.equal(h.move(-1, 'a'), 'a');
  assert.equal(h.move(1, 'a'), 'b');
  assert.equal(h.move(1, 'b'), 'draft');
  h.add('a');
  assert.deepEqual(h.all, ['b', 'a']);
  const limited = new QuestionHistory([], 2);
  ['x', 'y', 'z'].forEach((q) => limited.add(q));
  assert.deepEqual(limited.all, ['y', 'z']);
});

const recallView: RecallView = {
  regions: [
    {
      path: 'b.ts',
      uri: 'file:///w/b.ts',
      symbol: 'f',
      kind: 'function',
      startLine: 1,
      endLine: 3,
      recall: 0.2,
      distanceTokens: 900,
      active: false,
    },
    {
      path: 'b.ts',
      uri: 'file:///w/b.ts',
      symbol: 'g',
      kind: 'function',
      startLine: 5,
      endLine: 9,
      recall: 0.6,
      distanceTokens: 700,
      active: false,
    },
    {
      path: 'a.ts',
      uri: 'file:///w/a.ts',
      symbol: 'h',
      kind: 'function',
      startLine: 1,
      endLine: 2,
      recall: 0.9,
      distanceTokens: 10,
      active: true,
    },
  ],
  meanRecall: 0.566,
  summaryBytes: 1,
  stateTokens: 1000,
  staleTokens: 0,
  activePath: 'a.ts',
};

test('recall table: one row per file with mean, lowest recall and nearest distance; sorts both ways', () => {
  const rows = recallFileRows(recallView);
  const b = rows.find((r) => r.path === 'b.ts')!;
  assert.equal(b.regions, 2);
  assert.ok(Math.abs(b.meanRecall - 0.4) < 1e-9);
  assert.equal(b.minRecall, 0.2);
  assert.equal(b.distanceTokens, 700);
  assert.deepEqual(
    sortRows(rows, 'meanRecall', true).map((r) => r.path),
    ['a.ts', 'b.ts'],
  );
  assert.deepEqual(
    sortRows(rows, 'distanceTokens', false).map((r) => r.path),
    ['a.ts', 'b.ts'],
  );
  assert.deepEqual(
    sortRows(rows, 'path', true).map((r) => r.path),
    ['b.ts', 'a.ts'],
  );
});

test('engine views: hits get URIs, partial while indexing; recall marks the active file only', () => {
  const uriOf = (p: string) => `file:///w/${p}`;
  const ask = toAskView(
    {
      question: 'q',
      answer: { text: 't', path: 'a.ts', line: 3 },
      hits: [
        {
          path: 'a.ts',
          startLine: 3,
          endLine: 4,
          symbol: 's',
          kind: 'function',
          score: 0.5,
          bm25: 1,
          fileRank: 1,
          source: 'exact',
          recall: 1,
          snippet: 'x',
        },
      ],
      rereads: 0,
      notReread: 0,
      ms: 12.6,
    },
    'hybrid',
    uriOf,
    { complete: false, files: 7 },
  );
  assert.equal(ask.hits[0].uri, 'file:///w/a.ts');
  assert.equal(ask.answer?.uri, 'file:///w/a.ts');
  assert.deepEqual(ask.partial, { filesIndexed: 7 });
  assert.equal(ask.ms, 13);
  assert.equal(
    toAskView({ ...ask, answer: null, hits: [], rereads: 0, notReread: 0, ms: 1 }, 'memory', uriOf, { complete: true, files: 7 }).partial,
    null,
  );
  const recall = toRecallView(
    {
      scope: 'workspace',
      regions: [
        { path: 'a.ts', symbol: 's', kind: 'function', startLine: 1, endLine: 2, recall: 0.3, distanceTokens: 5 },
        { path: 'b.ts', symbol: 't', kind: 'function', startLine: 1, endLine: 2, recall: 0.3, distanceTokens: 5 },
      ],
      meanRecall: 0.3,
      summaryBytes: 9,
      stateTokens: 10,
      staleTokens: 0,
    },
    uriOf,
    'a.ts',
  );
  assert.deepEqual(
    recall.regions.map((r) => r.active),
    [true, false],
  );
  const withOverlap = toRecallView(
    {
      scope: 'workspace',
      regions: [
        { path: 'a.ts', symbol: 's', kind: 'function', startLine: 1, endLine: 2, recall: 0.3, distanceTokens: 900, windowOverlap: 0.42 },
      ],
      meanRecall: 0.3,
      summaryBytes: 9,
      stateTokens: 10,
      staleTokens: 0,
    },
    uriOf,
    null,
  );
  assert.equal(withOverlap.regions[0].windowOverlap, 0.42, 'the window overlap reaches the sidebar');
  assert.equal('probeGain' in withOverlap.regions[0], false, 'no probe measured: none invented');
  const withProbe = toRecallView(
    {
      scope: 'workspace',
      regions: [
        {
          path: 'a.ts',
          symbol: 's',
          kind: 'function',
          startLine: 1,
          endLine: 2,
          recall: 0.3,
          distanceTokens: 900,
          windowOverlap: 0.42,
          probeGain: -0.07,
        },
      ],
      meanRecall: 0.3,
      summaryBytes: 9,
      stateTokens: 10,
      staleTokens: 0,
    },
    uriOf,
    null,
  );
  assert.equal(withProbe.regions[0].probeGain, -0.07, 'the recall probe reaches the sidebar');
});

test('engine views: switching the active file re-marks the regions without measuring again', () => {
  const moved = markActive(recallView, 'b.ts');
  assert.deepEqual(
    moved.regions.map((r) => r.active),
    [true, true, false],
  );
  assert.equal(moved.activePath, 'b.ts');
  assert.deepEqual(
    moved.regions.map((r) => r.recall),
    recallView.regions.map((r) => r.recall),
  );
  assert.deepEqual(
    markActive(recallView, null).regions.map((r) => r.active),
    [false, false, false],
  );
  assert.equal(markActive(recallView, 'a.ts'), recallView, 'unchanged: the same view');
});

test('recall chart: a dot past the window is labelled with the probe and the overlap; inside it with neither', () => {
  const far = { ...recallView.regions[0], windowOverlap: 0.437, probeGain: 0.4249 };
  assert.equal(
    dotLabel(far),
    "b.ts:1 f: recall 0.20, 900 tokens from the summary's end; measured: its first tokens (up to 16) re-read after the summary are predicted 0.42 nats per token of the region better than cold; 44 % of its token pairs are among the last ~500 tokens read",
  );
  assert.match(dotLabel({ ...far, probeGain: -0.2 }), /; measured: .* 0\.20 nats per token of the region worse than cold;/);
  assert.doesNotMatch(dotLabel(recallView.regions[0]), /measured|token pairs/, 'nothing measured: nothing said');
  assert.doesNotMatch(dotLabel({ ...far, recall: 1 }), /measured|token pairs/, 'inside the window: exact');
});

test('recall section: the count while the engine measures', () => {
  assert.equal(measuringText(null), 'Measuring recall…');
  assert.equal(measuringText({ done: 0, total: 0 }), 'Measuring recall…');
  assert.equal(measuringText({ done: 1234, total: 9000 }), 'Measuring recall: 1,234 of 9,000 regions…');
  assert.equal(
    staleText({ regions: 9000, estimateMs: null }),
    'The summary changed since this chart was measured (9,000 regions). ↻ measures again.',
  );
  assert.equal(
    staleText({ regions: 9000, estimateMs: 150_000 }),
    'The summary changed since this chart was measured (9,000 regions; measuring again takes about 3 minutes on this machine). ↻ measures again.',
  );
  assert.equal(
    staleText({ regions: 2000, estimateMs: 70_000 }),
    'The summary changed since this chart was measured (2,000 regions; measuring again takes about a minute on this machine). ↻ measures again.',
  );
  assert.equal(
    staleText({ regions: 2000, estimateMs: 38_000 }),
    'The summary changed since this chart was measured (2,000 regions; measuring again takes about 40 seconds on this machine). ↻ measures again.',
  );
});

test('markdown: a file summary lists overview, recall, nested symbols with descriptions, imports and exports', () => {
  const summary: FileSummary = {
    uri: 'file:///w/a.ts',
    fileName: 'a.ts',
    languageId: 'typescript',
    regions: [
      {
        name: 'Shop',
        kind: 'class',
        startLine: 1,
        endLine: 9,
        doc: 'A shop.',
        children: [{ name: 'sell', kind: 'method', startLine: 3, endLine: 5, doc: null, children: [] }],
      },
    ],
    imports: [{ source: './pricing', line: 1 }],
    exports: [{ name: 'Shop', line: 1 }],
    insight: {
      overview: 'typescript file, 9 lines.',
      descriptions: { '3:sell': { text: 'return this.count--;', from: 'salient' } },
      recallShare: 0.25,
      meanRecall: 0.5,
      tokens: 40,
    },
  };
  const md = fileSummaryMarkdown(summary);
  assert.match(md, /^# a\.ts\n\ntypescript file, 9 lines\.\n/);
  assert.match(md, /Recall: mean 50% over its regions; 25% of the workspace summary's recall\./);
  // Before the workspace's recall is measured on this state the share is unknown: said by leaving it out.
  const unmeasured = fileSummaryMarkdown({ ...summary, insight: { ...summary.insight!, recallShare: null } });
  assert.match(unmeasured, /Recall: mean 50% over its regions\.\n/);
  assert.doesNotMatch(unmeasured, /NaN|null/);
  assert.match(md, /- `Shop` \(class, lines 1–9\): A shop\.\n {2}- `sell` \(method, lines 3–5\): return this\.count--;/);
  assert.match(md, /## Imports\n\n- `\.\/pricing` \(line 1\)/);
  const ws = workspaceSummaryMarkdown({
    files: 2,
    regions: 3,
    importEdges: 1,
    externalImports: [{ name: 'os', files: 1 }],
    modules: [
      {
        module: 'src',
        files: 2,
        regions: 3,
        centrality: 0.6,
        dependsOn: [{ module: 'lib', imports: 1 }],
        keyFiles: [{ path: 'src/a.ts', uri: '' }],
        exports: ['Shop'],
      },
    ],
  });
  assert.match(ws, /### src \(60% of centrality\)\n\n2 files, 3 symbols\. Key files: `src\/a\.ts`\.\nDepends on: lib \(1\)\./);
  assert.match(ws, /- `os` \(1 files\)/);
});

test('status bar words follow the index phase', () => {
  const base = { files: 3, regions: 9, tokens: 1200, complete: true };
  assert.equal(statusBarText({ ...base, phase: 'ready' }).text, '$(telescope) Longview 3');
  assert.match(
    statusBarText({ ...base, phase: 'indexing', progress: { filesDone: 1, filesTotal: 4, tokensPerSecond: 1, etaSeconds: 1 } }).text,
    /1\/4/,
  );
  assert.match(statusBarText({ ...base, phase: 'cancelled' }).tooltip, /Re-index Workspace resumes/);
  assert.equal(statusBarText({ ...base, phase: 'error', message: 'model missing' }).tooltip, 'model missing');
});

test('Restricted Mode: the index line, the waiting notice and the status bar say that nothing is read yet', () => {
  const waiting = { phase: 'restricted' as const, files: 0, regions: 0, tokens: 0, complete: false, message: 'why it waits' };
  assert.match(indexLineText(waiting), /^Restricted Mode: not indexed/);
  assert.deepEqual(restrictedNotice(waiting), { why: 'why it waits' });
  assert.equal(restrictedNotice({ ...waiting, phase: 'ready', complete: true, message: undefined }), null);
  assert.equal(statusBarText(waiting).text, '$(shield) Longview');
  assert.match(statusBarText(waiting).tooltip, /Restricted Mode, nothing read yet/);
  assert.equal(
    indexLineText({ ...waiting, phase: 'ready', files: 4, lastRun: { scanned: 1, unchanged: 3 } }),
    '4 files indexed (1 read now, 3 kept from before).',
  );
});
