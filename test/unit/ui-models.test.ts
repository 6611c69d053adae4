// The sidebar's and heatmap's pure parts: heatmap ranges and hover text, engine paths ↔ absolute
// paths, question history, the Recall table's rows and sort, Markdown export, status bar words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  EXACT,
  bucketOf,
  figures,
  heatmapHover,
  heatmapRanges,
  probeSentence,
  styleOf,
  type HeatmapRegion,
} from '../../extension/present/heatmapModel';
import { WorkspacePaths } from '../../extension/engine/paths/workspacePaths';
import { QuestionHistory } from '../../webview/questionHistory';
import { recallFileRows, sortRows } from '../../webview/recallTable';
import { fileSummaryMarkdown, hitMarkdown, workspaceSummaryMarkdown } from '../../extension/present/markdown';
import { statusBarText } from '../../extension/present/statusText';
import { filesToMeasure, markActive, plainText, toAskView, toRecallView, withMeasuredRecall } from '../../extension/present/engineViews';
import { fileRecallText, HEATMAP_LEGEND, recallPercent, rememberedText, type FileSummary, type RecallView } from '../../extension/protocol';
import { readFileSync } from 'node:fs';
import { pathParts } from '../../webview/pathParts';
import { isMinor, mainSymbols } from '../../extension/engine/query/symbolRank';
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

test('heatmap: the active file and the attention window get the one calm style; other regions the graded scale', () => {
  assert.deepEqual(
    heatmapRanges([region('a', 1, 1, 0.1), region('b', 2, 2, 1), region('c', 3, 3, 0.6)], 4).map((r) => r.bucket),
    [0, EXACT, 2],
  );
  assert.deepEqual(
    heatmapRanges([region('a', 1, 1, 0.1), region('b', 2, 2, 0.6)], 4, true).map((r) => r.bucket),
    [EXACT, EXACT],
    'the active file is read exactly: never tinted as forgotten',
  );
  assert.equal(styleOf(region('x', 1, 1, 0.99), false), 3);
  assert.deepEqual(heatmapRanges([], 5), [], 'nothing known: nothing drawn');
});

test('heatmap hover: the one recall number in plain words first, one sentence by level, figures last', () => {
  const held = heatmapHover(region('sell', 1, 2, 0.912, 20782));
  const [first, second, third] = held.split('\n\n');
  assert.equal(first, '**method sell** · remembered 91%');
  assert.equal(second, 'Mostly remembered.');
  assert.equal(third, "*Figures:* recall 91% · read 20,782 tokens before the memory's end.");
  assert.match(heatmapHover(region('a', 1, 1, 0.4)), /Partly remembered/);
  assert.match(heatmapHover(region('a', 1, 1, 0.01)), /Mostly forgotten: Longview re-reads this code/);
  assert.match(heatmapHover(region('a', 1, 1, 1, 300)), /remembered 100%\n\nJust read: Longview still holds this code word for word\./);
});

test('heatmap hover: the measurement terms stay in the figures, after the plain words', () => {
  const far = { ...region('a', 1, 1, 0.3, 9000), windowOverlap: 0.437, probeGain: 0.4249 };
  const text = heatmapHover(far);
  const [plain, figuresPart] = [text.split('\n\n').slice(0, 2).join('\n\n'), text.split('\n\n')[2]];
  assert.doesNotMatch(plain, /nats|token pairs|probe/, 'no measurement terms in the plain part');
  assert.equal(
    figuresPart,
    "*Figures:* recall 30% · read 9,000 tokens before the memory's end · its first tokens re-read after the memory are predicted 0.42 nats per token of the region better than cold · 44% of its token pairs are among the last ~500 tokens read.",
  );
  assert.equal(figures({ ...far, probeGain: -0.126 }).includes('0.13 nats per token of the region worse than cold'), true);
  assert.equal(probeSentence(0.001), 'its first tokens re-read after the memory are predicted no better than cold');
  assert.doesNotMatch(
    heatmapHover({ ...region('a', 1, 1, 1, 100), probeGain: 0.4, windowOverlap: 1 }),
    /nats|token pairs/,
    'inside the window: exact, no probe',
  );
  assert.doesNotMatch(heatmapHover(region('a', 1, 1, 0.3, 9000)), /nats|token pairs/, 'nothing measured: nothing said');
  assert.doesNotMatch(text, /\b16\b/, "the probe's token count has one home, the model card");
});

