// Writing the on-disk index (indexFile.ts has its layout): atomically (a temporary file, fsynced, then
// renamed over the old one) and in slices, so a large index never sits in memory twice and the event
// loop runs while it is written.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { layoutIndex, layoutParts } from './indexFile';
import { tempPathFor } from './tempFiles';
import type { WorkspaceIndex } from './types';

/** Bytes a write gathers before it hands them to the file system (and yields to the event loop). */
const WRITE_SLICE = 1 << 20;

/**
 * Writes the index to `path` so that readers see either the old file or the whole new one (a temporary,
 * fsynced, then renamed over it), from its layout,
 * taken now: the bytes go out in slices of about WRITE_SLICE, hashed as they go, so the whole file is
 * never copied into one buffer and the event loop runs between slices (a scan or a save goes on while
 * a large index is written); `pace` is awaited before each slice (IndexStore: until no file event is
 * under way). Returns the file's size.
 */
export async function saveIndex(path: string, index: WorkspaceIndex, pace?: () => Promise<void>): Promise<number> {
  const layout = layoutIndex(index);
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const handle = await open(temp, 'w');
  try {
    const hash = createHash('sha256');
    const slice = Buffer.allocUnsafe(WRITE_SLICE);
    let used = 0;
    const writeAll = async (bytes: Buffer) => {
      for (let done = 0; done < bytes.length;) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
    };
    const flush = async () => {
      if (used === 0) return;
      await pace?.();
      await writeAll(slice.subarray(0, used));
      used = 0;
    };
    for (const part of layoutParts(layout)) {
      hash.update(part);
      if (part.length >= WRITE_SLICE / 4) {
        await flush();
        await pace?.();
        await writeAll(part); // a large array (a state) goes out as it is
      } else {
        if (used + part.length > WRITE_SLICE) await flush();
        part.copy(slice, used);
        used += part.length;
      }
    }
    await flush();
    await writeAll(hash.digest());
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  return layout.bytes;
}
