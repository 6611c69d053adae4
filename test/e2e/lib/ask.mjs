// Ask in the sidebar and read its answer cards as a person sees them: the question typed into the Ask
// box, a card's recall badge once measured, its folded snippet, its citation followed into the editor;
// and the other places a region's recall shows: its dot on the Recall chart and the heatmap's hover.
// Shared by the suites that ask (ask.test.mjs on the shop, real-code.test.mjs on real code).
import assert from 'node:assert/strict';
import { activeEditor, activeEditorTitle, cursorLine, hoverLine, visibleLineNumbers, waitFor } from './workbench.mjs';

/** Types `question` into the Ask box, presses Enter and waits until its cards are shown; returns them. */
export async function ask(frame, question, timeoutMs = 60_000) {
  const input = frame.locator('[data-testid="ask-input"]');
  await input.fill(question);
  await input.press('Enter');
  const cards = frame.locator('[data-testid="answer-card"]');
  await waitFor(
    async () =>
      (await frame
        .locator('ol.file-groups')
        .getAttribute('aria-label')
        .catch(() => null)) === `Answers to: ${question}` && (await cards.count()) > 0,
    `the answer cards to "${question}"`,
    timeoutMs,
  );
  return cards;
}

/**
 * Waits until no card says "measuring": each card's recall arrives file by file right after the
 * answer, and a card of text no region covers then shows none, rather than measuring for ever.
 */
export async function waitForCardsMeasured(frame, timeoutMs = 60_000) {
  const measuring = frame.locator('[data-testid="answer-card"] [data-testid="recall-badge"].measuring');
  await waitFor(
    async () => (await measuring.count()) === 0,
    async () => `every card's recall (${await measuring.count()} still measuring)`,
    timeoutMs,
  );
}

/**
 * What a card says of itself: its citation's place, its symbol, and its recall once the badge shows a
 * figure ("41%"; the badge says "measuring" until the engine's probe arrives).
 */
export async function readCard(card, timeoutMs = 30_000) {
  const badge = card.locator('[data-testid="recall-badge"]');
  await waitFor(
    async () => /^remembered \d+%$/.test((await badge.textContent())?.trim() ?? ''),
    async () => `the card's recall (it shows "${(await badge.textContent())?.trim()}")`,
    timeoutMs,
  );
  const recall = await badge.getAttribute('data-recall');
  assert.equal((await badge.textContent())?.trim(), `remembered ${recall}`, 'the badge says the figure it carries');
  const citation = card.locator('[data-testid="citation"]');
  return {
    path: await citation.getAttribute('data-path'),
    startLine: Number(await citation.getAttribute('data-start-line')),
    endLine: Number(await citation.getAttribute('data-end-line')),
    symbol: (await card.locator('.card-symbol .region-name').textContent())?.trim(),
    source: (await card.locator('[data-testid="source"]').textContent())?.trim(),
    recall,
  };
}

/** The Recall chart's dot for a region (as readCard gives it): its `data-recall` is the figure the dot's label says. */
export function chartDot(frame, { path, startLine, symbol }) {
  return frame.locator(`[data-testid="recall-dot"][data-path="${path}"][aria-label^="${path}:${startLine} ${symbol}:"]`).first();
}

/**
 * The heatmap's hover over line `line` of `editor` (Toggle Recall Heatmap on): its text and its
 * paragraphs, the first the region and its figure ("method sell · remembered 9%"), then the plain
 * words, the figures last. The pointer stays on the line, so the hover stays for a screenshot.
 */
export async function heatmapHover(page, editor, line) {
  const hover = await hoverLine(page, editor, line, "tokens before the memory's end");
  const paragraphs = await hover.locator('.hover-contents p, .rendered-markdown p').allTextContents();
  return { text: (await hover.textContent()) ?? '', paragraphs };
}

/**
 * A folded snippet shows exactly its lines, never a part of the next: the pre's height inside its
 * border is the folded line count (the `--snippet-lines` its CSS reads) times its line height, plus its
 * vertical padding, within a pixel; and no padding below the last line, where overflow (clipped at the
 * padding box) would show the top of the next one. Its toggle opens it to every line and folds it again.
 */
export async function assertSnippetFolded(card) {
  const pre = card.locator('pre.snippet.folded');
  /* global getComputedStyle -- runs in the webview */
  const box = await pre.evaluate((node) => {
    const style = getComputedStyle(node);
    return {
      lines: Number(style.getPropertyValue('--snippet-lines')),
      lineHeight: parseFloat(style.lineHeight),
      padding: parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
      paddingBottom: parseFloat(style.paddingBottom),
      clientHeight: node.clientHeight,
      scrollHeight: node.scrollHeight,
    };
  });
  assert.ok(Number.isInteger(box.lines) && box.lines > 0, `a whole number of lines shows folded (${box.lines})`);
  const expected = box.lines * box.lineHeight + box.padding;
  assert.ok(
    Math.abs(box.clientHeight - expected) <= 1,
    `the folded snippet is ${box.clientHeight} px high: ${box.lines} lines of ${box.lineHeight} px and ${box.padding} px padding make ${expected}`,
  );
  assert.ok(box.paddingBottom <= 0.5, `no part of the next line shows in the ${box.paddingBottom} px padding below the last one`);
  assert.ok(box.scrollHeight > box.clientHeight, 'the snippet has more lines than it shows folded');
  // Its toggle shows every line, and folds it again.
  const toggle = card.locator('[data-testid="snippet-toggle"]');
  assert.match((await toggle.textContent()) ?? '', /^Show all \d+ lines$/);
  await toggle.click();
  const open = card.locator('pre.snippet:not(.folded)');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const all = await open.evaluate((node) => ({ clientHeight: node.clientHeight, scrollHeight: node.scrollHeight }));
  assert.ok(all.scrollHeight - all.clientHeight <= 1, `opened, every line shows (${all.clientHeight} of ${all.scrollHeight} px)`);
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  return box;
}

/**
 * Clicks a card's citation and checks the editor as after Go to Definition: the file open, the cursor
 * on the range's first line, and the range on screen (all of it, or as much as the editor holds from
 * its first line on).
 */
export async function assertCitationReveals(page, citation) {
  const path = await citation.getAttribute('data-path');
  const startLine = Number(await citation.getAttribute('data-start-line'));
  const endLine = Number(await citation.getAttribute('data-end-line'));
  const fileName = path.split('/').pop();
  await citation.click();
  await waitFor(
    async () => (await activeEditorTitle(page)) === fileName,
    async () => `${fileName} to open (the active editor is ${await activeEditorTitle(page)})`,
  );
  await waitFor(
    async () => (await cursorLine(page)) === startLine,
    async () => `the cursor on line ${startLine} of ${path} (it is on ${await cursorLine(page)})`,
  );
  let shown = [];
  await waitFor(
    async () => {
      shown = await visibleLineNumbers(activeEditor(page));
      // The first line on screen, and the last one too unless the range runs on past the editor's bottom.
      return shown.includes(startLine) && (shown.includes(endLine) || Math.max(...shown) < endLine);
    },
    () => `lines ${startLine}–${endLine} of ${path} on screen (the editor shows ${Math.min(...shown)}–${Math.max(...shown)})`,
  );
  return { path, startLine, endLine };
}
