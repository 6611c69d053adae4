// Where a workspace's index lives: one file per workspace (its sorted root folders) in the cache
// folder, so several workspaces can share one cache folder.
import { createHash } from "node:crypto";
import { basename, join, resolve } from "node:path";

export function indexPathFor(cacheDir: string, roots: readonly string[]): string {
  const key = createHash("sha1")
    .update([...roots].map((r) => resolve(r)).sort().join("\0"))
    .digest("hex")
    .slice(0, 16);
  const label = basename(resolve(roots[0] ?? "workspace")).replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40);
  return join(cacheDir, `${label}-${key}.lvix`);
}
