// Builds real file trees in a temporary folder for the discovery tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DiscoveryResult } from '../../extension/engine/discovery/types';

/** Creates `files` (relative path → content) under a new temporary folder and returns its path. */
export function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'longview-discovery-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export function listed(result: DiscoveryResult): string[] {
  return result.files.map((f) => f.relativePath);
}

/** relative path → reason, for every skipped entry. */
export function skips(result: DiscoveryResult): Record<string, string> {
  return Object.fromEntries(result.skipped.map((s) => [s.relativePath, s.reason]));
}
