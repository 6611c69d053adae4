// The keyword index after an edit keeps the segments of the records it shares with the last one and
// inverts only the new ones (query/lexicalSegment.ts): its scores, file scores and uncovered texts are
// exactly those of an index made anew from the same records, and it is made again as one segment
// when too many segments or gone documents pile up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileRecord, RegionRecord } from '../../extension/engine/index/types';
import { LexicalIndex } from '../../extension/engine/query/lexical';
import type { RegionView } from '../../extension/engine/query/regionMath';

const TEXTS: Record<string, string[]> = {
  'src/options.ts': [
    '// Command line options.',
    '/** Parses the options given on the command line. */',
    'export function parseOptions(argv: string[]) {',
    '  return argv.filter((a) => a.startsWith("--"));',
    '}',
    'const defaults = { verbose: false };',
    'export const names = Object.keys(defaults);',
    'console.log(names);',
  ],
  'src/headers.ts': [
    '/** Validates a header name against the token grammar. */',
    'export function validateHeaderName(name: string) {',
    '  if (!/^[a-z-]+$/i.test(name)) throw new TypeError("invalid header name");',
    '}',
    '/** Formats the options of a request as headers. */',
    'export function formatOptions(options: Record<string, string>) {',
    '  return Object.entries(options).map(([k, v]) => `${k}: ${v}`);',
    '}',
  ],
  'lib/util.js': ['module.exports = {', '  isHexDigit (c) {', '    return /[0-9a-f]/i.test(c)', '  },', '}'],
};
// Files no edit touches, so an edited file's documents are a small share of the index (as in a workspace).
const OTHERS = Array.from({ length: 12 }, (_, i) => `src/other${i}.ts`);
for (const [i, path] of OTHERS.entries()) {
  TEXTS[path] = [
    `/** Reads the ${i}th setting. */`,
    `export function readSetting${i}(key: string) {`,
    `  return process.env[key] ?? 'none${i}';`,
    '}',
  ];
}

let version = 0;
/** A live record of `path` with one region per `[name, startLine, endLine]`; each call is a new version (a new record). */
function record(path: string, regions: [string, number, number][]): FileRecord {
  version++;
  return {
    path,
    relPath: path,
    root: 0,
    live: true,
    contentHash: `${path}#${version}`,
    regions: regions.map(
      ([name, startLine, endLine]) =>
        ({ name, kind: 'function', startLine, endLine, doc: '', signature: TEXTS[path][startLine].slice(0, 60) }) as RegionRecord,
    ),
  } as unknown as FileRecord;
}

const others = OTHERS.map((path) => record(path, [[path.slice(4, -3), 0, 3]]));
const viewsOf = (files: FileRecord[]) => files.flatMap((file) => file.regions.map((region) => ({ file, region }) as unknown as RegionView));
const read = async (f: FileRecord) => TEXTS[f.path];
const QUESTIONS = ['parse the command line options', 'validate a header name', 'hex digit', 'format request headers options', 'defaults'];

function answers(index: LexicalIndex) {
  return {
    scores: QUESTIONS.map((q) => [...index.scores(q)]),
    files: QUESTIONS.map((q) => [...index.fileScores(q)]),
    uncovered: index.uncovered.map((u) => [u.file.path, u.region.startLine, u.region.endLine]),
  };
}

test('an edit inverts only its file: the same answers as an index made anew, number for number', async () => {
  const options = record('src/options.ts', [['parseOptions', 1, 4]]);
  const headers = record('src/headers.ts', [
    ['validateHeaderName', 0, 3],
    ['formatOptions', 4, 7],
  ]);
  const util = record('lib/util.js', []);
  const before = [...others, options, headers, util];
  const first = await LexicalIndex.build(viewsOf(before), read, undefined, before);
  assert.equal(first.segmentCount, 1);

  // headers.ts saved: a new record (its old one retired and gone from the live files).
  (headers as { live: boolean }).live = false;
  const edited = record('src/headers.ts', [
    ['validateHeaderName', 0, 3],
    ['formatOptions', 4, 7],
  ]);
  const after = [...others, options, util, edited];
  const reads: string[] = [];
  const incremental = await LexicalIndex.build(
    viewsOf(after),
    async (f) => {
      reads.push(f.path);
      return read(f);
    },
    undefined,
    after,
    first,
  );
  assert.deepEqual(reads, ['src/headers.ts'], 'only the edited file is read');
  assert.equal(incremental.segmentCount, 2, 'the first segment kept, one added for the edited file');
  const anew = await LexicalIndex.build(viewsOf(after), read, undefined, after);
  assert.equal(anew.segmentCount, 1);
  assert.deepEqual(answers(incremental), answers(anew));
  assert.ok(answers(anew).scores[1].length > 0, 'the questions match something');
  assert.equal([...incremental.scores('validate a header name').keys()][0], 'src/headers.ts:0:validateHeaderName');

  // A file deleted: its documents leave the answers (and the averages), as in an index made anew.
  const fewer = [...others, options, edited];
  const deleted = await LexicalIndex.build(viewsOf(fewer), read, undefined, fewer, incremental);
  assert.deepEqual(answers(deleted), answers(await LexicalIndex.build(viewsOf(fewer), read, undefined, fewer)));
  assert.equal(deleted.uncovered.length, 1, "util.js's uncovered text is gone, options.ts's stays");
});

test('saved again and again: old segments drop out, and too many make it one segment again', async () => {
  const util = record('lib/util.js', []);
  let options = record('src/options.ts', [['parseOptions', 1, 4]]);
  const headers = record('src/headers.ts', [
    ['validateHeaderName', 0, 3],
    ['formatOptions', 4, 7],
  ]);
  let index = await LexicalIndex.build(viewsOf([...others, util, options, headers]), read, undefined, [...others, util, options, headers]);
  const counts: number[] = [];
  for (let i = 0; i < 6; i++) {
    (options as { live: boolean }).live = false;
    options = record('src/options.ts', [['parseOptions', 1, 4]]);
    const files = [...others, util, headers, options];
    index = await LexicalIndex.build(viewsOf(files), read, undefined, files, index);
    counts.push(index.segmentCount);
    assert.deepEqual(answers(index), answers(await LexicalIndex.build(viewsOf(files), read, undefined, files)));
  }
  // The first save keeps the first segment (util and headers live in it) and adds one; each later save
  // drops the previous save's segment (nothing of it is live), so the count stays at 2.
  assert.deepEqual(counts, [2, 2, 2, 2, 2, 2]);

  // Every file edited in turn: more segments than kept, or too many gone documents, and it is one again.
  let files = [...others, util, headers, options];
  const seen: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const old = files[i];
    (old as { live: boolean }).live = false;
    files = files.map((f) =>
      f === old
        ? record(
            f.path,
            f.regions.map((r) => [r.name, r.startLine, r.endLine]),
          )
        : f,
    );
    index = await LexicalIndex.build(viewsOf(files), read, undefined, files, index);
    assert.deepEqual(answers(index), answers(await LexicalIndex.build(viewsOf(files), read, undefined, files)));
    seen.push(index.segmentCount);
  }
  assert.ok(Math.max(...seen) <= 8, `segments: ${seen}`);
  assert.ok(seen.includes(1), `made again as one along the way: ${seen}`);
});
