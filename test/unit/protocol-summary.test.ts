// The engine outline → the Summary section's protocol state (1-based lines, first doc line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Region } from '../../extension/engine/regions/types';
import { baseName, firstDocLine, toSummaryState } from '../../extension/present/toSummary';

const doc = { uri: 'file:///w/src/shop.ts', fileName: 'shop.ts', languageId: 'typescript' };

function region(name: string, kind: Region['kind'], startLine: number, endLine: number, extra: Partial<Region> = {}): Region {
  return { name, kind, startLine, endLine, startOffset: 0, endOffset: 1, signature: name, children: [], ...extra };
}

test('regions, imports and exports move to 1-based lines; nested methods stay nested', () => {
  const cls = region('Shop', 'class', 4, 20, {
    doc: '\n  Sells things.\n  More detail here.',
    children: [region('sell', 'method', 9, 12, { doc: 'Takes stock.' })],
  });
  const state = toSummaryState(doc, {
    structured: true,
    outline: {
      language: 'typescript',
      supported: true,
      regions: [region('helper', 'function', 0, 2), cls],
      imports: [{ source: './pricing', line: 0 }],
      exports: [{ name: 'Shop', line: 4 }],
    },
  });
  assert.equal(state.status, 'ready');
  if (state.status !== 'ready') return;
  const { summary } = state;
  // No doc of its own: what it is for comes from its main symbol (a class before a helper).
  assert.deepEqual(summary.about, { text: 'Sells things.', symbol: 'Shop' });
  assert.equal(summary.uri, doc.uri);
  assert.deepEqual(
    summary.regions.map((r) => [r.name, r.startLine, r.endLine, r.doc]),
    [
      ['helper', 1, 3, null],
      ['Shop', 5, 21, 'Sells things.'],
    ],
  );
  assert.deepEqual(
    summary.regions[1].children.map((r) => [r.name, r.kind, r.startLine, r.doc]),
    [['sell', 'method', 10, 'Takes stock.']],
  );
  assert.deepEqual(summary.imports, [{ source: './pricing', line: 1 }]);
  assert.deepEqual(summary.exports, [{ name: 'Shop', line: 5 }]);
});

test('an outline without structure (text blocks, binary) is "unsupported", never shown as regions', () => {
  const state = toSummaryState(
    { uri: 'file:///w/notes.cfg', fileName: 'notes.cfg', languageId: 'ini' },
    {
      structured: false,
      outline: { language: 'text', supported: true, regions: [region('block', 'block', 0, 3)], imports: [], exports: [] },
    },
  );
  assert.deepEqual(state, { status: 'unsupported', fileName: 'notes.cfg', languageId: 'ini' });
});

test('helpers: first doc line and base names', () => {
  assert.equal(firstDocLine(undefined), null);
  assert.equal(firstDocLine('   \n\n'), null);
  assert.equal(firstDocLine('\r\n  First.\r\nSecond.'), 'First.');
  // A first sentence that wraps is kept whole; a blank line ends the paragraph; Markdown marks go.
  assert.equal(
    firstDocLine('Keeps the stock of one shop, keyed by SKU and\nrefusing sales larger than the stock. Second.'),
    'Keeps the stock of one shop, keyed by SKU and refusing sales larger than the stock.',
  );
  assert.equal(firstDocLine('No full stop here\n\nOther paragraph.'), 'No full stop here');
  assert.equal(firstDocLine('Takes `count` units, e.g. 3.5 kg. Then more.'), 'Takes count units, e.g. 3.5 kg.');
  assert.ok(firstDocLine('x'.repeat(400))!.endsWith('…'));
  assert.equal(baseName('/w/src/shop.ts'), 'shop.ts');
  assert.equal(baseName('C:\\w\\shop.py'), 'shop.py');
  assert.equal(baseName('/w/dir/'), 'dir');
});

test("a file's own doc leads its Summary, as text and whole", () => {
  const state = toSummaryState(doc, {
    structured: true,
    outline: {
      language: 'typescript',
      supported: true,
      doc: 'Prices with `discounts` applied, e.g. 3.5 kg at most.\nAnother sentence. More.\n\nDetails.',
      regions: [region('Shop', 'class', 4, 20, { doc: 'Sells things.' })],
      imports: [],
      exports: [],
    },
  });
  assert.equal(state.status === 'ready' && state.summary.about?.text, 'Prices with discounts applied, e.g. 3.5 kg at most.');
  assert.equal(state.status === 'ready' && state.summary.about?.symbol, null);
});
