// The keyword file (query/lexicalFile.ts): terms written and read back give a keyword index whose
// scores are those of one built from the files, bit for bit; a damaged, truncated, other-format or
// crafted file is refused with one line (KeywordsUnusable), whatever its lengths say, and never crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { FileRecord, RegionRecord } from '../../extension/engine/index/types';
import { LexicalIndex } from '../../extension/engine/query/lexical';
import { restoreTerms, termsKey, termsToKeep } from '../../extension/engine/query/keptTerms';
import { decodeKeywords, encodeKeywords, KEYWORD_FORMAT, KeywordsUnusable } from '../../extension/engine/query/lexicalFile';
import type { RegionView } from '../../extension/engine/query/regionMath';

const TEXTS: Record<string, string[]> = {
  'src/cookies/parse.ts': [
    "import { decode } from './codec';",
    '',
    '/** Parses a Cookie header into name/value pairs. */',
    'export function parseCookie(header: string): Map<string, string> {',
    '  // split on semicolons, then on the first equals sign',
    '  const out = new Map<string, string>();',
    "  for (const part of header.split(';')) out.set(part.trim(), decode(part));",
    '  return out;',
    '}',
    '',
    '/** Serialises one cookie with its expiry date. */',
    'export function serializeCookie(name: string, value: string, expires?: Date): string {',
    '  return `${name}=${value}` + (expires ? `; Expires=${expires.toUTCString()}` : "");',
    '}',
    'export const MAX_AGE_SECONDS = 400 * 24 * 3600;',
    'export const DEFAULT_PATH = "/";',
    'registerCodec("cookie", parseCookie);',
  ],
  'src/http/headers.py': [
    '"""HTTP header validation."""',
    'import re',
    '',
    'TOKEN = re.compile(r"^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$")',
    '',
    'def validate_header_name(name):',
    '    """Raise ValueError when name is not an RFC 7230 token."""',
    '    # an empty name is invalid too',
    '    if not TOKEN.match(name):',
    '        raise ValueError("invalid header name: %r" % name)',
    '',
    'class HeaderMap(dict):',
    '    def set_header(self, key, value):',
    '        validate_header_name(key)',
    '        self[key.lower()] = value',
  ],
  'docs/README.md': [
    '# Cookies and headers',
    '',
    'Parse cookies with `parseCookie`; headers are validated by `validate_header_name`.',
    'Café au lait: naïve Ünïcödé text.',
  ],
};

function region(name: string, signature: string, doc: string, startLine: number, endLine: number): RegionRecord {
  return { kind: 'function', name, signature, doc, startLine, endLine } as unknown as RegionRecord;
}

/** The records of one "process": new objects each time, as an index read from disk gives. */
function records(): FileRecord[] {
  const regions: Record<string, RegionRecord[]> = {
    'src/cookies/parse.ts': [
      region(
        'parseCookie',
        'export function parseCookie(header: string): Map<string, string>',
        'Parses a Cookie header into name/value pairs.',
        2,
        8,
      ),
      region(
        'serializeCookie',
        'export function serializeCookie(name: string, value: string, expires?: Date): string',
        'Serialises one cookie with its expiry date.',
        10,
        13,
      ),
    ],
    'src/http/headers.py': [
      region('validate_header_name', 'def validate_header_name(name):', 'Raise ValueError when name is not an RFC 7230 token.', 5, 9),
      region('HeaderMap', 'class HeaderMap(dict):', '', 11, 14),
      region('set_header', 'def set_header(self, key, value):', '', 12, 14),
    ],
    'docs/README.md': [],
  };
  return Object.keys(TEXTS).map(
    (path) =>
      ({
        path,
        relPath: path,
        root: 0,
        live: true,
        contentHash: createHash('sha1').update(path).digest('hex'),
        regions: regions[path],
      }) as unknown as FileRecord,
  );
}

const viewsOf = (files: FileRecord[]) => files.flatMap((file) => file.regions.map((r) => ({ file, region: r }) as unknown as RegionView));
const QUESTIONS = [
  'how is a cookie header parsed',
  'where are header names validated',
  'serialise a cookie with an expiry date',
  'invalid header name error',
  'codec registration',
  'cafe au lait',
  'maximum age in seconds of a cookie',
  'set a header on the map',
];

/** Every score of every question, in order. */
function answers(index: LexicalIndex): string {
  return JSON.stringify({
    scores: QUESTIONS.map((q) => [[...index.scores(q)], [...index.fileScores(q)]]),
    uncovered: index.uncovered.map((u) => [u.file.path, u.region.startLine, u.region.endLine, u.region.name]),
  });
}

async function built(): Promise<{ files: FileRecord[]; index: LexicalIndex }> {
  const files = records();
  const index = await LexicalIndex.build(viewsOf(files), async (f) => ({ lines: TEXTS[f.path], hash: f.contentHash }), undefined, files);
  return { files, index };
}