test('heatmap hover: the active file says once that it is read exactly, with the same recall number', () => {
  assert.doesNotMatch(heatmapHover(region('a', 1, 1, 0.01)), /active file/);
  const active = heatmapRanges([region('a', 1, 2, 0.09)], 4, true);
  assert.match(active[0].hover, /^\*\*method a\*\* · remembered 9%\n\nThis is the active file: Longview reads it exactly/);
  assert.doesNotMatch(active[0].hover, /recall 1\b|100%|exact, recall/, 'no second number for the same region');
});

test('one recall number: card, hover, chart, table and summary format a region the same way', () => {
  const recall = 0.0874;
  const entry = {
    path: 'src/inventory.ts',
    symbol: 'sell',
    kind: 'method',
    startLine: 29,
    endLine: 40,
    recall,
    distanceTokens: 50,
    windowOverlap: 0,
  };
  // Card: the answer's exact hit gets the measured recall (not the 1 attention gives it).
  const hit0 = {
    path: entry.path,
    startLine: 29,
    endLine: 40,
    symbol: 'sell',
    kind: 'method',
    score: 1,
    bm25: 0,
    fileRank: 1,
    source: 'exact' as const,
    recall: 1,
    snippet: '',
  };
  const result0 = { question: 'q', answer: null, hits: [hit0], rereads: 0, notReread: 0, ms: 1 };
  const view = toAskView(result0, 'hybrid', (p) => p, { complete: true, files: 1 });
  assert.equal(view.hits[0].recall, null, 'an exact hit waits for the measured number');
  assert.equal(view.hits[0].unsaved, undefined, 'read from the file on disk');
  const fromUnsaved = toAskView({ ...result0, hits: [{ ...hit0, unsaved: true }] }, 'hybrid', (p) => p, { complete: true, files: 1 });
  assert.equal(fromUnsaved.hits[0].unsaved, true, "a hit from the editor's unsaved text says so");
  assert.deepEqual(filesToMeasure(view), ['src/inventory.ts']);
  const card = withMeasuredRecall(view, entry.path, [entry]).hits[0].recall as number;
  const hover = heatmapRanges([entry], 50, true)[0].hover;
  const chartView = toRecallView(
    { scope: 'workspace', regions: [entry], meanRecall: recall, summaryBytes: 1, stateTokens: 1, staleTokens: 0 },
    (p) => p,
    entry.path,
  );
  const dot = dotLabel(chartView.regions[0]);
  const row = recallFileRows(chartView)[0];
  const shown = recallPercent(recall);
  assert.equal(shown, '9%');
  assert.equal(rememberedText(card), 'remembered 9%');
  assert.match(hover, /remembered 9%/);
  assert.match(dot, /: remembered 9% \(active file: read exactly\)\./);
  assert.equal(recallPercent(row.meanRecall), shown);
  assert.equal(filesToMeasure(withMeasuredRecall(view, entry.path, [entry])).length, 0);
  // A hit the file's regions do not hold (its uncovered text) has no recall once the file is measured, not "measuring" for ever;
  // another file's hit waits for its own measurement.
  const uncovered = { ...hit0, startLine: 1, endLine: 19, symbol: 'inventory.ts', kind: 'file', source: 'keyword' as const, recall: null };
  const other = { ...hit0, path: 'src/pricing.ts', source: 'memory' as const, recall: null };
  const mixed = toAskView({ ...result0, hits: [hit0, uncovered, other] }, 'hybrid', (p) => p, { complete: true, files: 2 });
  assert.deepEqual(
    withMeasuredRecall(mixed, entry.path, [entry]).hits.map((h) => h.recall),
    [recall, 'none', null],
  );
});

test('answer headline: doc text shown as text, without Markdown marks', () => {
  assert.equal(plainText('## Redirects'), 'Redirects');
  assert.equal(plainText('Calls `ask()` with **care** and _style_'), 'Calls ask() with care and style');
  assert.equal(plainText('See [the docs](docs/x.md).'), 'See the docs.');
  assert.equal(plainText('- item one'), 'item one');
  assert.equal(plainText('snake_case_name stays'), 'snake_case_name stays');
});

