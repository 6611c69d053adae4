// The contract's shown recall: 1 while the attention window holds the whole region, else the card's
// floor plus the rest weighted by the recurrent decays; distance counts the tokens read after it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { FileRecord, RegionRecord } from "../../extension/engine/index/types";
import type { ModelCard } from "../../extension/engine/model/card";
import { viewRegion } from "../../extension/engine/query/regionMath";

const card = { NS: 1, H: 2, R: 2, W: 100, recallWeights: [[0.5, 0.5]], recallFloor: 0.2 } as unknown as ModelCard;
// Region: tokens [150, 180) of a 200-token file, so 20 of its file's tokens come after it.
const region = { name: "f", kind: "function", startLine: 3, endLine: 9, doc: "", signature: "f()",
  embedding: Int8Array.of(10, 0, 0, 10), scales: Float32Array.of(1, 1), lEnd: Float32Array.of(-1, -2), tokStart: 150, tokEnd: 180 } as RegionRecord;
const file = { path: "a.ts", relPath: "a.ts", tokens: 200, lBase: Float64Array.of(0, 0), regions: [region] } as unknown as FileRecord;
// At the scan's end head 0 has decayed by another ln 2 since the region, head 1 not at all: retention 0.5 and 1.
const scanEndL = Float64Array.of(-1 - Math.LN2, -2);

test("a region the window holds whole (after + length <= W) has recall 1 and its full embedding as memory", () => {
  const v = viewRegion(card, file, region, scanEndL, 0); // after 20 + length 30 = 50 <= 100
  assert.equal(v.distance, 20);
  assert.equal(v.recall, 1);
  assert.deepEqual([...v.memory].map((x) => Math.round(x * 1e6) / 1e6), [0.707107, 0, 0, 0.707107]);
});

test("beyond the window: floor + (1 - floor) * Σ weights · retention, memory weighted by the last layer's retention", () => {
  const v = viewRegion(card, file, region, scanEndL, 60); // after 80 + length 30 = 110 > 100
  assert.equal(v.distance, 80);
  assert.ok(Math.abs(v.recall - (0.2 + 0.8 * 0.75)) < 1e-6, String(v.recall));
  const [a, , , d] = v.memory;
  assert.ok(Math.abs(a / d - 0.5) < 1e-6, "head 0 kept half as much as head 1");
});

test("a region partly out of the window counts as out: its re-read would no longer meet all its tokens", () => {
  const v = viewRegion(card, file, region, scanEndL, 51); // after 71 + 30 = 101
  assert.ok(v.recall < 1);
});
