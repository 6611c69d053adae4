// How files of a workspace are named. The engine, the index, the CLI and the extension name a file by
// its workspace path: the path below its root with "/" ("src/a.ts"), prefixed with the root's label
// when the workspace has several roots ("shop/src/a.ts"). This is the one mapping between those names,
// root-relative paths and absolute paths; what may lead where (links, `..`) is containment.ts's.
// vscode-free: the extension's workspacePaths.ts adds URIs on top of it.
import * as path from 'node:path';
import { isWithin, unsafeRelativePath } from './containment';

/** The label a root's files carry in workspace paths when the workspace has several roots: its folder name. */
export function rootLabel(root: string): string {
  return path.basename(path.resolve(root));
}

/** A file below a root: the root's number, its root-relative path and its workspace path. */
export interface Located {
  root: number;
  relPath: string;
  path: string;
}

export class WorkspacePaths {
  /** The roots, resolved (absolute, normalised), in the workspace's order. */
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.map((r) => path.resolve(r));
  }

  /**
   * The number of the root `absPath` lies below, or -1. A root itself is no file of the workspace
   * (it has no workspace path), so it is outside here too.
   */
  rootOf(absPath: string): number {
    const full = path.resolve(absPath);
    return this.roots.findIndex((root) => full !== root && isWithin(root, full));
  }

  /** Where `absPath` lies in the workspace, or undefined when it lies below no root. */
  locate(absPath: string): Located | undefined {
    const root = this.rootOf(absPath);
    if (root < 0) return undefined;
    const relPath = path.relative(this.roots[root], path.resolve(absPath)).split(path.sep).join('/');
    return { root, relPath, path: this.workspacePath(root, relPath) };
  }

  /** The workspace path of a root-relative path ("/"-separated) below root number `root`. */
  workspacePath(root: number, relPath: string): string {
    return this.roots.length > 1 ? `${rootLabel(this.roots[root])}/${relPath}` : relPath;
  }

  /** The workspace path of an absolute path, or undefined when it lies below no root. */
  toEngine(absPath: string): string | undefined {
    return this.locate(absPath)?.path;
  }

  /** Root-relative path with "/" (for exclude globs, which are written relative to a folder), or undefined. */
  relativeToRoot(absPath: string): string | undefined {
    return this.locate(absPath)?.relPath;
  }

  /**
   * The absolute path of a workspace path, or undefined when no root carries its label (several
   * roots) or it is no plain path below a root (absolute, `..`: containment.ts's rule).
   */
  toAbsolute(workspacePath: string): string | undefined {
    let root = this.roots.length === 1 ? 0 : -1;
    let relPath = workspacePath;
    if (root < 0) {
      const slash = workspacePath.indexOf('/');
      if (slash < 0) return undefined;
      const label = workspacePath.slice(0, slash);
      root = this.roots.findIndex((r) => rootLabel(r) === label);
      relPath = workspacePath.slice(slash + 1);
    }
    if (root < 0 || unsafeRelativePath(relPath) !== undefined) return undefined;
    return path.join(this.roots[root], ...relPath.split('/'));
  }

  /**
   * A path a user typed (CLI argument, request): an absolute path below a root as it is; else the
   * absolute path `known` finds for it (the index's records, by workspace or root-relative path);
   * else taken relative to the first root. The result may still lie outside (`locate` says).
   */
  fromUser(input: string, known?: (name: string) => string | undefined): string {
    const direct = path.resolve(input);
    if (path.isAbsolute(input) && this.roots.some((root) => isWithin(root, direct))) return direct;
    return known?.(input) ?? path.resolve(this.roots[0], input);
  }
}