test('paths split for middle truncation keep file:line whole, and the end of a long name', () => {
  assert.deepEqual(pathParts('src/engine/query/ask.ts', ':12–30'), { head: 'src/engine/query/', nameStart: '', tail: 'ask.ts:12–30' });
  assert.deepEqual(pathParts('README.md', ':3'), { head: '', nameStart: '', tail: 'README.md:3' });
  // A long name keeps its last word and extension whole; its start may shrink.
  const nameParts = (path: string) => {
    const { nameStart, tail } = pathParts(path);
    return [nameStart, tail];
  };
  assert.deepEqual(pathParts('appengine/MemcacheItemWithTimestamps.php', ':21–76'), {
    head: 'appengine/',
    nameStart: 'MemcacheItemWith',
    tail: 'Timestamps.php:21–76',
  });
  assert.deepEqual(nameParts('node-gyp/Find-VisualStudio.cs'), ['Find-Visual', 'Studio.cs']);
  assert.deepEqual(nameParts('config/shipping-zones.json'), ['shipping-', 'zones.json']);
  assert.deepEqual(nameParts('json/__init__.py'), ['', '__init__.py']);
  assert.deepEqual(nameParts('a/averyveryverylongname.txt'), ['averyveryvery', 'longname.txt'], 'no word: its last characters');
  // A name a letter or two over the limit stays whole: a one-letter start would leave a gap inside the name.
  assert.deepEqual(nameParts('legacy/invoice-13.ts'), ['', 'invoice-13.ts']);
  assert.deepEqual(nameParts('legacy/supplier-3.ts'), ['', 'supplier-3.ts']);
  assert.deepEqual(nameParts('a/abcdefghijklmno.ts'), ['abcdef', 'ghijklmno.ts']);
  assert.deepEqual(nameParts('a/abcdefghijkl.ts'), ['abc', 'defghijkl.ts'], 'three letters are split off');
});

test('the card copies as Markdown with its place, symbol, recall and snippet', () => {
  const md = hitMarkdown({
    path: 'a.ts',
    uri: '',
    startLine: 3,
    endLine: 4,
    symbol: 's',
    kind: 'function',
    score: 1,
    source: 'memory',
    recall: 0.41,
    snippet: 'x()',
  });
  assert.equal(md, '`a.ts:3-4` function `s`, remembered 41%\n\n```\nx()\n```\n');
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
    "b.ts:1 f: remembered 20%. Figures: read 900 tokens before the memory's end; its first tokens re-read after the memory are predicted 0.42 nats per token of the region better than cold; 44% of its token pairs are among the last ~500 tokens read",
  );
  assert.match(dotLabel({ ...far, probeGain: -0.2 }), /; .* 0\.20 nats per token of the region worse than cold;/);
  assert.doesNotMatch(dotLabel(recallView.regions[0]), /nats|token pairs/, 'nothing measured: nothing said');
  assert.doesNotMatch(dotLabel({ ...far, recall: 1 }), /nats|token pairs/, 'inside the window: exact');
});

