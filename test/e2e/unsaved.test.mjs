// Open documents are read as the user sees them (issue 16, point 7), in a real VS Code (code-server +
// Chromium), light theme only: a function typed into src/inventory.ts and not saved is found by Ask
// (an exact hit of the active file) and shows in the Summary with the model's overview, which reads
// the editor's text too. Screenshots of each step go to test-results/e2e/unsaved-NN-<step>.png.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSession } from './lib/session.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { THEMES } from './lib/code-server.mjs';
import { activeEditorTitle, clickActivityBarEntry, findFrameWith, quickOpen, runCommand, waitFor } from './lib/workbench.mjs';

const FILE = 'src/inventory.ts';
const NEW_FUNCTION = 'restockOverduePallets';
const TYPED = `\n/** Restocks the overdue pallets from the back room. */\nexport function ${NEW_FUNCTION}(pallets: number, overdue: number): number {\n  return pallets + overdue;\n}\n`;
const QUESTION = 'restock the overdue pallets';
const INDEX_TIMEOUT_MS = 240_000;

describe('Unsaved edits answer in Ask and the Summary', { timeout: 480_000 }, () => {
  const session = e2eSession({ prefix: 'unsaved', theme: THEMES.light });
  const { shot, shotOnFailure } = session;
  const indexPhase = async () => {
    const frame = await findFrameWith(session.page, '[data-testid="index-line"]');
    return frame.locator('[data-testid="index-line"]').getAttribute('data-phase');
  };

  test(
    'the workspace is indexed',
    shotOnFailure(async () => {
      await clickActivityBarEntry(session.page, 'Longview');
      await waitFor(
        async () => (await indexPhase()) === 'ready',
        async () => `indexing to finish (phase ${await indexPhase()})`,
        INDEX_TIMEOUT_MS,
      );
      await shot('indexed');
    }),
  );

  test(
    'a function typed without saving is found by Ask, from the editor, not the file on disk',
    shotOnFailure(async () => {
      await quickOpen(session.page, FILE);
      await waitFor(async () => (await activeEditorTitle(session.page))?.includes('inventory.ts'), 'inventory.ts to be the active editor');
      await session.page.locator('.monaco-editor .view-lines').first().click();
      await session.page.keyboard.press('Control+End');
      // insertText: one input event, so the editor's auto-closing of brackets does not double them.
      await session.page.keyboard.insertText(TYPED);
      await waitFor(async () => (await session.page.locator('.tab.active.dirty').count()) > 0, 'the editor to show unsaved changes');
      assert.ok(!readFileSync(join(session.server.workspace, FILE), 'utf8').includes(NEW_FUNCTION), 'the file on disk does not have it');
      await shot('typed-unsaved');
      const frame = await findFrameWith(session.page, '#ask:not([hidden])', 60_000);
      const input = frame.locator('[data-testid="ask-input"]');
      await input.fill(QUESTION);
      await input.press('Enter');
      const card = frame.locator(`[data-testid="answer-card"][data-path="${FILE}"]`, { hasText: NEW_FUNCTION }).first();
      await waitFor(async () => (await card.count()) > 0, `an answer card for ${NEW_FUNCTION}`, 60_000);
      assert.equal((await card.locator('[data-testid="source"]').textContent())?.trim(), 'active file · read exactly');
      assert.equal((await card.locator('[data-testid="unsaved"]').textContent())?.trim(), 'unsaved', 'the card says it read unsaved text');
      await card.scrollIntoViewIfNeeded();
      await shot('ask-finds-unsaved');
    }),
  );

  test(
    'the Summary lists it, with the model overview of the unsaved text',
    shotOnFailure(async () => {
      await quickOpen(session.page, FILE);
      await runCommand(session.page, 'Longview: Summarize Current File');
      const frame = await findFrameWith(session.page, `[data-testid="region"][data-name="${NEW_FUNCTION}"]`, 60_000);
      await frame.locator('[data-testid="summary-overview"]').waitFor({ state: 'visible', timeout: 60_000 });
      assert.match((await frame.locator('[data-testid="summary-overview"]').textContent()) ?? '', /lines/);
      // The memory's figure is the saved version's, and the line says so.
      assert.match((await frame.locator('[data-testid="summary-recall"]').textContent()) ?? '', /unsaved edits.*saved version/);
      await frame.locator('#summary').scrollIntoViewIfNeeded();
      await shot('summary-unsaved');
      assert.ok(!readFileSync(join(session.server.workspace, FILE), 'utf8').includes(NEW_FUNCTION), 'still not saved');
    }),
  );
});
