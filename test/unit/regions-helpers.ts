// Shared by the regions tests: one parser for the whole run, fixture loading, and region lookup by name.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRegionParser } from '../../extension/engine/regions/regionParser';
import type { Outline, Region, RegionParser } from '../../extension/engine/regions/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'regions');

let parser: Promise<RegionParser> | undefined;
export function sharedParser(): Promise<RegionParser> {
  parser ??= createRegionParser();
  return parser;
}

/** Outlines a fixture under its name without the `.fixture` suffix. */
export async function outlineFixture(name: string): Promise<{ outline: Outline; text: string }> {
  const text = readFileSync(path.join(FIXTURES, `${name}.fixture`), 'utf8');
  return { outline: await (await sharedParser()).outline(name, text), text };
}

/** Outlines a file on disk; `name` (default: its path, less a `.fixture` suffix) picks the language. */
export async function outlineFile(file: string, name = file.replace(/\.fixture$/, '')): Promise<{ outline: Outline; text: string }> {
  const text = readFileSync(file, 'utf8');
  return { outline: await (await sharedParser()).outline(name, text), text };
}

/**
 * Finds a region by its dotted path from the top (`Class.method`); names may contain dots themselves
 * (`Demo.App.Greeter`), so each region whose name is a prefix of the path is tried.
 */
export function find(regions: Region[], dottedPath: string): Region | undefined {
  for (const region of regions) {
    if (region.name === dottedPath) return region;
    if (dottedPath.startsWith(`${region.name}.`)) {
      const inside = find(region.children, dottedPath.slice(region.name.length + 1));
      if (inside) return inside;
    }
  }
  return undefined;
}

export function mustFind(regions: Region[], dottedName: string): Region {
  const region = find(regions, dottedName);
  if (!region) throw new Error(`no region ${dottedName}; have ${regions.map((r) => r.name).join(', ')}`);
  return region;
}

/** [name, kind, startLine, endLine] of top-level regions, for whole-outline comparisons. */
export function summary(regions: Region[]): [string, string, number, number][] {
  return regions.map((r) => [r.name, r.kind, r.startLine, r.endLine]);
}
