// Restricted Mode in a real VS Code (code-server + Chromium, workspace trust on, the folder not
// trusted): Longview reads nothing until the sidebar's "Index this workspace" is clicked. Before the
// click the sidebar says why it waits, Ask and Recall are absent and no index file exists; after it
// the workspace is indexed. Screenshots go to test-results/e2e/restricted-NN-<step>.png.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSession } from './lib/session.mjs';
import { readdirSync } from 'node:fs';
import { THEMES, delay } from './lib/code-server.mjs';
import { clickActivityBarEntry, findFrameWith, waitFor } from './lib/workbench.mjs';

const INDEX_TIMEOUT_MS = 240_000;

/** Longview's index files under the user data folder (the extension's workspace storage). */
function indexFiles(userDataDir) {
  return readdirSync(userDataDir, { recursive: true }).filter((name) => String(name).endsWith('.lvix'));
}

describe('Restricted Mode: indexing waits for the user', { timeout: 400_000 }, () => {
  const session = e2eSession({ prefix: 'restricted', theme: THEMES.dark, restricted: true });
  const { shot } = session;

  test('nothing is read before the click; the click indexes the workspace', async () => {
    try {
      await clickActivityBarEntry(session.page, 'Longview');
      const frame = await findFrameWith(session.page, '#restricted:not([hidden])', 90_000);
      const line = frame.locator('[data-testid="index-line"]');
      assert.equal(await line.getAttribute('data-phase'), 'restricted');
      assert.match((await line.textContent()) ?? '', /^Restricted Mode: not indexed/);
      assert.match(
        (await frame.locator('#restricted-why').textContent()) ?? '',
        /Restricted Mode, so Longview has not read any of its files/,
      );
      assert.equal(await frame.locator('section#ask').isHidden(), true, 'Ask needs the index');
      await delay(3000); // time enough for an index to start, were it going to
      assert.equal(await line.getAttribute('data-phase'), 'restricted');
      assert.deepEqual(indexFiles(session.server.userDataDir), [], 'no index file before the click');
      await shot('waiting');

      await frame.locator('[data-testid="index-untrusted-button"]').click();
      await waitFor(
        async () => (await line.getAttribute('data-phase')) === 'ready',
        async () => `the index to be ready (phase ${await line.getAttribute('data-phase')}: ${await line.textContent()})`,
        INDEX_TIMEOUT_MS,
      );
      assert.match((await line.textContent()) ?? '', /\d+ files indexed/);
      assert.equal(await frame.locator('#restricted').isHidden(), true);
      assert.equal(await frame.locator('section#ask').isHidden(), false);
      assert.equal(indexFiles(session.server.userDataDir).length, 1);
      await shot('indexed');
    } catch (error) {
      await shot('failure').catch(() => undefined);
      throw error;
    }
  });
});