async function written(): Promise<Buffer> {
  const { files } = await built();
  return encodeKeywords(files.map((f) => ({ path: f.path, key: termsKey(f), terms: termsToKeep(f)! })));
}

test('terms read back give the same scores, file scores and uncovered texts as terms made from the files', async () => {
  const fresh = await built();
  assert.ok(fresh.index.uncovered.length > 0, 'the fixture has uncovered text');
  assert.ok(
    fresh.files.every((f) => termsToKeep(f)),
    'terms of the bytes each record scanned are kept',
  );
  const bytes = await written();
  const stored = await decodeKeywords(bytes, 'keywords');
  // Records of another "process": the stored terms are given to them, and no file is read.
  const files = records();
  for (const f of files) {
    const s = stored.get(f.path)!;
    assert.equal(s.key, termsKey(f));
    restoreTerms(f, s.terms);
  }
  const restored = await LexicalIndex.build(viewsOf(files), async () => assert.fail('a file was read'), undefined, files);
  assert.equal(answers(restored), answers(fresh.index));
  assert.ok(answers(fresh.index).includes('parse.ts'));
});

test("terms made from bytes other than the record's, or read without a hash, are not kept for the file", async () => {
  const files = records();
  await LexicalIndex.build(
    viewsOf(files),
    async (f) => (f.path.endsWith('.py') ? { lines: TEXTS[f.path], hash: 'other' } : TEXTS[f.path]),
    undefined,
    files,
  );
  assert.ok(files.every((f) => termsToKeep(f) === undefined));
});

test('a key changes with the path, the content and each region (lines, name, signature, doc)', () => {
  const [f] = records();
  const key = termsKey(f);
  const changed = [
    { ...f, path: 'src/cookies/other.ts' },
    { ...f, contentHash: 'x' },
    { ...f, regions: [{ ...f.regions[0], endLine: 9 }, f.regions[1]] },
    { ...f, regions: [{ ...f.regions[0], name: 'parse' }, f.regions[1]] },
    { ...f, regions: [{ ...f.regions[0], signature: 'parse()' }, f.regions[1]] },
    { ...f, regions: [{ ...f.regions[0], doc: '' }, f.regions[1]] },
    { ...f, regions: [f.regions[0]] },
  ];
  for (const c of changed) assert.notEqual(termsKey(c as FileRecord), key);
});

/** The file's payload made by hand, checksummed: what a crafted file can say. */
function craft(header: object, terms: string[], ints: number[], options: { size?: number; format?: number } = {}): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const pad = (n: number) => n + ((8 - (n % 8)) % 8);
  const vocab = Buffer.from(terms.join('\n'));
  const vocabAt = pad(4 + h.length);
  const intsAt = pad(vocabAt + vocab.length);
  const payload = Buffer.alloc(intsAt + 4 * ints.length);
  payload.writeUInt32LE(h.length, 0);
  h.copy(payload, 4);
  vocab.copy(payload, vocabAt);
  ints.forEach((x, i) => payload.writeInt32LE(x, intsAt + 4 * i));
  const head = Buffer.alloc(12);
  head.write('LVKW', 0, 'latin1');
  head.writeUInt32LE(options.format ?? KEYWORD_FORMAT, 4);
  head.writeUInt32LE(options.size ?? payload.length, 8);
  const packed = deflateRawSync(payload);
  return Buffer.concat([head, packed, createHash('sha256').update(head).update(packed).digest()]);
}

/** The canary of the real file's header (a crafted file must pass it to reach the checks behind it). */
async function canary(): Promise<string> {
  const bytes = await written();
  const payload = (await import('node:zlib')).inflateRawSync(bytes.subarray(12, bytes.length - 32));
  return JSON.parse(payload.subarray(4, 4 + payload.readUInt32LE(0)).toString()).canary;
}

async function refused(bytes: Buffer, why: RegExp): Promise<void> {
  await assert.rejects(decodeKeywords(bytes, 'keyword index K'), (err: unknown) => {
    assert.ok(err instanceof KeywordsUnusable, `not KeywordsUnusable: ${err}`);
    assert.match(err.message, /^keyword index K /);
    assert.ok(!err.message.includes('\n'), 'one line');
    assert.match(err.message, why);
    return true;
  });
}

test('a damaged keyword file is refused: truncated anywhere, any byte flipped, another magic or format', async () => {
  const bytes = await written();
  for (const cut of [0, 5, 11, 12, 40, Math.floor(bytes.length / 2), bytes.length - 33, bytes.length - 1])
    await refused(bytes.subarray(0, cut), /not a Longview keyword file|checksum mismatch/);
  for (let at = 0; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 97))) {
    const flipped = Buffer.from(bytes);
    flipped[at] ^= 0x10;
    await refused(flipped, /not a Longview keyword file|has format|checksum mismatch/);
  }
  const other = Buffer.from(bytes);
  other.writeUInt32LE(KEYWORD_FORMAT + 1, 4);
  await refused(other, new RegExp(`has format ${KEYWORD_FORMAT + 1}, this engine reads ${KEYWORD_FORMAT}`));
});