test('recall section: the count while the engine measures', () => {
  assert.equal(measuringText(null), 'Measuring what Longview remembers…');
  assert.equal(measuringText({ done: 0, total: 0 }), 'Measuring what Longview remembers…');
  assert.equal(measuringText({ done: 1234, total: 9000 }), 'Measuring what Longview remembers: 1,234 of 9,000 regions…');
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
    about: { text: 'A shop.', symbol: 'Shop' },
    insight: {
      about: { text: 'Sells what the inventory holds.', symbol: null },
      main: ['Shop'],
      overview: 'typescript file, 9 lines.',
      descriptions: { '3:sell': { text: 'return this.count--;', from: 'salient' } },
      recallShare: 0.25,
      meanRecall: 0.5,
      recallOf: 'file',
      tokens: 40,
    },
  };
  const md = fileSummaryMarkdown(summary);
  // What the file is for leads: the insight's (the file's own doc) over the outline's (its main symbol's).
  assert.match(md, /^# a\.ts\n\nSells what the inventory holds\.\n\ntypescript file, 9 lines\.\n/);
  assert.match(fileSummaryMarkdown({ ...summary, insight: null }), /^# a\.ts\n\nShop: A shop\.\n/);
  assert.match(md, /Recall: mean 50% over its regions; 25% of the workspace summary's recall\./);
  // Before the workspace's recall is measured on this state the share is unknown: said by leaving it out.
  const unmeasured = fileSummaryMarkdown({ ...summary, insight: { ...summary.insight!, recallShare: null } });
  assert.match(unmeasured, /Recall: mean 50% over its regions\.\n/);
  assert.doesNotMatch(unmeasured, /NaN|null/);
  assert.match(md, /- `Shop` \(class, lines 1–9\): A shop\.\n {2}- `sell` \(method, lines 3–5\): return this\.count--;/);
  assert.match(md, /## Imports\n\n- `\.\/pricing` \(line 1\)/);
  // Unsaved edits: the memory's figures are the saved version's, and said to be; none for a buffer never saved.
  const unsaved = fileSummaryMarkdown({ ...summary, insight: { ...summary.insight!, recallOf: 'saved' } });
  assert.match(unsaved, /Unsaved edits\. Memory of the saved version: remembered 50% on average over its regions/);
  assert.equal(
    fileRecallText(0.5, 'file', 2),
    'Memory: remembered 50% on average over its 2 regions.',
    'a saved file reads as before (the Summary line)',
  );
  assert.match(fileRecallText(0.5, 'saved', 2), /^Memory of the saved version: remembered 50%/);
  const untitled = fileRecallText(0, 'none', 2);
  assert.doesNotMatch(untitled, /remembered|%/, 'no figure for text the memory never read');
  assert.match(untitled, /when it is saved/);
  const ws = workspaceSummaryMarkdown({
    files: 2,
    regions: 3,
    importEdges: 1,
    externalImports: [{ name: 'os', files: 1 }],
    modules: [
      {
        module: 'src',
        role: 'source',
        about: 'The shop itself.',
        files: 2,
        regions: 3,
        centrality: 0.6,
        dependsOn: [{ module: 'lib', imports: 1 }],
        keyFiles: [{ path: 'src/a.ts', uri: '' }],
        exports: ['Shop'],
      },
    ],
  });
  assert.match(
    ws,
    /### src \(60% of centrality\)\n\nThe shop itself\.\n\n2 files, 3 symbols\. Key files: `src\/a\.ts`\.\nDepends on: lib \(1\)\./,
  );
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

test('summary: the main symbols lead (types, then exported functions, then size); minor ones never lead', () => {
  const r = (name: string, kind: string, startLine: number, endLine: number) => ({
    name,
    kind,
    startLine,
    endLine,
    doc: null,
    children: [],
  });
  const summary = {
    regions: [
      r('MAX_ITEMS', 'constant', 1, 1),
      r('_parse', 'function', 3, 30),
      r('helper', 'function', 32, 34),
      r('Inventory', 'class', 36, 80),
      r('describeItem', 'function', 82, 90),
      r('__init__', 'method', 92, 95),
    ],
    exports: [{ name: 'describeItem', line: 82 }],
  };
  assert.deepEqual(
    mainSymbols(summary.regions, summary.exports).map((x) => x.name),
    ['Inventory', 'describeItem', 'helper'],
  );
  // Uses from other files (the workspace's reference graph) lift a function the rest of the code calls
  // 40 times over a class no other file uses; a few uses of the class keep it first.
  assert.deepEqual(
    mainSymbols(summary.regions, summary.exports, { helper: 40 }).map((x) => x.name),
    ['helper', 'Inventory', 'describeItem'],
  );
  assert.deepEqual(
    mainSymbols(summary.regions, summary.exports, { helper: 40, Inventory: 12 }).map((x) => x.name),
    ['Inventory', 'helper', 'describeItem'],
  );
  assert.deepEqual(
    summary.regions.filter(isMinor).map((x) => x.name),
    ['MAX_ITEMS', '_parse'],
    'constants and private helpers fold; dunders are public',
  );
});

test("heatmap legend: the sidebar's swatches are the package's contributed colours, per theme kind", () => {
  const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as {
    contributes: { colors: { id: string; defaults: Record<string, string> }[] };
  };
  const css = readFileSync(path.resolve('webview/sidebar.css'), 'utf8');
  const kinds: Record<string, string> = {
    light: 'vscode-light',
    dark: 'vscode-dark',
    highContrast: 'vscode-high-contrast',
    highContrastLight: 'vscode-high-contrast-light',
  };
  for (const [kind, bodyClass] of Object.entries(kinds)) {
    const block = new RegExp(`body\\.${bodyClass} \\{([^}]*)\\}`).exec(css)?.[1] ?? '';
    for (const entry of HEATMAP_LEGEND) {
      const colour = pkg.contributes.colors.find((c) => c.id === entry.colour);
      assert.ok(colour, `${entry.colour} is contributed`);
      const name = entry.colour === 'longview.heatmap.exactBorder' ? '--lv-exact' : `--lv-${entry.colour.split('.').pop()}`;
      assert.ok(block.includes(`${name}: ${colour.defaults[kind]};`), `${bodyClass} sets ${name} to ${colour.defaults[kind]}`);
      // High-contrast themes draw each step as an edge in its own colour (heatmap.ts): the legend too.
      const border = pkg.contributes.colors.find((c) => c.id === `${entry.colour}Border`);
      if (kind.startsWith('highContrast') && border) {
        const borderName = `${name}Border`;
        assert.ok(
          block.includes(`${borderName}: ${border.defaults[kind]};`),
          `${bodyClass} sets ${borderName} to ${border.defaults[kind]}`,
        );
      }
    }
  }
});
