// loadModelFiles names the first missing model file in a fixed order (card.json, scan.onnx,
// query.onnx, tokenizer.json), not whichever concurrent read happened to fail first; with a recall
// probe in the card it also loads token_nll.onnx and scan.onnx's fp16 embedding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModelFiles, ModelCardError } from '../../extension/engine/model/card';

const TINY = 'test/integration/fixtures/tiny-model';

test('the message names the first missing file in the fixed order, every time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'longview-model-files-'));
  try {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), new RegExp(`model file ${dir}/card\\.json cannot be read: ENOENT$`));
    }
    // card.json unreadable in a slower way (a folder: open succeeds, read fails) than the other
    // three (missing: open fails): the first-failing read is another file, the message still card's
    await mkdir(join(dir, 'card.json'));
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), /card\.json cannot be read: EISDIR$/);
    }
    await rm(join(dir, 'card.json'), { recursive: true });
    await copyFile(join(TINY, 'card.json'), join(dir, 'card.json'));
    await copyFile(join(TINY, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModelFiles(dir), /scan\.onnx cannot be read: ENOENT$/);
    }
    await copyFile(join(TINY, 'scan.onnx'), join(dir, 'scan.onnx'));
    await assert.rejects(loadModelFiles(dir), /query\.onnx cannot be read: ENOENT$/);
    await copyFile(join(TINY, 'query.onnx'), join(dir, 'query.onnx'));
    const files = await loadModelFiles(dir);
    assert.equal(files.filesHash.length, 64);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("recall_probe > 0: token_nll.onnx and scan.onnx's fp16 embedding are loaded, or one clear line says why not", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'longview-model-probe-'));
  try {
    const REAL = resolve('media/model');
    for (const f of ['scan.onnx', 'query.onnx', 'tokenizer.json']) await symlink(join(REAL, f), join(dir, f));
    const card = JSON.parse(await readFile(join(REAL, 'card.json'), 'utf8'));
    const names = { graph: 'token_nll.onnx', wte: 'model.wte.weight__fp16' };
    const write = (extra: object) => writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, ...extra }));

    await write({ recall_probe: 0, token_nll: names });
    assert.equal((await loadModelFiles(dir)).tokenNll, undefined, 'no probe: the graph is not even read');
    await write({ recall_probe: 0.3, token_nll: names });
    await assert.rejects(
      loadModelFiles(dir),
      (e: Error) =>
        e instanceof ModelCardError && /token_nll\.onnx cannot be read: ENOENT \(the card's recall_probe > 0 needs it\)$/.test(e.message),
    );
    await symlink(join(REAL, 'token_nll.onnx'), join(dir, 'token_nll.onnx'));
    const files = await loadModelFiles(dir);
    assert.deepEqual(files.tokenNll?.wteDims, [8192, 256]);
    assert.equal(files.tokenNll?.wte.length, 8192 * 256);
    assert.equal(files.tokenNll?.onnx.length, (await readFile(join(REAL, 'token_nll.onnx'))).length);
    await write({ recall_probe: 0.3, token_nll: { ...names, wte: 'model.wte.weight' } });
    await assert.rejects(
      loadModelFiles(dir),
      (e: Error) =>
        e instanceof ModelCardError &&
        /scan\.onnx: the recall probe's embedding cannot be read: onnx model has no initializer "model\.wte\.weight"$/.test(e.message),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
