// The temporaries of index writes (indexFile.ts saveIndex; the keyword file's too, workspace/keywordStore.ts):
// `<target>.<pid>.<ms>.tmp`, renamed over the target once fsynced. A process killed between the two
// leaves one behind; removeStaleTemps clears those at the next start.
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A temporary older than this is stale even if its pid is alive (pids are reused; a write takes seconds). */
export const STALE_TEMP_MS = 10 * 60_000;
const TEMP_NAME = /^(.+\.(?:lvix|lvkw))\.(\d+)\.(\d+)\.tmp$/;

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}.${Date.now()}.tmp`;
}

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes index temporaries in `dir` whose writer is gone (its pid no longer runs) or that have not
 * been written for STALE_TEMP_MS. Best effort: a folder that cannot be listed or written is left as it
 * is. Returns the names removed.
 */
export async function removeStaleTemps(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    let stale = !alive(Number(m[2]));
    if (!stale) {
      const s = await stat(path).catch(() => undefined);
      stale = s !== undefined && now - s.mtimeMs > STALE_TEMP_MS;
    }
    if (
      stale &&
      (await unlink(path).then(
        () => true,
        () => false,
      ))
    )
      removed.push(name);
  }
  return removed;
}
