// Command-line parsing for `longview`: one command, positional arguments, and the shared options.
// Every mistake here is a UsageError: exit 2 with the usage, before any model or index is touched.
import { parseArgs } from 'node:util';
import { questionProblem } from '../query/questionLimit';

export class UsageError extends Error {}

export const USAGE = `usage:
  longview index <dir>...                      scan the folder(s) into the index
  longview ask <dir> "<question>" [--active <file>] [--top K] [--no-bm25 | --memory-only]
  longview ask <dir> --question-file <path>    the question from a file; "-" (or ask <dir> -) reads stdin
  longview summarize <dir> [<file>]            one file, or the whole workspace
  longview recall <dir> [--file <file>]        per-region recall and the summary's size
  longview status <dir>
options: --json  --cache <dir>  --model <dir>  --runtime auto|node|web  --threads N  --quiet  -h|--help`;

/** Where `ask` takes its question from: the command line (checked here), a file or stdin (checked once read). */
export type QuestionSource = { text: string } | { file: string } | { stdin: true };

export interface CliArgs {
  command: 'index' | 'ask' | 'summarize' | 'recall' | 'status';
  positionals: string[];
  /** Only for `ask`. */
  question?: QuestionSource;
  json: boolean;
  cache?: string;
  model?: string;
  runtime: 'auto' | 'node' | 'web';
  threads?: number;
  top: number;
  active?: string;
  file?: string;
  quiet: boolean;
  fuse: boolean;
  /** What the recurrent memory alone answers (the sidebar's "memory alone" side): no keywords, re-reads or active file. */
  memoryOnly: boolean;
}

const COMMANDS = new Set(['index', 'ask', 'summarize', 'recall', 'status']);
/** Options that mean something to one command only; given to another, they are a usage error. */
const COMMAND_OPTIONS: Record<string, string[]> = {
  active: ['ask'],
  top: ['ask'],
  'no-bm25': ['ask'],
  'memory-only': ['ask'],
  'question-file': ['ask'],
  file: ['summarize', 'recall'],
};

/** Parses argv; `{ help: true }` for -h / --help (the usage goes to stdout, exit 0). */
export function parseCli(argv: string[]): CliArgs | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        cache: { type: 'string' },
        model: { type: 'string' },
        runtime: { type: 'string', default: 'auto' },
        threads: { type: 'string' },
        top: { type: 'string' },
        active: { type: 'string' },
        file: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'no-bm25': { type: 'boolean' },
        'memory-only': { type: 'boolean' },
        'question-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...rest] = positionals;
  if (!command || !COMMANDS.has(command)) throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  for (const [option, commands] of Object.entries(COMMAND_OPTIONS)) {
    if ((values as Record<string, unknown>)[option] !== undefined && !commands.includes(command)) {
      throw new UsageError(`--${option} is an option of ${commands.join(' and ')}, not of ${command}`);
    }
  }
  if (rest.length === 0) throw new UsageError(`${command} needs a folder`);
  const most = { index: Infinity, ask: Infinity, summarize: 2, recall: 1, status: 1 }[command as CliArgs['command']];
  if (rest.length > most)
    throw new UsageError(`${command} takes ${most === 1 ? 'one folder' : 'a folder and a file'}; unexpected "${rest[most]}"`);
  if (command === 'summarize' && rest[1] !== undefined && values.file !== undefined)
    throw new UsageError('summarize takes the file once: as <file> or --file');
  let question: QuestionSource | undefined;
  if (command === 'ask') question = questionSource(rest.slice(1), values['question-file'] as string | undefined);
  if (values['memory-only'] && values['no-bm25'])
    throw new UsageError('--memory-only already leaves keyword search out; give one of the two');
  if (values['memory-only'] && values.active !== undefined)
    throw new UsageError('--memory-only answers from the memory alone: it takes no --active file');
  const runtime = values.runtime as string;
  if (!['auto', 'node', 'web'].includes(runtime)) throw new UsageError(`--runtime must be auto, node or web, not "${runtime}"`);
  const top = Number(values.top ?? '10');
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, not "${values.top}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads must be a positive integer`);
  return {
    fuse: !values['no-bm25'],
    memoryOnly: Boolean(values['memory-only']),
    command: command as CliArgs['command'],
    positionals: command === 'ask' ? rest.slice(0, 1) : rest,
    question,
    json: values.json as boolean,
    cache: values.cache as string | undefined,
    model: values.model as string | undefined,
    runtime: runtime as CliArgs['runtime'],
    threads,
    top,
    active: values.active as string | undefined,
    file: values.file as string | undefined,
    quiet: values.quiet as boolean,
  };
}

/** The question's words after the folder (joined by spaces), "-" for stdin, or --question-file (of which "-" is stdin too). */
function questionSource(words: string[], file: string | undefined): QuestionSource {
  if (file !== undefined) {
    if (words.length) throw new UsageError('ask takes the question once: as an argument or with --question-file');
    return file === '-' ? { stdin: true } : { file };
  }
  if (words.length === 0) throw new UsageError('ask needs a folder and a "question" (or --question-file <path>, or - for stdin)');
  if (words.length === 1 && words[0] === '-') return { stdin: true };
  const text = words.join(' ');
  const problem = questionProblem(text);
  if (problem) throw new UsageError(problem);
  return { text };
}
