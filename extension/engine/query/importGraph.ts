// Resolves the import specifiers the outline found to files of the workspace, by language-agnostic
// path matching: relative specifiers against the importing file's folder, others (Python dotted
// modules, C includes, Java packages) by path suffix. Unresolved ones are external packages.
import { posix } from 'node:path';

const SOURCE_EXTENSIONS = [
  '',
  '.ts',
  '.tsx',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.mts',
  '.cts',
  '.py',
  '.rs',
  '.go',
  '.h',
  '.hpp',
  '.java',
  '.cs',
  '.rb',
  '.php',
];
const INDEX_FILES = ['index.ts', 'index.tsx', 'index.js', 'index.jsx', '__init__.py', 'mod.rs'];

export class ImportResolver {
  private readonly paths: Set<string>;
  private readonly bySuffix = new Map<string, string[]>();

  constructor(relPaths: readonly string[]) {
    this.paths = new Set(relPaths);
    for (const p of relPaths) {
      const parts = p.split('/');
      for (let i = 0; i < parts.length; i++) {
        const suffix = parts.slice(i).join('/');
        const list = this.bySuffix.get(suffix);
        if (list) list.push(p);
        else this.bySuffix.set(suffix, [p]);
      }
    }
  }

  /** The workspace file `spec` (imported from `fromPath`) refers to, if it is one. */
  resolve(fromPath: string, spec: string): string | undefined {
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
      return this.withExtensions(posix.normalize(posix.join(posix.dirname(fromPath), spec)));
    }
    if (/^\.+[A-Za-z_]/.test(spec)) {
      // Python relative import: ".mod" is a sibling, "..mod" one folder up.
      const dots = /^\.+/.exec(spec)![0].length;
      let base = posix.dirname(fromPath);
      for (let i = 1; i < dots; i++) base = posix.dirname(base);
      return this.withExtensions(posix.join(base, spec.slice(dots).replace(/\./g, '/')));
    }
    const candidates = [spec, spec.replace(/\./g, '/'), spec.replace(/::/g, '/')];
    for (const c of candidates) {
      const hit = this.bySuffixWithExtensions(c.replace(/^\/+/, ''));
      if (hit) return hit;
    }
    return undefined;
  }

  private withExtensions(base: string): string | undefined {
    const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    for (const b of stripped === base ? [base] : [base, stripped]) {
      for (const ext of SOURCE_EXTENSIONS) if (this.paths.has(b + ext)) return b + ext;
      for (const idx of INDEX_FILES) if (this.paths.has(`${b}/${idx}`)) return `${b}/${idx}`;
    }
    return undefined;
  }

  private bySuffixWithExtensions(suffix: string): string | undefined {
    if (!suffix || suffix.includes('..')) return undefined;
    for (const ext of SOURCE_EXTENSIONS) {
      const list = this.bySuffix.get(suffix + ext);
      if (list && list.length === 1) return list[0]; // ambiguous suffixes resolve to nothing
    }
    for (const idx of INDEX_FILES) {
      const list = this.bySuffix.get(`${suffix}/${idx}`);
      if (list && list.length === 1) return list[0];
    }
    return undefined;
  }
}
