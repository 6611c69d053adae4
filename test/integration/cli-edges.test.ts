// The `longview` command at its edges (issue 14): long and empty questions, usage errors, an empty
// folder, a cache it may not write, and file names and contents that hold terminal escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, TINY_MODEL } from './helpers';
import { writeWorkspace } from './workspaceFixture';
import { MAX_QUESTION } from '../../extension/engine/query/questionLimit';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to run the CLI: spawn options, and a `wrapper` (e.g. setpriv) to run node under. */
type Runner = SpawnSyncOptions & { wrapper?: string[] };

function longview(args: string[], runner: Runner = {}): Run {
  const command = [process.execPath, '--import', 'tsx', 'extension/engine/cli/cli.ts', ...args, '--model', TINY_MODEL, '--threads', '1'];
  const { wrapper = [], ...options } = runner;
  const [file, ...rest] = [...wrapper, ...command];
  const r = spawnSync(file, rest, { encoding: 'utf8', ...options });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const shown = (r: Run) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\nstderr: ${r.stderr.slice(0, 2000)}`;

/** Size, inode and mtime of every file in `dir`: a rewrite (temp + rename) changes the inode. */
function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const s = statSync(join(dir, name));
      return `${name}:${s.size}:${s.ino}:${s.mtimeMs}`;
    })
    .join('\n');
}

test('a question over the cap is refused at once with one clear line and exit 2 (it used to crash with 139)', async () => {
  const dir = await tempDir('edges-long');
  await writeWorkspace(dir, 2);
  const cache = await tempDir('edges-long-cache');
  const r = longview(['ask', dir, 'x'.repeat(29_000), '--cache', cache]);
  assert.equal(r.code, 2, shown(r));
  assert.match(
    r.stderr,
    new RegExp(`^longview: the question is 29,000 characters; at most ${MAX_QUESTION.toLocaleString('en')} are accepted\\n`),
  );
  assert.deepEqual(readdirSync(cache), [], 'refused before any index is made');
  // Exactly at the cap is a question.
  const atCap = longview([
    'ask',
    dir,
    'widget '.repeat(MAX_QUESTION / 7).padEnd(MAX_QUESTION, 'x'),
    '--cache',
    cache,
    '--json',
    '--top',
    '1',
  ]);
  assert.equal(atCap.code, 0, shown(atCap));
});

test('--question-file and - (stdin) read the question; over the cap from them is exit 2 too', async () => {
  const dir = await tempDir('edges-qfile');
  await writeWorkspace(dir, 3);
  const cache = await tempDir('edges-qfile-cache');
  const qfile = join(await tempDir('edges-q'), 'question.txt');
  await writeFile(qfile, 'widget total from parts\n');
  const fromFile = longview(['ask', dir, '--question-file', qfile, '--cache', cache, '--json', '--top', '2']);
  assert.equal(fromFile.code, 0, shown(fromFile));
  assert.equal(JSON.parse(fromFile.stdout).question, 'widget total from parts');
  assert.equal(JSON.parse(fromFile.stdout).hits.length, 2);
  for (const args of [
    ['ask', dir, '-'],
    ['ask', dir, '--question-file', '-'],
  ]) {
    const fromStdin = longview([...args, '--cache', cache, '--json', '--top', '2'], { input: '  helper label format\n' });
    assert.equal(fromStdin.code, 0, shown(fromStdin));
    assert.equal(JSON.parse(fromStdin.stdout).question, 'helper label format');
  }
  const big = join(await tempDir('edges-q-big'), 'big.txt');
  await writeFile(big, 'why '.repeat(1_000));
  const tooLongFile = longview(['ask', dir, '--question-file', big, '--cache', cache]);
  assert.equal(tooLongFile.code, 2, shown(tooLongFile));
  assert.match(tooLongFile.stderr, /^longview: the question is 3,999 characters; at most 2,000 are accepted \(read from .*big\.txt\)\n/);
  await writeFile(big, 'why '.repeat(7_500));
  const hugeFile = longview(['ask', dir, '--question-file', big, '--cache', cache]);
  assert.equal(hugeFile.code, 2, shown(hugeFile));
  assert.match(
    hugeFile.stderr,
    /^longview: the question is 30,000 bytes; at most 2,000 characters are accepted \(read from .*big\.txt\)\n/,
  );
  const tooLongStdin = longview(['ask', dir, '-', '--cache', cache], { input: 'y'.repeat(50_000) });
  assert.equal(tooLongStdin.code, 2, shown(tooLongStdin));
  assert.match(
    tooLongStdin.stderr,
    /^longview: the question is over 8,004 bytes; at most 2,000 characters are accepted \(read from stdin\)\n/,
  );
  const missing = longview(['ask', dir, '--question-file', '/no/such/question.txt', '--cache', cache]);
  assert.equal(missing.code, 1, shown(missing));
  assert.equal(missing.stderr, 'longview: question file /no/such/question.txt cannot be read: ENOENT\n');
});

test('-h is --help (usage on stdout, exit 0); usage errors and an empty question exit 2 before any scan', async () => {
  for (const flag of ['-h', '--help']) {
    const help = longview([flag]);
    assert.equal(help.code, 0, shown(help));
    assert.match(help.stdout, /^usage:\n/);
    assert.match(help.stdout, /--question-file/);
  }
  const dir = await tempDir('edges-usage');
  await writeWorkspace(dir, 2);
  const cache = await tempDir('edges-usage-cache');
  const cases: [string[], RegExp][] = [
    [['ask', dir, ''], /^longview: the question is empty\n/],
    [['ask', dir, '   '], /^longview: the question is empty\n/],
    [['ask', dir], /^longview: ask needs a folder and a "question"/],
    [['ask', dir, '-'], /^longview: the question is empty \(read from stdin\)\n/],
    [['ask', dir, 'q', '--question-file', 'f'], /^longview: ask takes the question once/],
    [['status', dir, 'extra'], /^longview: status takes one folder; unexpected "extra"\n/],
    [['summarize', dir, 'a.ts', 'b.ts'], /^longview: summarize takes a folder and a file; unexpected "b.ts"\n/],
    [['status', dir, '--top', '3'], /^longview: --top is an option of ask, not of status\n/],
    [['ask', dir, 'q', '--memory-only', '--no-bm25'], /^longview: --memory-only already leaves keyword search out/],
    [['ask', dir, 'q', '--memory-only', '--active', 'a.ts'], /^longview: --memory-only answers from the memory alone/],
    [['index', dir, '--bogus'], /^longview: Unknown option '--bogus'/],
    [[], /^longview: no command given\n/],
  ];
  for (const [args, message] of cases) {
    const r = longview([...args, '--cache', cache], { input: '' });
    assert.equal(r.code, 2, `${args.join(' ')}: ${shown(r)}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /\nusage:\n/, 'the usage follows');
  }
  assert.deepEqual(readdirSync(cache), [], 'no sync ran: nothing was indexed');
});

