// The one way Longview reads a workspace file's bytes (discovery's content checks, the scan, snippets,
// summaries, re-reads, ignore files): only regular files (FIFOs, sockets and devices are never opened),
// never more than the size cap plus one byte whatever `stat` says (files under /proc report size 0 and
// can be endless; the few that take only 8-byte reads, like pagemap, are read to the cap plus 8), and,
// when the roots are given, only files whose real path lies inside them.
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { isInsideRoots } from '../paths/containment';
import { DEFAULT_MAX_FILE_SIZE_KB } from './defaults';
import type { SkipReason } from './types';

export interface ReadLimits {
  /** At most this many bytes are accepted; a file is read no further than one byte past it. */
  maxBytes: number;
  /** Real paths of the workspace folders: a path whose real path lies outside them is not opened. */
  realRoots?: readonly string[];
}

/** The default size cap, no root check: for callers not given the workspace's limits. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: DEFAULT_MAX_FILE_SIZE_KB * 1024 };

export type ReadVerdict = { bytes: Buffer; stats: fs.Stats } | { reason: SkipReason; detail: string };

// The callback forms, promisified: in Node 20 they are faster than fs/promises for many small files
// (bench/README.md "Figures behind the code").
const stat = promisify(fs.stat);
// The native call (one system call; fs/promises realpath, which the engine uses for its roots, is the same).
const realpath = promisify(fs.realpath.native);
const open = promisify(fs.open);
const fstat = promisify(fs.fstat);
const read = promisify(fs.read);
const close = promisify(fs.close);

/** O_NONBLOCK: a FIFO swapped in after the check still cannot block the open or the read. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);
const CHUNK_BYTES = 64 * 1024;
const PROBE_BYTES = 4096;

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The skip reason for a failed file system call on something that was just listed. */
export function failureReason(error: unknown): { reason: SkipReason; detail: string } {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { reason: 'vanished', detail: 'removed after it was listed' };
  if (code === 'ELOOP') return { reason: 'symlink-loop', detail: 'too many levels of symbolic links' };
  return { reason: 'unreadable', detail: code ?? String(error) };
}

/** What a non-regular file is, for the report. */
export function kindOf(info: fs.Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export function overCap(maxBytes: number, size?: number): { reason: 'too-large'; detail: string } {
  return size === undefined
    ? { reason: 'too-large', detail: `more than ${maxBytes / 1024} KB (read stopped there)` }
    : { reason: 'too-large', detail: `${Math.ceil(size / 1024)} KB > ${maxBytes / 1024} KB` };
}

/**
 * Reads `absPath` within `limits`. `known` is its `stat` (links followed) when the caller has it: the
 * file opened must still be that file (same device and inode), else it was replaced meanwhile.
 * FIFOs, sockets and devices are refused before anything opens them.
 */
export async function readWorkspaceFile(absPath: string, limits: ReadLimits, known?: fs.Stats): Promise<ReadVerdict> {
  if (limits.realRoots) {
    let real: string;
    try {
      real = await realpath(absPath);
    } catch (error) {
      return failureReason(error);
    }
    if (!isInsideRoots(limits.realRoots, real)) return { reason: 'outside-workspace', detail: `resolves to ${real}` };
  }
  let info = known;
  try {
    info ??= await stat(absPath);
  } catch (error) {
    return failureReason(error);
  }
  if (!info.isFile()) return { reason: 'not-a-file', detail: kindOf(info) };
  if (info.size > limits.maxBytes) return overCap(limits.maxBytes, info.size);
  let fd: number;
  try {
    fd = await open(absPath, OPEN_FLAGS);
  } catch (error) {
    return failureReason(error);
  }
  try {
    const opened = await fstat(fd);
    if (!opened.isFile()) return { reason: 'not-a-file', detail: kindOf(opened) };
    if (opened.dev !== info.dev || opened.ino !== info.ino) return { reason: 'vanished', detail: 'replaced after it was examined' };
    const limit = limits.maxBytes + 1;
    const chunks: Buffer[] = [];
    let total = 0;
    // Size 0 is what files under /proc report whatever they hold: those are read in chunks of a multiple
    // of 8 bytes (pagemap refuses other lengths), and the byte past the cap is asked for as 8.
    const procLike = opened.size === 0;
    // An ordinary file: the first read asks for the whole file as stat reports it, plus one byte to see its end.
    let want = procLike ? CHUNK_BYTES : opened.size + 1;
    while (total < limit) {
      let length = Math.min(want, limit - total);
      if (procLike && length >= 8) length -= length % 8;
      let buffer = Buffer.allocUnsafe(length);
      let bytesRead: number;
      try {
        ({ bytesRead } = await read(fd, buffer, 0, length, null));
      } catch (error) {
        if (errorCode(error) !== 'EINVAL' || length >= 8) throw error;
        buffer = Buffer.allocUnsafe(8);
        ({ bytesRead } = await read(fd, buffer, 0, 8, null));
      }
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
      // A short read is the end of an ordinary file: one small read confirms it. A full one goes on in chunks.
      want = bytesRead < buffer.length && !procLike ? PROBE_BYTES : CHUNK_BYTES;
    }
    if (total > limits.maxBytes) return overCap(limits.maxBytes, opened.size > limits.maxBytes ? opened.size : undefined);
    return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), stats: opened };
  } catch (error) {
    const code = errorCode(error);
    // EAGAIN: something that would block (a FIFO or device swapped in); it is not read.
    return code === 'EAGAIN' ? { reason: 'not-a-file', detail: 'would block' } : failureReason(error);
  } finally {
    await close(fd).catch(() => undefined);
  }
}
