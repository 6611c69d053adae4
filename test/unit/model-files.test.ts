// loadModelFiles names the first missing model file in a fixed order (card.json, scan.onnx,
// query.onnx, tokenizer.json), not whichever concurrent read happened to fail first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModelFiles } from "../../extension/engine/model/card";

const TINY = "test/integration/fixtures/tiny-model";

test("the message names the first missing file in the fixed order, every time", async () => {
  const dir = await mkdtemp(join(tmpdir(), "longview-model-files-"));
  try {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), new RegExp(`model file ${dir}/card\\.json cannot be read: ENOENT$`));
    }
    // card.json unreadable in a slower way (a folder: open succeeds, read fails) than the other
    // three (missing: open fails): the first-failing read is another file, the message still card's
    await mkdir(join(dir, "card.json"));
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), /card\.json cannot be read: EISDIR$/);
    }
    await rm(join(dir, "card.json"), { recursive: true });
    await copyFile(join(TINY, "card.json"), join(dir, "card.json"));
    await copyFile(join(TINY, "tokenizer.json"), join(dir, "tokenizer.json"));
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), /scan\.onnx cannot be read: ENOENT$/);
    }
    await copyFile(join(TINY, "scan.onnx"), join(dir, "scan.onnx"));
    await assert.rejects(loadModelFiles(dir), /query\.onnx cannot be read: ENOENT$/);
    await copyFile(join(TINY, "query.onnx"), join(dir, "query.onnx"));
    const files = await loadModelFiles(dir);
    assert.equal(files.filesHash.length, 64);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
