// Workspace summary pieces: import resolution (the ranking by use: workspace-overview.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImportResolver } from '../../extension/engine/query/importGraph';
import { parseCard } from '../../extension/engine/model/card';

test('imports resolve relative, extensionless, index, .js→.ts, Python dotted and relative, C includes', () => {
  const r = new ImportResolver([
    'src/a.ts',
    'src/util/index.ts',
    'src/b.ts',
    'pkg/mod.py',
    'pkg/sub/__init__.py',
    'include/x.h',
    'lib/y.h',
    'other/y.h',
  ]);
  assert.equal(r.resolve('src/a.ts', './b'), 'src/b.ts');
  assert.equal(r.resolve('src/a.ts', './b.js'), 'src/b.ts');
  assert.equal(r.resolve('src/a.ts', './util'), 'src/util/index.ts');
  assert.equal(r.resolve('main.py', 'pkg.mod'), 'pkg/mod.py');
  assert.equal(r.resolve('pkg/mod.py', '.sub'), 'pkg/sub/__init__.py');
  assert.equal(r.resolve('src/c.c', 'x.h'), 'include/x.h');
  assert.equal(r.resolve('src/c.c', 'y.h'), undefined, 'ambiguous suffix resolves to nothing');
  assert.equal(r.resolve('src/a.ts', 'react'), undefined);
});

test('a card with wrong recall_weights is refused with the field named', () => {
  const card = {
    version: 1,
    model_hash: 'x',
    chunk: 8,
    NS: 1,
    H: 2,
    DK: 1,
    DV: 1,
    NA: 0,
    HA: 1,
    W: 1,
    HD: 1,
    R: 1,
    recall_weights: [[0.5, 0.5]],
    reread_below: 0.1,
    max_query: 8,
    flops_per_token: 1,
    tokenizer_sha256: null,
  };
  assert.equal(parseCard(card).H, 2);
  assert.throws(() => parseCard({ ...card, recall_weights: [[0.5, 0.6]] }), /recall_weights/);
  assert.throws(() => parseCard({ ...card, chunk: 0 }), /chunk/);
  assert.equal(parseCard(card).recallFloor, 0, 'a card without recall_floor (before the fourth session) means 0');
  assert.equal(parseCard({ ...card, recall_floor: 0.156 }).recallFloor, 0.156);
  assert.throws(() => parseCard({ ...card, recall_floor: 1.5 }), /recall_floor/);
  assert.equal(
    parseCard({ ...card, recall_floor: -0.057275 }).recallFloor,
    -0.057275,
    'since the sixth session a fitted intercept may be negative',
  );
  assert.throws(() => parseCard({ ...card, recall_floor: -1 }), /recall_floor/);
});
