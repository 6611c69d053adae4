// "No network at run time", checked at the system-call level: the `longview` command indexes a
// generated workspace of a few thousand files with onnxruntime-node under `strace -f -e
// trace=network`, for longer than onnxruntime-node 1.30's telemetry waits before its first name
// lookup (~9 s after the first session; extension/engine/runtime/offline.ts). Any connect/send
// off the machine, any DNS or nscd lookup fails the test, and so do the telemetry's files: its
// mat-debug-<pid>.log in the temp folder and ~/.cache/Microsoft. The child gets a bare environment
// (fresh HOME and TMPDIR, no CI variables: onnxruntime-node turns its telemetry off by itself when it
// sees GITHUB_ACTIONS and the like, which would hide a regression on CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tempDir, TINY_MODEL } from './helpers';
import { internetCallCount, offMachineNetworkUses } from './straceNetwork';

/** The child lives at least this long (the telemetry's first lookup came ~9 s after the first session, then every ~3 s). */
const MIN_LIFETIME_MS = 14_000;
const FILES = 3000;

function straceProblem(): string | null {
  const probe = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (probe.error) {
    return `strace is needed to watch the CLI's system calls and could not be run (${probe.error.message}); install it: apt-get install -y --no-install-recommends strace (scripts/install-tools.sh does)`;
  }
  return null;
}

async function writeManyFiles(dir: string, n: number): Promise<void> {
  for (let d = 0; d * 100 < n; d++) {
    const sub = join(dir, `pkg${d}`);
    await mkdir(sub, { recursive: true });
    for (let i = d * 100; i < Math.min(n, (d + 1) * 100); i++) {
      await writeFile(
        join(sub, `mod${i}.ts`),
        `/** Module ${i}. */\nexport function value${i}(x: number): number {\n  return x * ${i} + ${d};\n}\n`,
      );
    }
  }
}

test('offMachineNetworkUses: what counts as going online', () => {
  const uses = offMachineNetworkUses(
    [
      `11606 connect(23, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)`,
      `11607 connect(23, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>`,
      `8495  sendto(23, "\\t\\26\\1\\0", 50, MSG_NOSIGNAL, NULL, 0) = 50`,
      `1 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("20.42.65.92")}, 16) = -1 EINPROGRESS`,
      `1 connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0`,
      `1 connect(5, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = 0`,
      `1 sendto(5, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("192.0.2.1")}, 16) = 1`,
      // allowed: loopback, and local sockets that are not resolvers
      `1 connect(5, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`,
      `1 connect(5, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0`,
      `1 connect(5, {sa_family=AF_UNIX, sun_path="/run/user/0/bus"}, 110) = 0`,
      `1 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0`,
    ].join('\n'),
  );
  assert.deepEqual(
    uses.map((u) => u.why),
    [
      'name lookup through "/var/run/nscd/socket"',
      'DNS to 10.255.255.53:53',
      'IPv4 20.42.65.92:443',
      'DNS to 127.0.0.53:53',
      'IPv6 [2603:1030::1]:443',
      'IPv4 192.0.2.1:9',
    ],
  );
});

test('the CLI indexes a few thousand files for over 10 s with no network use and no telemetry files', { timeout: 180_000 }, async (t) => {
  const problem = straceProblem();
  if (problem) assert.fail(problem); // never a silent pass

  const ws = await tempDir('nonet-ws');
  await writeManyFiles(ws, FILES);
  const home = await tempDir('nonet-home');
  const tmp = await tempDir('nonet-tmp');
  const cache = await tempDir('nonet-cache');
  const traceDir = await tempDir('nonet-trace');
  const trace = join(traceDir, 'strace.txt');
  t.after(() => Promise.all([ws, home, tmp, cache, traceDir].map((d) => rm(d, { recursive: true, force: true }))));
  // Keeps the CLI alive MIN_LIFETIME_MS after its start, whatever this machine's speed: it exits
  // through process.exit once its output is flushed (cli.ts), so that waits until then.
  const hold = join(tmp, 'hold-exit.cjs');
  writeFileSync(
    hold,
    `const started = Date.now(); const exit = process.exit.bind(process);\n` +
      `process.exit = (code) => { setTimeout(() => exit(code), Math.max(0, ${MIN_LIFETIME_MS} - (Date.now() - started))); };\n`,
  );

  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TMPDIR: tmp, LANG: 'C.UTF-8' };
  const args = [
    '-f',
    '-qq',
    '-e',
    'trace=network',
    '-e',
    'signal=none',
    '-o',
    trace,
    process.execPath,
    '--require',
    hold,
    '--import',
    'tsx',
  ];
  args.push(
    resolve('extension/engine/cli/cli.ts'),
    'index',
    ws,
    '--cache',
    cache,
    '--model',
    TINY_MODEL,
    '--runtime',
    'node',
    '--threads',
    '1',
    '--json',
  );
  const started = Date.now();
  const child = spawn('strace', args, { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = (Date.now() - started) / 1000;

  assert.ok(
    !/PTRACE_TRACEME|ptrace\(.*Operation not permitted/.test(stderr),
    `strace cannot trace here (ptrace not permitted): ${stderr.slice(0, 400)}`,
  );
  assert.equal(code, 0, `the CLI under strace failed (exit ${code}): ${stderr.slice(-800)}`);
  const result = JSON.parse(stdout) as { report: { scanned: number }; status: { runtime: string } };
  assert.equal(result.status.runtime, 'onnxruntime-node', 'the native runtime must be the one watched');
  assert.equal(result.report.scanned, FILES);
  assert.ok(seconds * 1000 >= MIN_LIFETIME_MS, `the run must outlast the telemetry's first lookup: ${seconds.toFixed(1)} s`);
  assert.ok(existsSync(trace), 'strace wrote no trace');

  const text = readFileSync(trace, 'utf8');
  const uses = offMachineNetworkUses(text);
  console.log(
    `no-network: ${FILES} files, ${seconds.toFixed(1)} s under strace, ${internetCallCount(text)} system calls on internet sockets, ${uses.length} off the machine or lookups`,
  );
  assert.deepEqual(
    uses.map((u) => `${u.why}: ${u.line.trim().slice(0, 200)}`),
    [],
    'the CLI used the network (onnxruntime-node telemetry? see extension/engine/runtime/offline.ts)',
  );
  const debugLogs = readdirSync(tmp).filter((name) => /^mat-debug-\d+\.log$/.test(name));
  assert.deepEqual(debugLogs, [], "onnxruntime-node's telemetry SDK left its trace log in TMPDIR");
  assert.ok(
    !existsSync(join(home, '.cache', 'Microsoft')),
    "onnxruntime-node's telemetry created ~/.cache/Microsoft (events database, device id)",
  );
});
