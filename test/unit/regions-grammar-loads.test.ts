// Grammars asked for at the same moment (the index pipeline outlines several files at once): every
// outline succeeds. web-tree-sitter cannot load two grammars at once (tree-sitter/tree-sitter#2338:
// `bad export type for 'tree_sitter_php_external_scanner_create'`), so regionParser.ts chains the loads.
// Its own file: node --test runs each file in a fresh process, so no grammar is loaded before this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRegionParser } from '../../extension/engine/regions/regionParser';
import { GRAMMAR_BY_LANGUAGE } from '../../extension/engine/regions/languages/table';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'regions');

/** A fixture of each language with a grammar (tsx has none of its own: its grammar is asked for by a second parser below). */
const FILES: Record<string, string> = {
  typescript: 'sample.ts',
  javascript: 'sample.js',
  python: 'sample.py',
  go: 'sample.go',
  rust: 'sample.rs',
  java: 'Sample.java',
  c: 'sample.c',
  cpp: 'sample.cpp',
  csharp: 'Sample.cs',
  ruby: 'sample.rb',
  php: 'sample.php',
};

test('outlines of every grammar language started at once, by two parsers, all succeed with their regions', async () => {
  assert.deepEqual(
    Object.keys(GRAMMAR_BY_LANGUAGE)
      .filter((l) => l !== 'tsx')
      .sort(),
    Object.keys(FILES).sort(),
    'a fixture for each grammar',
  );
  const [first, second] = await Promise.all([createRegionParser(), createRegionParser()]);
  const jobs = Object.entries(FILES).flatMap(([language, name]) => {
    const text = readFileSync(path.join(FIXTURES, `${name}.fixture`), 'utf8');
    return [first, second].map(async (parser) => ({ language, outline: await parser.outline(name, text) }));
  });
  jobs.push(
    (async () => ({ language: 'tsx', outline: await second.outline('view.tsx', 'export function View() {\n  return <div />;\n}\n') }))(),
  );
  const settled = await Promise.allSettled([...jobs, first.preload(Object.keys(GRAMMAR_BY_LANGUAGE))]);
  const failures = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
  assert.deepEqual(failures, [], 'no grammar failed to load');
  for (const s of settled.slice(0, jobs.length)) {
    const { language, outline } = (s as PromiseFulfilledResult<Awaited<(typeof jobs)[number]>>).value;
    assert.equal(outline.language, language);
    assert.ok(outline.regions.length > 0, `${language}: regions`);
  }
});
