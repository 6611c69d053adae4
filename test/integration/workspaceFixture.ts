// A small generated workspace with distinct modification times (files enter the state oldest first).
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function moduleSource(i: number, extra = ''): string {
  return `import { helper${(i + 1) % 10} } from "./mod${(i + 1) % 10}";

/** Computes the ${i}th widget total from its parts. */
export function widget${i}(parts: number[]): number {
  let total = ${i};
  for (const p of parts) total += p * ${i + 1};
  return total;
}

/** Helper number ${i}: formats a widget label. */
export function helper${i}(name: string): string {
  return name.toUpperCase() + "-${i}";
}
${extra}`;
}

/** Writes mod0.ts … mod{n-1}.ts with mtimes one minute apart (mod0 oldest). */
export async function writeWorkspace(dir: string, n = 10): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  const base = Date.now() / 1000 - 3600;
  for (let i = 0; i < n; i++) {
    const name = `mod${i}.ts`;
    await writeFile(join(dir, name), moduleSource(i));
    await utimes(join(dir, name), base + i * 60, base + i * 60);
    names.push(name);
  }
  return names;
}
