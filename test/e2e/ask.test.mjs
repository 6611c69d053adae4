// Ask, Summarize and Recall in a real VS Code (code-server + Chromium), in the light and the dark
// theme, on the Corner Shop fixture plus a few generated "legacy" files (so indexing lasts long
// enough to cancel it): cancel and resume indexing; ask a question whose answer lives in a file
// that is not open and follow the first citation; ask about the active file (labelled exact);
// summarize it (the model's overview); toggle the recall heatmap (decorations, hover text).
// Screenshots of each step go to test-results/e2e/ask-<theme>-NN-<step>.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_WORKSPACE, assertExtensionBuilt, assertToolsInstalled } from './lib/paths.mjs';
import { THEMES, startCodeServer } from './lib/code-server.mjs';
import {
  activeEditorTitle,
  clearScreenshots,
  clickActivityBarEntry,
  cursorLine,
  findFrameWith,
  launchBrowser,
  openWorkbench,
  quickOpen,
  runCommand,
  screenshot,
  waitFor,
  workbenchThemeKind,
} from './lib/workbench.mjs';

/** Legacy files added to the fixture: enough tokens that a scan takes several seconds here. */
const LEGACY_FILES = 14;
/** The fixture's own files: all text that Longview indexes (Markdown, JSON, TypeScript, Python). */
const FIXTURE_FILES = readdirSync(FIXTURE_WORKSPACE, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
const INDEX_TIMEOUT_MS = 240_000;

/** A question whose answer lives in tools/shipping.py, which is not open when it is asked. */
const WORKSPACE_QUESTION = { question: 'How much does shipping a parcel cost?', answerPath: 'tools/shipping.py' };
/** A question about src/inventory.ts, asked while that file is the active editor. */
const ACTIVE_QUESTION = { question: 'sell items from stock', activePath: 'src/inventory.ts' };
/** The heatmap hover is checked on this region of the active file. */
const HOVER_REGION = { path: 'src/inventory.ts', symbol: 'sell', startLine: 29, hoverLine: 31 };

const SIDEBAR = '#app';

/** Plain helper code in several files: no words from the questions above, so it never answers them. */
function writeLegacyFiles(root, count) {
  const nouns = [
    'ledger',
    'invoice',
    'customer',
    'supplier',
    'warehouse',
    'pallet',
    'coupon',
    'refund',
    'receipt',
    'voucher',
    'batch',
    'account',
  ];
  const verbs = ['load', 'merge', 'archive', 'validate', 'format', 'rotate', 'reconcile', 'split', 'audit', 'index'];
  mkdirSync(join(root, 'legacy'), { recursive: true });
  for (let f = 0; f < count; f++) {
    const noun = nouns[f % nouns.length];
    const lines = [`// Old back-office ${noun} helpers (module ${f}).`, ''];
    for (let i = 0; i < 12; i++) {
      const verb = verbs[(f + i) % verbs.length];
      const name = `${verb}${noun[0].toUpperCase()}${noun.slice(1)}${i}`;
      lines.push(
        `/** ${verb[0].toUpperCase()}${verb.slice(1)}s ${noun} records of batch ${i}; returns how many changed. */`,
        `export function ${name}(records: { id: number; total: number; note?: string }[], limit = ${10 + i}): number {`,
        '  let changed = 0;',
        '  for (const record of records.slice(0, limit)) {',
        `    if (record.total > ${i * 7}) {`,
        `      record.note = \`${verb} ${noun} \${record.id}\`;`,
        '      changed += 1;',
        '    }',
        '  }',
        '  return changed;',
        '}',
        '',
      );
    }
    writeFileSync(join(root, 'legacy', `${noun}-${f}.ts`), lines.join('\n'));
  }
}

for (const [themeKind, themeName] of Object.entries(THEMES)) {
  describe(`Ask, Summarize and Recall, ${themeKind} theme`, { timeout: 600_000 }, () => {
    let fixture;
    let server;
    let browser;
    let page;
    let step = 0;
    const prefix = `ask-${themeKind}`;
    const shot = async (what) => screenshot(page, `${prefix}-${String(++step).padStart(2, '0')}-${what}`);
    const sidebar = () => findFrameWith(page, `${SIDEBAR} #ask:not([hidden])`, 60_000);
    const indexPhase = async () => {
      const frame = await findFrameWith(page, '[data-testid="index-line"]');
      return frame.locator('[data-testid="index-line"]').getAttribute('data-phase');
    };
    const statusBarText = async () => (await page.locator('.statusbar-item', { hasText: 'Longview' }).first().textContent())?.trim() ?? '';

    before(async () => {
      clearScreenshots(prefix);
      assertToolsInstalled();
      assertExtensionBuilt();
      fixture = mkdtempSync(join(tmpdir(), 'longview-ask-fixture-'));
      cpSync(FIXTURE_WORKSPACE, fixture, { recursive: true });
      writeLegacyFiles(fixture, LEGACY_FILES);
      server = await startCodeServer({ fixtureDir: fixture, theme: themeName, label: prefix });
      browser = await launchBrowser();
      page = await openWorkbench(browser, server.url);
    });

    after(async () => {
      if (page) await shot('final').catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
      if (fixture) rmSync(fixture, { recursive: true, force: true });
    });

    test('indexing starts with a progress notification; Cancel stops it and Re-index resumes it', async () => {
      await waitFor(async () => (await workbenchThemeKind(page)) === themeKind, `the ${themeKind} theme`, 30_000);
      // The extension starts indexing as the workbench finishes starting.
      const toast = page.locator('.notification-toast', { hasText: 'Longview: indexing the workspace' }).first();
      await toast.waitFor({ state: 'visible', timeout: 90_000 });
      await shot('indexing-notification');
      // Cancel once a file is indexed (the notification counts them), so there is something to resume:
      // clicked earlier, under load, nothing was indexed yet and nothing could be kept.
      await waitFor(
        async () => Number(/(\d+)\/\d+ files/.exec((await toast.textContent().catch(() => '')) ?? '')?.[1] ?? 0) >= 1,
        async () => `the notification to count a file indexed (it says "${await toast.textContent().catch(() => '')}")`,
        INDEX_TIMEOUT_MS,
      );
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await waitFor(
        async () =>
          /Longview/.test(await statusBarText()) &&
          (await statusBarText()).includes('Longview') &&
          (await page.locator('.statusbar-item[aria-label*="paused"], .statusbar-item .codicon-debug-pause').count()) > 0,
        async () => `a paused index in the status bar (it shows "${await statusBarText()}")`,
        60_000,
      );
      const paused = Number(/Longview (\d+)/.exec(await statusBarText())?.[1] ?? NaN);
      assert.ok(paused < FIXTURE_FILES + LEGACY_FILES, `cancelled before the last file (${paused} files indexed)`);
      await clickActivityBarEntry(page, 'Longview');
      const frame = await sidebar();
      await waitFor(async () => (await indexPhase()) === 'cancelled', 'the sidebar to say indexing is paused');
      await shot('indexing-cancelled');

      await runCommand(page, 'Longview: Re-index Workspace');
      await waitFor(
        async () => (await indexPhase()) === 'ready',
        async () => `indexing to finish (phase ${await indexPhase()})`,
        INDEX_TIMEOUT_MS,
      );
      const line = await frame.locator('[data-testid="index-line"]').textContent();
      const match = /(\d+) files indexed \((\d+) read now, (\d+) kept from before\)/.exec(line ?? '');
      assert.ok(match, `index line "${line}"`);
      const [total, readNow, kept] = [Number(match[1]), Number(match[2]), Number(match[3])];
      assert.equal(total, FIXTURE_FILES + LEGACY_FILES);
      // Resumed, not started over: what was read before the cancel (at least what the pause showed) is kept.
      assert.ok(kept >= Math.max(1, paused), `kept ${kept} files from before the cancel (the pause showed ${paused})`);
      assert.equal(readNow + kept, total);
      await shot('indexing-resumed');
      // The index changed: recall is measured again after a quiet second (a probe per region past the
      // window), with the engine's count on screen until the new chart replaces it.
      const progress = frame.locator('[data-testid="recall-progress"]', { hasText: /^Measuring recall: \d+ of \d+ regions…$/ });
      await progress.waitFor({ state: 'visible', timeout: 15_000 });
      await frame.locator('#recall').scrollIntoViewIfNeeded();
      await shot('recall-measuring');
      await progress.waitFor({ state: 'detached', timeout: 120_000 });
      await frame.locator('[data-testid="recall-chart"]').waitFor({ state: 'visible', timeout: 10_000 });
    });

    test('a question whose answer is in a file that is not open; the first citation opens it at those lines', async () => {
      const frame = await sidebar();
      assert.notEqual(await activeEditorTitle(page), 'shipping.py');
      const input = frame.locator('[data-testid="ask-input"]');
      await input.fill(WORKSPACE_QUESTION.question);
      await input.press('Enter');
      const first = frame.locator('[data-testid="answer-card"]').first();
      await first.waitFor({ state: 'visible', timeout: 60_000 });
      await shot('workspace-answer');
      const citation = first.locator('[data-testid="citation"]');
      assert.equal(await citation.getAttribute('data-path'), WORKSPACE_QUESTION.answerPath);
      assert.ok(
        ['workspace memory', 're-read', 'keyword match'].includes((await first.locator('[data-testid="source"]').textContent())?.trim()),
        'a file that is not open is answered from memory, re-read, or found by keyword (never "exact")',
      );
      // The recall the Recall section measured on this summary, or "…" when the summary changed since
      // (a question measures no probe: it would cost ~10–20 ms a hit).
      assert.match((await first.locator('[data-testid="recall-badge"]').textContent()) ?? '', /^recall (\d+%|…)$/);
      const startLine = Number(await citation.getAttribute('data-start-line'));
      await citation.click();
      await waitFor(async () => (await activeEditorTitle(page)) === 'shipping.py', 'shipping.py to open');
      await waitFor(
        async () => (await cursorLine(page)) === startLine,
        async () => `the cursor on line ${startLine} (it is on ${await cursorLine(page)})`,
      );
      await shot('citation-opened');
    });

    test('a question about the active file is answered from it exactly', async () => {
      await quickOpen(page, ACTIVE_QUESTION.activePath);
      const frame = await sidebar();
      const input = frame.locator('[data-testid="ask-input"]');
      await input.fill(ACTIVE_QUESTION.question);
      await input.press('Enter');
      const card = frame.locator(`[data-testid="answer-card"][data-path="${ACTIVE_QUESTION.activePath}"]`).first();
      await waitFor(
        async () =>
          (await frame.locator('[data-testid="answer-card"]').count()) > 0 &&
          (await frame.locator('[data-testid="ask-input"]').inputValue()) === ACTIVE_QUESTION.question &&
          (await frame.locator('ol.cards').getAttribute('aria-label')) === `Answers to: ${ACTIVE_QUESTION.question}`,
        'the answer cards',
        60_000,
      );
      assert.ok(await card.count(), `an answer from ${ACTIVE_QUESTION.activePath}`);
      assert.equal((await card.locator('[data-testid="source"]').textContent())?.trim(), 'exact: active file');
      assert.equal(await card.locator('[data-testid="recall-badge"]').textContent(), 'recall 100%');
      // Up recalls the previous question into the box.
      await input.fill('');
      await input.press('ArrowUp');
      assert.equal(await input.inputValue(), ACTIVE_QUESTION.question);
      await shot('active-file-answer');
    });

    test('Summarize Current File shows the model overview and the file recall', async () => {
      await runCommand(page, 'Longview: Summarize Current File');
      const frame = await findFrameWith(page, '[data-testid="summary-overview"]', 60_000);
      const overview = await frame.locator('[data-testid="summary-overview"]').textContent();
      assert.match(overview ?? '', /lines/);
      assert.match((await frame.locator('[data-testid="summary-recall"]').textContent()) ?? '', /^Recall: mean \d+%/);
      await frame.locator('#summary').scrollIntoViewIfNeeded();
      await shot('file-summary');
    });

    test('Toggle Recall Heatmap tints the regions; the hover gives recall, distance and meaning', async () => {
      const frame = await sidebar();
      // A measurement under way keeps the previous chart on screen under its count: wait for the new one.
      await waitFor(async () => (await frame.locator('[data-testid="recall-progress"]').count()) === 0, 'recall to be measured', 120_000);
      const dot = frame
        .locator(
          `[data-testid="recall-dot"][data-path="${HOVER_REGION.path}"][aria-label^="${HOVER_REGION.path}:${HOVER_REGION.startLine} ${HOVER_REGION.symbol}:"]`,
        )
        .first();
      await dot.waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(await dot.getAttribute('data-active'), 'true');
      const expected = /recall (\d\.\d\d)/.exec((await dot.getAttribute('aria-label')) ?? '')?.[1];
      assert.ok(expected, 'the chart gives the region a recall value');
      // With the legacy files most regions lie past the attention window: the recall probe the engine
      // measured for them reaches the chart's labels (the shipped card has recall_probe > 0).
      const probed = frame.locator(
        '[data-testid="recall-dot"][aria-label*="; measured: its first tokens (up to 16) re-read after the summary are predicted"]',
      );
      assert.ok((await probed.count()) > 0, 'regions past the window are labelled with their measured probe');
      assert.match(
        (await probed.first().getAttribute('aria-label')) ?? '',
        /predicted (\d+\.\d\d nats per token of the region (better|worse)|no better) than cold/,
      );
      await frame.locator('[data-testid="recall-chart"]').scrollIntoViewIfNeeded();
      await shot('recall-chart');

      // The switch compares what the recurrent memory alone answers to the last question with the hybrid.
      await frame.locator('[data-testid="compare-switch"]').check();
      const memoryHits = frame.locator('[data-testid="compare-memory"] li');
      await waitFor(async () => (await memoryHits.count()) > 0, 'the memory-alone ranking', 30_000);
      assert.ok((await frame.locator('[data-testid="compare-hybrid"] li').count()) > 0, 'the hybrid ranking beside it');
      await frame.locator('[data-testid="compare-memory"]').scrollIntoViewIfNeeded();
      await shot('memory-vs-hybrid');

      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      const tinted = () => editor.locator('.view-overlays [class*="ced-"]').count();
      const before = await tinted();
      await runCommand(page, 'Longview: Toggle Recall Heatmap');
      await waitFor(async () => (await tinted()) > before, 'heatmap decorations in the editor', 30_000);
      // Hover over the text of a line inside the region.
      const lineNumber = editor
        .locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${HOVER_REGION.hoverLine}$`) })
        .first();
      const box = await lineNumber.boundingBox();
      const content = await editor.locator('.view-lines').boundingBox();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'tokens from the end of the workspace summary' }).first();
      // As a person would: rest the pointer on the line; if no hover came (the editor was still settling), move off and back.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.move(content.x + 60, box.y + box.height / 2);
        try {
          await hover.waitFor({ state: 'visible', timeout: 7_500 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.mouse.move(content.x + 60, box.y - 5 * box.height);
        }
      }
      const text = await hover.textContent();
      assert.ok(text.includes(`Recall ${expected}`), `hover "${text}" gives recall ${expected}`);
      assert.match(text, /method sell/);
      assert.match(
        text,
        /summary (still holds|holds this region only in part|has mostly forgotten)|Among the last tokens read|Past the attention window/,
      );
      // Past the window the hover says what the probe measured; inside it (recall 1) it does not.
      if (Number(expected) < 1)
        assert.match(
          text,
          /Measured: re-reading its first tokens \(up to 16\) after the summary predicts them (better|worse|no better) than reading them cold/,
        );
      else assert.doesNotMatch(text, /Measured:/);
      assert.match(
        text,
        /This is the active file: .*attention over its current text \(exact/,
        'the active file is said to be read exactly',
      );
      await shot('heatmap-hover');
    });

    test('a changed exclude setting applies without a reload: the excluded files leave the index', async () => {
      // Workspace settings written on disk, as a person editing .vscode/settings.json would.
      mkdirSync(join(server.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(server.workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'longview.exclude': ['**/legacy/**', '**/.vscode/**'] }),
      );
      await waitFor(
        async () => (await statusBarText()) === `Longview ${FIXTURE_FILES}`,
        async () => `the status bar to count ${FIXTURE_FILES} files (it shows "${await statusBarText()}")`,
        INDEX_TIMEOUT_MS,
      );
      const frame = await sidebar();
      await waitFor(
        async () => (await frame.locator('[data-testid="recall-file"][data-path^="legacy/"]').count()) === 0,
        'legacy files to leave the Recall table',
        30_000,
      );
      await shot('exclude-applied');
    });
  });
}