test('a crafted keyword file is refused, whatever its lengths, offsets, ids and counts say', async () => {
  const c = await canary();
  const ok = { canary: c, terms: 2, vocabBytes: 'cooki\nheader'.length };
  // One file, no region, no uncovered text: length 3 = cooki×2 + header×1 (ids 0 and 1 as differences).
  const good = [0, 0, 0, 0, 3, 4, 0, 2, 1, 1];
  const file = (ints: number[]) => ({ ...ok, ints: ints.length, files: [['a.ts', 'k', 0, ints.length]] });
  assert.equal(
    (await decodeKeywords(craft(file(good), ['cooki', 'header'], good), 'K')).get('a.ts')!.terms.length,
    3,
    'the crafted baseline is valid',
  );
  const cases: [object, string[], number[], RegExp, { size?: number }?][] = [
    [file(good), ['cooki', 'header'], good, /larger than they can be/, { size: 2 ** 32 - 1 }],
    [file(good), ['cooki', 'header'], good, /sizes that do not add up|cannot be inflated/, { size: 64 }],
    [{ ...file(good), canary: 'other rules' }, ['cooki', 'header'], good, /other term rules/],
    [{ ...file(good), terms: 3 }, ['cooki', 'header'], good, /malformed term list/],
    [{ ...file(good), vocabBytes: 1e9 }, ['cooki', 'header'], good, /sizes that do not add up/],
    [{ ...file(good), ints: -1 }, ['cooki', 'header'], good, /unexpected header/],
    [file(good), ['Cooki', 'header'], good, /malformed term list/],
    [file(good), ['cooki', 'he/../ader'], good, /malformed term list/],
    [{ ...ok, ints: good.length, files: [['a.ts', 'k', 4, good.length]] }, ['cooki', 'header'], good, /past its end/],
    [{ ...ok, ints: good.length, files: [['a.ts', 'k', -1, 3]] }, ['cooki', 'header'], good, /unexpected file entry/],
    [{ ...ok, ints: good.length, files: [['a.ts', 'k', 0, 2 ** 40]] }, ['cooki', 'header'], good, /past its end/],
    [{ ...ok, ints: good.length, files: 'a.ts' }, ['cooki', 'header'], good, /unexpected header/],
    ...(
      [
        [...good.slice(0, 7), 5, ...good.slice(8)], // an id past the term list
        [...good.slice(0, 7), 2, 1, 0, 1], // a repeated id (difference 0)
        [...good.slice(0, 7), 0, ...good.slice(8)], // a count of 0
        [0, 0, 0, 0, 4, 4, 0, 2, 1, 1], // counts not summing to the length
        [0, 0, 0, 0, 3, 2 ** 31 - 1, 0, 2, 1, 1], // a hostile pairs length
        [0, 0, 0, 0, 3, -4, 0, 2, 1, 1], // a negative one
        [5, 0, 0, 0, 3, 4, 0, 2, 1, 1], // regions claimed, none there
        [0, 1, 0, 0, 3, 4, 0, 2, 1, 1], // uncovered text claimed, none there
        [0, 2, 0, 0, 3, 4, 0, 2, 1, 1], // neither 0 nor 1
        [0, 1, 5, 2, 3, 4, 0, 2, 1, 1], // uncovered lines backwards
        [1, 0, 0, 0, 3, 4, 0, 2, 1, 1, -5, 0, 0], // a negative document size
        [1, 0, 0, 0, 3, 4, 0, 2, 1, 1, 2 ** 31 - 1, 0, 0], // a document past the end
        [1, 0, 0, 0, 3, 4, 0, 2, 1, 1, 11, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0], // field counts claiming more pairs than it holds
        [1, 0, 0, 0, 3, 4, 0, 2, 1, 1, 11, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // a length with no pairs
        [0, 0, 0, 0, 3, 4, 0, 2, 1, 1, 7], // ints left over
        [0, 0, 0], // too short
      ] as number[][]
    ).map((ints): [object, string[], number[], RegExp] => [file(ints), ['cooki', 'header'], ints, /malformed terms/]),
  ];
  for (const [header, terms, ints, why, options] of cases) await refused(craft(header, terms, ints, options), why);
  // A document whose field counts claim more pairs than it holds.
  const doc = [11, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0];
  await refused(
    craft(file([1, 0, 0, 0, 3, 4, 0, 2, 1, 1, ...doc]), ['cooki', 'header'], [1, 0, 0, 0, 3, 4, 0, 2, 1, 1, ...doc]),
    /malformed terms/,
  );
  // Not JSON at all.
  const junk = craft({}, [], []);
  await refused(junk, /unexpected header/);
});

test('a restored file keeps to its outline: terms of another number of regions are refused', async () => {
  const stored = await decodeKeywords(await written(), 'K');
  const [f] = records();
  assert.throws(() => restoreTerms({ ...f, regions: [f.regions[0]] } as FileRecord, stored.get(f.path)!.terms));
});
