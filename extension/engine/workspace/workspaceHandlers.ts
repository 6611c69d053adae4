// Handlers for the workspace methods in the engine worker: one WorkspaceEngine per worker, opened by
// "workspace.open". Open, index and compact run one at a time in arrival order; file events never
// queue behind them: they go straight to the engine, whose indexer lets them go first between the
// files of a scan or compaction (Indexer: one lock held for at most one file). Queries read the index
// as it stands and run at once, also while a scan is under way; one that arrives while the workspace
// opens waits for the open.
import type { HandlerContext, Handlers } from '../rpc/server';
import type { EngineWorkerData } from '../rpc/methods';
import { createEngineDeps } from './engineDeps';
import { WorkspaceEngine } from './workspaceEngine';
import type { ProbeProgress, WorkspaceMethods } from './workspaceMethods';

/** A request's cancellation and progress as the recall probe takes them (progress at most every 100 ms, and the last). */
function probeOptions(ctx: HandlerContext<ProbeProgress>) {
  let last = 0;
  const onProgress = (done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    ctx.progress({ done, total });
  };
  return { signal: ctx.signal, onProgress };
}

/** Quiet time after the last file event before the summary is compacted. */
const IDLE_COMPACT_MS = 30_000;

export function workspaceHandlers(data: EngineWorkerData): Handlers<WorkspaceMethods> {
  let engine: WorkspaceEngine | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  // After edits settle, make the summary exact again (rescan from the nearest checkpoint) so no stale
  // trace is left. While edits keep coming the engine bounds the stale share itself (maintain()); a
  // compaction works on a copy and lets file events go first, so none of it keeps a save waiting.
  let compactTimer: NodeJS.Timeout | undefined;
  const compactWhenIdle = () => {
    if (compactTimer) clearTimeout(compactTimer);
    compactTimer = setTimeout(() => {
      compactTimer = undefined;
      if (!engine || engine.status().staleTokens === 0) return;
      void serial(() => engine?.compact()).catch(() => undefined);
    }, IDLE_COMPACT_MS);
    compactTimer.unref();
  };
  /** Not serialised: runs at once, also during an index or a compaction (see the top of this file). */
  const fileEvent = async <T>(work: () => Promise<T>): Promise<T> => {
    const result = await work();
    compactWhenIdle();
    return result;
  };
  const opened = (): WorkspaceEngine => {
    if (!engine) throw new Error('the workspace is not open: call "workspace.open" first');
    return engine;
  };
  // A question or file event that arrives while no engine is open, as the workspace opens (the first
  // second after activation), waits for the open and is then answered rather than refused; while one
  // is open it answers (a new open replaces it when it runs).
  let opening: Promise<unknown> = Promise.resolve();
  const ready = async (): Promise<WorkspaceEngine> => {
    if (!engine) await opening.catch(() => undefined);
    return opened();
  };
  return {
    'workspace.open': (p) => {
      const open = serial(async () => {
        await engine?.close();
        engine = undefined;
        const deps = await createEngineDeps({
          modelDir: p.modelDir,
          wasmDir: data.wasmDir,
          runtime: { prefer: p.runtime ?? 'auto', threads: p.threads },
          discovery: { exclude: p.exclude, maxFileSizeKB: p.maxFileSizeKB },
        });
        engine = await WorkspaceEngine.open(deps, { roots: p.roots, cacheDir: p.cacheDir });
        // What the first question needs, made now rather than when it is asked (a failure is that question's
        // to report); then the scan's code warmed on the active file, before the first save needs it.
        const warming = engine;
        void warming
          .warmQueries()
          .then(() => warming.warmScan(p.activeFile))
          .catch(() => undefined);
        return engine.status();
      });
      opening = open;
      return open;
    },
    'workspace.index': (_p, ctx) => serial(() => opened().sync({ signal: ctx.signal, onProgress: ctx.progress })),
    'workspace.fileChanged': (p, ctx) =>
      fileEvent(async () => {
        const t0 = performance.now();
        const skipped = await (await ready()).fileChanged(p.path, ctx.signal);
        return { skipped, ms: performance.now() - t0 };
      }),
    'workspace.fileDeleted': (p) => fileEvent(async () => ({ removed: await (await ready()).fileDeleted(p.path) })),
    'workspace.fileRenamed': (p) => fileEvent(async () => ({ skipped: await (await ready()).fileRenamed(p.from, p.to) })),
    'workspace.compact': (_p, ctx) =>
      serial(async () => {
        await opened().compact(ctx.signal);
        return opened().status();
      }),
    'workspace.ask': async (p) =>
      (await ready()).ask(
        p.question,
        {
          activeFile: p.activeFile,
          top: p.top,
          fuse: p.fuse,
          memoryOnly: p.memoryOnly,
        },
        p.activeText,
      ),
    'workspace.warmActive': async (p) => {
      const t0 = performance.now();
      const scan = await (await ready()).scanFresh(p.path);
      return { ms: performance.now() - t0, regions: scan?.regions.length ?? 0 };
    },
    // Both measure recall probes first (model calls, cached per state): cancellable, with progress.
    'workspace.summarize': async (p, ctx) => (await ready()).summarize(p.path, probeOptions(ctx), p.text),
    'workspace.summarizeWorkspace': async (p) => (await ready()).summarizeWorkspace(p.maxModules),
    'workspace.recall': async (p, ctx) => (await ready()).recall({ file: p.file }, probeOptions(ctx)),
    'workspace.status': async () => (await ready()).status(),
  };
}