test('an empty folder writes no index, and summarize says there is nothing to summarize', async () => {
  const dir = await tempDir('edges-empty');
  const cache = await tempDir('edges-empty-cache');
  const index = longview(['index', dir, '--cache', cache, '--json']);
  assert.equal(index.code, 0, shown(index));
  assert.equal(JSON.parse(index.stdout).status.files, 0);
  assert.match(longview(['index', dir, '--cache', cache]).stdout, /index: .*\.lvix \(not written: no files\)\n/);
  assert.deepEqual(
    readdirSync(cache),
    [],
    'no index file for an empty folder (it used to be the zero state: 2.8 MB with the shipped model)',
  );
  const summary = longview(['summarize', dir, '--cache', cache]);
  assert.equal(summary.code, 0, shown(summary));
  assert.match(summary.stdout, /^nothing to summarize: no files of .* are indexed \(the folder has no source or text files\)\n$/);
  // A folder of skipped files only says what was skipped.
  await writeFile(join(dir, 'package-lock.json'), '{}');
  const skipped = longview(['summarize', dir, '--cache', cache]);
  assert.match(skipped.stdout, /^nothing to summarize: no files of .* are indexed \(skipped: 1 generated\)\n$/);
  assert.deepEqual(readdirSync(cache), []);
});

