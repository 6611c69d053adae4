// The engine end to end on code this project did not write: packages installed from the npm registry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openEngine, tempDir } from "./helpers";

const PACKAGE = resolve("node_modules/semver");

test("index, ask, summarize, recall and status on the semver package", async () => {
  const cache = await tempDir("semver");
  const engine = await openEngine([PACKAGE], cache);
  const report = await engine.sync();
  assert.ok(report.scanned > 20, `scanned ${report.scanned} files`);
  const status = engine.status();
  assert.equal(status.complete, true);
  assert.ok(status.regions > 50 && status.tokens > 10_000);
  assert.equal(status.staleTokens, 0);

  const answer = await engine.ask("compare two versions", { top: 5, fuse: false, rereadBudgetMs: 10_000 });
  assert.equal(answer.hits.length, 5);
  for (const hit of answer.hits) {
    assert.ok(existsSync(join(PACKAGE, hit.path)), `hit path ${hit.path} exists`);
    const lines = readFileSync(join(PACKAGE, hit.path), "utf8").split("\n");
    assert.ok(hit.startLine >= 1 && hit.endLine <= lines.length && hit.startLine <= hit.endLine);
    assert.ok(["memory", "reread"].includes(hit.source));
    assert.ok(hit.recall >= 0 && hit.recall <= 1);
  }
  assert.ok(answer.answer && answer.answer.text.includes(answer.hits[0].symbol));
  const sorted = [...answer.hits].sort((a, b) => b.score - a.score);
  assert.deepEqual(answer.hits, sorted);

  const fused = await engine.ask("compare two versions", { top: 5, rereadBudgetMs: 10_000 });
  assert.ok(fused.hits.some((h) => h.bm25 > 0 && /compare/i.test(h.symbol)), "BM25 finds the compare functions by name");

  const active = await engine.ask("compare two versions", { activeFile: "functions/compare.js", top: 50 });
  assert.ok(active.hits.some((h) => h.source === "exact" && h.path === "functions/compare.js"));
  assert.ok(!active.hits.some((h) => h.source !== "exact" && h.path === "functions/compare.js"), "active file answered only exactly");

  const summary = await engine.summarize("classes/range.js");
  assert.equal(summary.language, "javascript");
  assert.ok(summary.symbols.some((s) => s.symbol === "Range"));
  assert.ok(summary.imports.includes("./comparator"));
  assert.ok(summary.recallShare >= 0 && summary.recallShare <= 1);
  assert.ok(summary.symbols.find((s) => s.symbol === "Range")?.from === "doc");

  const ws = engine.summarizeWorkspace();
  assert.ok(ws.importEdges > 20);
  assert.ok(ws.modules.length > 2);
  const central = ws.modules.slice(0, 3).map((m) => m.module);
  assert.ok(central.includes("classes") || central.includes("internal"), `central modules: ${central}`);

  const recall = engine.recall({ file: "functions/compare.js" });
  assert.ok(recall.regions.length > 0 && recall.regions.every((r) => r.path === "functions/compare.js"));
  assert.equal(recall.summaryBytes, status.summaryBytes);
  await engine.close();

  // A second open reuses the index: nothing rescanned.
  const again = await openEngine([PACKAGE], cache);
  const second = await again.sync();
  assert.equal(second.scanned, 0);
  assert.equal(second.unchanged, report.scanned);
  await again.close();
});
