// Ask, Summarize and Recall in a real VS Code (code-server + Chromium), in the light and the dark
// theme, on the Corner Shop fixture plus a few generated "legacy" files (so indexing lasts long
// enough to cancel it): cancel and resume indexing; ask a question whose answer lives in a file
// that is not open and follow the first citation (the memory alone answers it too, from what the
// recurrent summary kept); ask about the active file (labelled exact);
// summarize it (the model's overview); toggle the recall heatmap (decorations, hover text, legend).
// The sidebar is 300 px wide (setSidebarWidth), as people keep it: every step checks that it fits
// (no horizontal overflow, file:line never broken, every icon drawn from the codicon font), and one
// region's recall is the same number on its answer card, the heatmap's hover and the chart.
// Screenshots of each step go to test-results/e2e/ask-<theme>-NN-<step>.png.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSession } from './lib/session.mjs';
import { SIDEBAR, assertSidebarFits } from './lib/sidebar.mjs';
import { ask, assertCitationReveals, chartDot, heatmapHover, readCard } from './lib/ask.mjs';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_WORKSPACE } from './lib/paths.mjs';
import { THEMES } from './lib/code-server.mjs';
import {
  activeEditor,
  activeEditorTitle,
  clickActivityBarEntry,
  findFrameWith,
  quickOpen,
  runCommand,
  setSidebarWidth,
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
    const prefix = `ask-${themeKind}`;
    const session = e2eSession({ prefix, theme: themeName, prepare: (dir) => writeLegacyFiles(dir, LEGACY_FILES) });
    const { shot } = session;
    /** The recall of HOVER_REGION as its answer card showed it (e.g. "9%"), for the heatmap and chart to match. */
    let cardRecall;
    const sidebar = () => findFrameWith(session.page, `${SIDEBAR} #ask:not([hidden])`, 60_000);
    const indexPhase = async () => {
      const frame = await findFrameWith(session.page, '[data-testid="index-line"]');
      return frame.locator('[data-testid="index-line"]').getAttribute('data-phase');
    };
    const statusBarText = async () =>
      (await session.page.locator('.statusbar-item', { hasText: 'Longview' }).first().textContent())?.trim() ?? '';

    test('indexing starts with a progress notification; Cancel stops it and Re-index resumes it', async () => {
      await waitFor(async () => (await workbenchThemeKind(session.page)) === themeKind, `the ${themeKind} theme`, 30_000);
      // The extension starts indexing as the workbench finishes starting.
      const toast = session.page.locator('.notification-toast', { hasText: 'Longview: indexing the workspace' }).first();
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
          (await session.page.locator('.statusbar-item[aria-label*="paused"], .statusbar-item .codicon-debug-pause').count()) > 0,
        async () => `a paused index in the status bar (it shows "${await statusBarText()}")`,
        60_000,
      );
      const paused = Number(/Longview (\d+)/.exec(await statusBarText())?.[1] ?? NaN);
      assert.ok(paused < FIXTURE_FILES + LEGACY_FILES, `cancelled before the last file (${paused} files indexed)`);
      await clickActivityBarEntry(session.page, 'Longview');
      await setSidebarWidth(session.page);
      const frame = await sidebar();
      await waitFor(async () => (await indexPhase()) === 'cancelled', 'the sidebar to say indexing is paused');
      await shot('indexing-cancelled');

      await runCommand(session.page, 'Longview: Re-index Workspace');
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
      const progress = frame.locator('[data-testid="recall-progress"]', {
        hasText: /^Measuring what Longview remembers: \d+ of \d+ regions…$/,
      });
      await progress.waitFor({ state: 'visible', timeout: 15_000 });
      await frame.locator('#recall').scrollIntoViewIfNeeded();
      await shot('recall-measuring');
      await progress.waitFor({ state: 'detached', timeout: 120_000 });
      await frame.locator('[data-testid="recall-chart"]').waitFor({ state: 'visible', timeout: 10_000 });
      // No question yet: nothing to compare, so no switch.
      assert.equal(await frame.locator('[data-testid="compare-switch"]').count(), 0, 'the memory-vs-hybrid switch waits for a question');
      await assertSidebarFits(frame);
    });

    test('a question whose answer is in a file that is not open; the first citation opens it at those lines', async () => {
      const frame = await sidebar();
      assert.notEqual(await activeEditorTitle(session.page), 'shipping.py');
      const first = (await ask(frame, WORKSPACE_QUESTION.question)).first();
      // Tag the card: its recall arrives later, in place, so the tagged element must still be there
      // (a card drawn anew would lose the user's keyboard focus and opened snippets).
      await first.evaluate((node) => (node.dataset.e2eTag = 'first'));
      await shot('workspace-answer');
      const citation = first.locator('[data-testid="citation"]');
      assert.equal(await citation.getAttribute('data-path'), WORKSPACE_QUESTION.answerPath);
      assert.ok(
        ['from memory', 'read again', 'matched by name'].includes((await first.locator('[data-testid="source"]').textContent())?.trim()),
        'a file that is not open is answered from memory, re-read, or found by name (never "read exactly")',
      );
      // The cards' recall is measured right after the answer, file by file: a measuring state, then the number.
      await readCard(first);
      assert.equal(
        await frame.locator('[data-testid="answer-card"][data-e2e-tag="first"]').count(),
        1,
        'the card kept its element as its recall arrived',
      );
      await assertSidebarFits(frame);
      await assertCitationReveals(session.page, citation);
      await shot('citation-opened');

      // The memory alone (no keywords, no re-reads, no exact read of an open file) answers from what the
      // recurrent summary kept of the workspace: its first hit is the file the question is about (issue 19).
      const compare = frame.locator('[data-testid="compare-switch"]');
      await compare.check();
      const memoryHits = frame.locator('[data-testid="compare-memory"] li');
      await waitFor(async () => (await memoryHits.count()) > 0, 'the memory-alone ranking', 30_000);
      const memoryFirst = (await memoryHits.first().locator('a').getAttribute('title')) ?? '';
      assert.ok(
        memoryFirst.startsWith(`${WORKSPACE_QUESTION.answerPath}:`),
        `the memory alone answers from ${WORKSPACE_QUESTION.answerPath}, not "${memoryFirst}"`,
      );
      await frame.locator('[data-testid="compare-memory"]').scrollIntoViewIfNeeded();
      await assertSidebarFits(frame);
      await shot('memory-alone-answers');
      await compare.uncheck();
    });

    test('a question about the active file is answered from it exactly', async () => {
      await quickOpen(session.page, ACTIVE_QUESTION.activePath);
      const frame = await sidebar();
      const input = frame.locator('[data-testid="ask-input"]');
      await ask(frame, ACTIVE_QUESTION.question);
      assert.equal(await input.inputValue(), ACTIVE_QUESTION.question, 'the question stays in the box');
      const card = frame.locator(`[data-testid="answer-card"][data-path="${ACTIVE_QUESTION.activePath}"]`).first();
      assert.ok(await card.count(), `an answer from ${ACTIVE_QUESTION.activePath}`);
      assert.equal((await card.locator('[data-testid="source"]').textContent())?.trim(), 'active file · read exactly');
      // Read exactly is said once, in words; the badge gives the memory's recall, the number the heatmap and chart show.
      const sell = frame.locator(
        `[data-testid="answer-card"][data-path="${HOVER_REGION.path}"]:has([data-testid="citation"][data-start-line="${HOVER_REGION.startLine}"])`,
      );
      assert.ok(await sell.count(), `a card for ${HOVER_REGION.symbol} (line ${HOVER_REGION.startLine})`);
      cardRecall = (await readCard(sell.first())).recall;
      assert.match(cardRecall ?? '', /^\d+%$/);
      await assertSidebarFits(frame);
      // Up recalls the previous question into the box.
      await input.fill('');
      await input.press('ArrowUp');
      assert.equal(await input.inputValue(), ACTIVE_QUESTION.question);
      await shot('active-file-answer');
    });

    test('Summarize Current File shows the model overview and the file recall', async () => {
      await runCommand(session.page, 'Longview: Summarize Current File');
      const frame = await findFrameWith(session.page, '[data-testid="summary-overview"]', 60_000);
      const overview = await frame.locator('[data-testid="summary-overview"]').textContent();
      assert.match(overview ?? '', /lines/);
      assert.match(
        (await frame.locator('[data-testid="summary-recall"]').textContent()) ?? '',
        /^Active file, read exactly\. Memory: remembered \d+% on average over its \d+ regions\.$/,
      );
      await frame.locator('#summary').scrollIntoViewIfNeeded();
      await shot('file-summary');
    });

    test('Toggle Recall Heatmap tints the regions; the hover gives recall, distance and meaning', async () => {
      const frame = await sidebar();
      // A measurement under way keeps the previous chart on screen under its count: wait for the new one.
      await waitFor(async () => (await frame.locator('[data-testid="recall-progress"]').count()) === 0, 'recall to be measured', 120_000);
      const dot = chartDot(frame, HOVER_REGION);
      await dot.waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(await dot.getAttribute('data-active'), 'true');
      const expected = await dot.getAttribute('data-recall');
      assert.equal(expected, cardRecall, 'the chart shows the recall the answer card showed');
      assert.match((await dot.getAttribute('aria-label')) ?? '', new RegExp(`: remembered ${expected} \\(active file: read exactly\\)`));
      // With the legacy files most regions lie past the attention window: the recall probe the engine
      // measured for them reaches the chart's labels, after the plain words (the shipped card has recall_probe > 0).
      const probed = frame.locator('[data-testid="recall-dot"][aria-label*="; its first tokens re-read after the memory are predicted"]');
      assert.ok((await probed.count()) > 0, 'regions past the window are labelled with their measured probe');
      assert.match(
        (await probed.first().getAttribute('aria-label')) ?? '',
        /: remembered \d+%.*Figures: .*predicted (\d+\.\d\d nats per token of the region (better|worse)|no better) than cold/,
      );
      // The heatmap's legend: the calm style for what is read exactly, then the graded scale.
      const legend = frame.locator('[data-testid="heatmap-legend"]');
      assert.deepEqual(await legend.locator('.legend-item').allTextContents(), ['read exactly', '0–24%', '25–49%', '50–74%', '75–100%']);
      await frame.locator('[data-testid="recall-chart"]').scrollIntoViewIfNeeded();
      await shot('recall-chart');

      // The switch compares what the recurrent memory alone answers to the last question with the hybrid.
      await frame.locator('[data-testid="compare-switch"]').check();
      const memoryHits = frame.locator('[data-testid="compare-memory"] li');
      await waitFor(async () => (await memoryHits.count()) > 0, 'the memory-alone ranking', 30_000);
      assert.ok((await frame.locator('[data-testid="compare-hybrid"] li').count()) > 0, 'the hybrid ranking beside it');
      await frame.locator('[data-testid="compare-memory"]').scrollIntoViewIfNeeded();
      await assertSidebarFits(frame);
      await shot('memory-vs-hybrid');

      const editor = activeEditor(session.page);
      const tinted = () => editor.locator('.view-overlays [class*="ced-"]').count();
      const before = await tinted();
      await runCommand(session.page, 'Longview: Toggle Recall Heatmap');
      await waitFor(async () => (await tinted()) > before, 'heatmap decorations in the editor', 30_000);
      // Hover over the text of a line inside the region.
      const { text, paragraphs } = await heatmapHover(session.page, editor, HOVER_REGION.hoverLine);
      // One number: the card's, the chart's and the hover's are the same.
      assert.ok(text.includes(`method sell · remembered ${cardRecall}`), `hover "${text}" leads with remembered ${cardRecall}`);
      assert.ok(paragraphs.length >= 3, `the hover has its plain words, then figures (${JSON.stringify(paragraphs)})`);
      const plain = paragraphs.slice(0, 2).join(' ');
      assert.match(plain, /This is the active file: Longview reads it exactly/, 'the active file is said to be read exactly');
      assert.doesNotMatch(plain, /nats|token pairs|probe|recall 1\b/, 'plain words first; the measurement terms come after');
      assert.match(paragraphs[paragraphs.length - 1], new RegExp(`^Figures: recall ${cardRecall} · read [\\d,]+ tokens`));
      await shot('heatmap-hover');

      // Two editors side by side: the active one is read exactly (the calm edge, no tint), the other
      // shows its memory's recall on the graded scale (tinted backgrounds, the legend's colours).
      await session.page.mouse.move(session.page.viewportSize().width / 2, 8);
      await quickOpen(session.page, 'legacy/ledger-0.ts');
      await runCommand(session.page, 'View: Split Editor Right');
      await quickOpen(session.page, HOVER_REGION.path);
      /* global getComputedStyle -- runs in the workbench's page */
      const tintedLines = (selector) =>
        session.page
          .locator(`${selector} .monaco-editor .view-overlays [class*="ced-"]`)
          .evaluateAll((nodes) => nodes.filter((n) => !/rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(n).backgroundColor)).length);
      await waitFor(
        async () =>
          (await tintedLines('.editor-group-container:not(.active)')) > 0 && (await tintedLines('.editor-group-container.active')) === 0,
        async () =>
          `graded tints only in the editor that is not active (${await tintedLines('.editor-group-container:not(.active)')} there, ${await tintedLines('.editor-group-container.active')} in the active one)`,
        30_000,
      );
      await shot('heatmap-two-editors');
    });

    test('a changed exclude setting applies without a reload: the excluded files leave the index', async () => {
      // Workspace settings written on disk, as a person editing .vscode/settings.json would.
      mkdirSync(join(session.server.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(session.server.workspace, '.vscode', 'settings.json'),
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
