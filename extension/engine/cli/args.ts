// Command-line parsing for `longview`: one command, positional arguments, and the shared options.
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export const USAGE = `usage:
  longview index <dir>...                      scan the folder(s) into the index
  longview ask <dir> "<question>" [--active <file>] [--top K] [--reread-budget MS] [--no-bm25]
  longview summarize <dir> [<file>]            one file, or the whole workspace
  longview recall <dir> [--file <file>]        per-region recall and the summary's size
  longview status <dir>
options: --json  --cache <dir>  --model <dir>  --runtime auto|node|web  --threads N  --quiet`;

export interface CliArgs {
  command: "index" | "ask" | "summarize" | "recall" | "status";
  positionals: string[];
  json: boolean;
  cache?: string;
  model?: string;
  runtime: "auto" | "node" | "web";
  threads?: number;
  top: number;
  active?: string;
  file?: string;
  quiet: boolean;
  rereadBudgetMs: number;
  fuse: boolean;
}

const COMMANDS = new Set(["index", "ask", "summarize", "recall", "status"]);

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        cache: { type: "string" },
        model: { type: "string" },
        runtime: { type: "string", default: "auto" },
        threads: { type: "string" },
        top: { type: "string", default: "10" },
        active: { type: "string" },
        file: { type: "string" },
        quiet: { type: "boolean", default: false },
        "reread-budget": { type: "string", default: "1000" },
        "no-bm25": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError("");
  const [command, ...rest] = positionals;
  if (!command || !COMMANDS.has(command)) throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  if (rest.length === 0) throw new UsageError(`${command} needs a folder`);
  if (command === "ask" && rest.length < 2) throw new UsageError('ask needs a folder and a "question"');
  const runtime = values.runtime as string;
  if (!["auto", "node", "web"].includes(runtime)) throw new UsageError(`--runtime must be auto, node or web, not "${runtime}"`);
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, not "${values.top}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads must be a positive integer`);
  const rereadBudgetMs = Number(values["reread-budget"]);
  if (!(rereadBudgetMs >= 0)) throw new UsageError(`--reread-budget must be milliseconds >= 0`);
  return {
    rereadBudgetMs,
    fuse: !values["no-bm25"],
    command: command as CliArgs["command"],
    positionals: rest,
    json: values.json as boolean,
    cache: values.cache as string | undefined,
    model: values.model as string | undefined,
    runtime: runtime as CliArgs["runtime"],
    threads,
    top,
    active: values.active as string | undefined,
    file: values.file as string | undefined,
    quiet: values.quiet as boolean,
  };
}
