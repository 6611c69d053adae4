// `longview`: the engine from the command line. Results on stdout (text, or --json), progress and
// notices on stderr, and on failure one line "longview: <reason>" with a non-zero exit:
// 2 for bad usage (before any model or index is touched), 1 for anything else.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { reasonOf } from '../reasonOf';
import { parseCli, UsageError, USAGE, type CliArgs, type QuestionSource } from './args';
import {
  formatAsk,
  formatFileSummary,
  formatIndex,
  formatRecall,
  formatStatus,
  formatWorkspaceSummary,
  jsonText,
  terminalText,
} from './format';
import { progressPrinter } from './progress';
import { MAX_QUESTION, questionProblem } from '../query/questionLimit';
import { createEngineDeps, defaultModelDir } from '../workspace/engineDeps';
import { WorkspaceEngine } from '../workspace/workspaceEngine';

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  let question: string | undefined;
  try {
    const parsed = parseCli(argv);
    if ('help' in parsed) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    args = parsed;
    if (args.question) question = await readQuestion(args.question);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`longview: ${terminalText(err.message)}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`longview: ${terminalText(oneLine(err))}\n`);
    return 1;
  }
  try {
    await run(args, question);
    return 0;
  } catch (err) {
    process.stderr.write(`longview: ${terminalText(oneLine(err))}\n`);
    return 1;
  }
}

/**
 * The question, checked before any model is loaded: empty or over MAX_QUESTION characters is a usage
 * error (exit 2). A file or stdin is read only up to a bound a little over the cap, so a wrong path
 * (a log, a binary) is refused without reading all of it.
 */
async function readQuestion(source: QuestionSource): Promise<string> {
  if ('text' in source) return source.text;
  const where = 'file' in source ? source.file : 'stdin';
  const limit = MAX_QUESTION * 4 + 4; // UTF-8: at most 4 bytes a character
  const tooLong = (bytes: string) =>
    new UsageError(
      `the question is ${bytes} bytes; at most ${MAX_QUESTION.toLocaleString('en')} characters are accepted (read from ${where})`,
    );
  let stream: Readable;
  if ('file' in source) {
    const s = await stat(source.file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`question file ${source.file} cannot be read: ${err.code ?? err.message}`);
    });
    if (!s.isFile()) throw new Error(`question file ${source.file} is not a file`);
    if (s.size > limit) throw tooLong(s.size.toLocaleString('en'));
    stream = createReadStream(source.file);
  } else {
    stream = process.stdin;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes > limit) break;
  }
  if ('file' in source) stream.destroy();
  if (bytes > limit) throw tooLong(`over ${limit.toLocaleString('en')}`);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  const problem = questionProblem(text);
  if (problem) throw new UsageError(`${problem} (read from ${where})`);
  return text;
}

async function run(args: CliArgs, question: string | undefined): Promise<void> {
  const roots = args.command === 'index' ? args.positionals : [args.positionals[0]];
  for (const root of roots) {
    const s = await stat(root).catch(() => undefined);
    if (!s) throw new Error(`folder not found: ${root}`);
    if (!s.isDirectory()) throw new Error(`not a folder: ${root}`);
  }
  const deps = await createEngineDeps({
    modelDir: args.model ?? process.env.LONGVIEW_MODEL_DIR ?? defaultModelDir(),
    runtime: {
      prefer: args.runtime === 'node' ? 'onnxruntime-node' : args.runtime === 'web' ? 'onnxruntime-web' : 'auto',
      threads: args.threads,
    },
  });
  const persistEveryMs = process.env.LONGVIEW_PERSIST_EVERY_MS ? Number(process.env.LONGVIEW_PERSIST_EVERY_MS) : undefined;
  const engine = await WorkspaceEngine.open(deps, { roots, cacheDir: resolve(args.cache ?? defaultCacheDir()), persistEveryMs });
  // Notices (a rebuilt index, an index that could not be written…) as they come, each once.
  let noticed = 0;
  const flushNotices = () => {
    for (; noticed < engine.notices.length; noticed++)
      if (!args.quiet) process.stderr.write(`longview: ${terminalText(engine.notices[noticed])}\n`);
  };
  try {
    flushNotices();
    const onProgress = progressPrinter(args.quiet);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    // Every command first brings the index up to date: unchanged files cost one stat each, and an
    // index that nothing changed is not written.
    const report = await engine.sync({ onProgress, signal: controller.signal });
    process.off('SIGINT', onSignal);
    flushNotices();
    // Text goes through terminalText: file names and contents may hold terminal control sequences.
    const print = (json: unknown, text: string) => process.stdout.write(args.json ? `${jsonText(json)}\n` : `${terminalText(text)}\n`);
    switch (args.command) {
      case 'index':
        print({ report, status: engine.status() }, formatIndex(report, engine.status()));
        break;
      case 'ask': {
        const result = await engine.ask(question!, {
          activeFile: args.active,
          top: args.top,
          fuse: args.fuse,
          memoryOnly: args.memoryOnly,
        });
        print(result, formatAsk(result));
        break;
      }
      case 'summarize': {
        const file = args.positionals[1] ?? args.file;
        if (file) {
          const summary = await engine.summarize(file);
          print(summary, formatFileSummary(summary));
        } else {
          const summary = await engine.summarizeWorkspace();
          print(summary, formatWorkspaceSummary(summary, { root: roots[0], skipped: engine.status().skipped }));
        }
        break;
      }
      case 'recall': {
        const result = await engine.recall({ file: args.file });
        if (args.file && result.regions.length === 0) throw new Error(`no indexed regions for ${args.file}`);
        print(result, formatRecall(result));
        break;
      }
      case 'status':
        print(engine.status(), formatStatus(engine.status()));
        break;
    }
  } finally {
    await engine.close();
    flushNotices();
  }
}

function defaultCacheDir(): string {
  return process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'longview') : join(homedir(), '.cache', 'longview');
}

function oneLine(err: unknown): string {
  return reasonOf(err).split('\n')[0];
}
