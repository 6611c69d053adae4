// The engine names files by workspace-relative paths ("src/a.ts"; "<root name>/src/a.ts" when the
// workspace has several roots). These map between those names and absolute paths. vscode-free, so
// they are unit-tested under plain Node.
import * as path from 'node:path';

export class WorkspacePaths {
  constructor(readonly roots: readonly string[]) {}

  /** The engine's name for an absolute path, or undefined when it lies outside every root. */
  toEngine(absPath: string): string | undefined {
    const full = path.resolve(absPath);
    for (const root of this.roots) {
      const rel = path.relative(root, full);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const posix = rel.split(path.sep).join('/');
      return this.roots.length > 1 ? `${path.basename(root)}/${posix}` : posix;
    }
    return undefined;
  }

  /** The absolute path of an engine name, or undefined when no root carries that name. */
  toAbsolute(enginePath: string): string | undefined {
    if (this.roots.length === 1) return path.join(this.roots[0], ...enginePath.split('/'));
    const slash = enginePath.indexOf('/');
    if (slash < 0) return undefined;
    const label = enginePath.slice(0, slash);
    const root = this.roots.find((r) => path.basename(r) === label);
    return root ? path.join(root, ...enginePath.slice(slash + 1).split('/')) : undefined;
  }

  /** Root-relative path with "/" (for exclude globs, which are written relative to a folder). */
  relativeToRoot(absPath: string): string | undefined {
    const full = path.resolve(absPath);
    for (const root of this.roots) {
      const rel = path.relative(root, full);
      if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return undefined;
  }
}
