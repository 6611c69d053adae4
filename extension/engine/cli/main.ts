// `longview`: the engine from the command line. Results on stdout (text, or --json), progress and
// notices on stderr, and on failure one line "longview: <reason>" with a non-zero exit:
// 2 for bad usage, 1 for anything else.
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseCli, UsageError, USAGE, type CliArgs } from "./args";
import { formatAsk, formatFileSummary, formatIndex, formatRecall, formatStatus, formatWorkspaceSummary } from "./format";
import { progressPrinter } from "./progress";
import { createEngineDeps, defaultModelDir } from "../workspace/engineDeps";
import { WorkspaceEngine } from "../workspace/workspaceEngine";

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`longview: ${err.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return err.message ? 2 : 0;
    }
    throw err;
  }
  try {
    await run(args);
    return 0;
  } catch (err) {
    process.stderr.write(`longview: ${oneLine(err)}\n`);
    return 1;
  }
}

async function run(args: CliArgs): Promise<void> {
  const roots = args.command === "index" ? args.positionals : [args.positionals[0]];
  for (const root of roots) {
    const s = await stat(root).catch(() => undefined);
    if (!s) throw new Error(`folder not found: ${root}`);
    if (!s.isDirectory()) throw new Error(`not a folder: ${root}`);
  }
  const deps = await createEngineDeps({
    modelDir: args.model ?? process.env.LONGVIEW_MODEL_DIR ?? defaultModelDir(),
    runtime: { prefer: args.runtime === "node" ? "onnxruntime-node" : args.runtime === "web" ? "onnxruntime-web" : "auto", threads: args.threads },
  });
  const persistEveryMs = process.env.LONGVIEW_PERSIST_EVERY_MS ? Number(process.env.LONGVIEW_PERSIST_EVERY_MS) : undefined;
  const engine = await WorkspaceEngine.open(deps, { roots, cacheDir: resolve(args.cache ?? defaultCacheDir()), persistEveryMs });
  try {
    for (const notice of engine.notices) if (!args.quiet) process.stderr.write(`longview: ${notice}\n`);
    const onProgress = progressPrinter(args.quiet);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    // Every command first brings the index up to date: unchanged files cost one stat each.
    const report = await engine.sync({ onProgress, signal: controller.signal });
    process.off("SIGINT", onSignal);
    const print = (json: unknown, text: string) => process.stdout.write(args.json ? `${JSON.stringify(json, null, 1)}\n` : `${text}\n`);
    switch (args.command) {
      case "index":
        print({ report, status: engine.status() }, formatIndex(report, engine.status()));
        break;
      case "ask": {
        const result = await engine.ask(args.positionals.slice(1).join(" "), { activeFile: args.active, top: args.top, rereadBudgetMs: args.rereadBudgetMs, fuse: args.fuse });
        print(result, formatAsk(result));
        break;
      }
      case "summarize": {
        const file = args.positionals[1] ?? args.file;
        if (file) {
          const summary = await engine.summarize(file);
          print(summary, formatFileSummary(summary));
        } else {
          const summary = engine.summarizeWorkspace();
          print(summary, formatWorkspaceSummary(summary));
        }
        break;
      }
      case "recall": {
        const result = await engine.recall({ file: args.file });
        if (args.file && result.regions.length === 0) throw new Error(`no indexed regions for ${args.file}`);
        print(result, formatRecall(result));
        break;
      }
      case "status":
        print(engine.status(), formatStatus(engine.status()));
        break;
    }
  } finally {
    await engine.close();
  }
}

function defaultCacheDir(): string {
  return process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, "longview") : join(homedir(), ".cache", "longview");
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0];
}