test('an unchanged workspace: status, ask, summarize and recall write nothing, and work with a read-only cache', async () => {
  const dir = await tempDir('edges-ro');
  await writeWorkspace(dir, 4);
  const cache = await tempDir('edges-ro-cache');
  // Readable for the user that cannot write (chmod changes ctimes: done before indexing).
  const asUser = userWithoutWriteAccess();
  assert.equal(longview(['index', dir, '--cache', cache]).code, 0);
  const before = snapshot(cache);
  const readOnly: string[][] = [
    ['status', dir],
    ['ask', dir, 'widget total'],
    ['summarize', dir],
    ['summarize', dir, 'mod1.ts'],
    ['recall', dir],
    ['recall', dir, '--file', 'mod2.ts'],
  ];
  for (const args of readOnly) {
    const r = longview([...args, '--cache', cache]);
    assert.equal(r.code, 0, `${args[0]}: ${shown(r)}`);
    assert.equal(snapshot(cache), before, `${args.join(' ')} rewrote the index`);
  }
  // The same commands with a cache folder this user cannot write (as root: with no capabilities).
  chmodSync(cache, 0o555);
  try {
    for (const args of readOnly) {
      const r = longview([...args, '--cache', cache], asUser);
      assert.equal(r.code, 0, `${args[0]}: ${shown(r)}`);
      assert.equal(r.stderr, '', `${args[0]} said something`);
    }
    // A change needs a write the folder refuses: one line saying so, and the answer still comes.
    await writeFile(join(dir, 'mod9.ts'), '/** A brand new gadget. */\nexport function gadget(): number { return 9; }\n', { mode: 0o644 });
    const r = longview(['ask', dir, 'brand new gadget', '--cache', cache, '--json'], asUser);
    assert.equal(r.code, 0, shown(r));
    assert.ok(JSON.parse(r.stdout).hits.some((h: { path: string }) => h.path === 'mod9.ts'));
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('scan: ')); // progress lines aside
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0],
      /^longview: the index could not be written to .* \(EACCES: read-only\); answering from this run's scan, which the next run repeats$/,
    );
    assert.equal(snapshot(cache), before);
  } finally {
    chmodSync(cache, 0o755);
  }
});

/**
 * How to run the CLI so that a chmod 555 cache cannot be written. Root ignores permission bits through
 * its capabilities (CAP_DAC_OVERRIDE), so as root the CLI runs under util-linux's setpriv with every
 * capability dropped: still root, so it reads the repository wherever it lies (a clone under /root),
 * but bound by the folder's mode like any user.
 */
function userWithoutWriteAccess(): Runner {
  if (process.getuid?.() !== 0) return {};
  const probe = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, `setpriv (util-linux) is needed to test a read-only cache as root: ${probe.error ?? probe.stderr}`);
  return { wrapper: ['setpriv', '--bounding-set', '-all', '--inh-caps', '-all', '--'] };
}

test('text output strips terminal control sequences from file names and contents; --json keeps them, escaped', async () => {
  const dir = await tempDir('edges-esc');
  const name = 'evil\x1b]0;pwned\x07\x1b[2J.ts';
  await mkdir(dir, { recursive: true });
  writeFileSync(
    join(dir, name),
    '/** Paints the \x1b[31mred\x1b[0m banner\x07 with \u009b2J a C1 clear. */\nexport function banner(text: string): string {\n  return "\x1b[1m" + text;\n}\n',
  );
  const cache = await tempDir('edges-esc-cache');
  // eslint-disable-next-line no-control-regex -- what must not reach a terminal
  const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
  const texts = [
    longview(['index', dir, '--cache', cache]),
    longview(['ask', dir, 'paints the red banner', '--cache', cache]),
    longview(['summarize', dir, name, '--cache', cache]),
    longview(['summarize', dir, '--cache', cache]),
    longview(['recall', dir, '--cache', cache]),
    longview(['status', dir, '--cache', cache]),
  ];
  for (const r of texts) {
    assert.equal(r.code, 0, shown(r));
    assert.ok(!controls.test(r.stdout), `control characters in: ${JSON.stringify(r.stdout)}`);
    assert.ok(!controls.test(r.stderr), `control characters in: ${JSON.stringify(r.stderr)}`);
  }
  assert.match(texts[1].stdout, /1\. evil\.ts\n {3}#1 2-4 {2}banner/);
  assert.match(texts[2].stdout, /Paints the red banner with {2}a C1 clear\./);
  const json = longview(['summarize', dir, name, '--cache', cache, '--json']);
  assert.ok(!controls.test(json.stdout), 'raw control characters in the JSON text');
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.path, name);
  assert.equal(parsed.symbols[0].description, 'Paints the \x1b[31mred\x1b[0m banner\x07 with \u009b2J a C1 clear.');
  assert.match(json.stdout, /\\u001b\[31m/);
  assert.match(json.stdout, /\\u009b2J/);
});
