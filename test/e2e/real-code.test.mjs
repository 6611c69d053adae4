// Summaries of real code (test/fixtures/real-code: CPython's textwrap.py and json/__init__.py, Go's
// punycode.go (skipped as generated), syn's attr.rs, node-addon-api's napi.h, …, under their original names) in a real VS Code
// at a 300 px sidebar, in the light, dark and both high-contrast themes, clicked as a user clicks:
// Summarize Current File leads with the module's own docstring (whole, as text) and its main symbols,
// which are links; constants and private helpers fold away; Summarize Workspace gives each module the
// line its own doc says; the heatmap legend's steps can be told apart in every theme. Ask, as a person
// does: about code in a file that is not open (the headline is text, a long snippet folds to exactly
// its lines, the citation reveals the range as Go to Definition does), then about the active file with
// the other file beside it; each region's recall is one number on its card, its chart dot and the
// heatmap's hover. Screenshots: test-results/e2e/real-code-<theme>-NN-<step>.png.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eSession } from './lib/session.mjs';
import { REPO_ROOT } from './lib/paths.mjs';
import { HIGH_CONTRAST_THEMES, THEMES } from './lib/code-server.mjs';
import { SIDEBAR, assertSidebarFits } from './lib/sidebar.mjs';
import { ask, assertCitationReveals, assertSnippetFolded, chartDot, heatmapHover, readCard, waitForCardsMeasured } from './lib/ask.mjs';
import {
  activeEditor,
  activeEditorTitle,
  clickActivityBarEntry,
  cursorLine,
  findFrameWith,
  quickOpen,
  runCommand,
  setSidebarWidth,
  waitFor,
  workbenchThemeKind,
} from './lib/workbench.mjs';

const REAL_CODE = join(REPO_ROOT, 'test/fixtures/real-code');
/** Each fixture's path in the workspace: its original name (test/fixtures/real-code/README.md). */
const ORIGINAL_PATHS = {
  'textwrap.py.fixture': 'textwrap.py',
  'json__init__.py.fixture': 'json/__init__.py',
  'punycode.go.fixture': 'idna/punycode.go',
  'attr.rs.fixture': 'syn/attr.rs',
  'napi.h.fixture': 'napi/napi.h',
  'Find-VisualStudio.cs.fixture': 'node-gyp/Find-VisualStudio.cs',
  'MemcacheItemWithTimestamps.php.fixture': 'appengine/MemcacheItemWithTimestamps.php',
};
const INDEX_TIMEOUT_MS = 240_000;
const SUMMARY = 'section#summary';
/** Asked while textwrap.py is the active editor; the answer lives in a file that is not open. */
const OTHER_FILE_QUESTION = { question: 'get and clear the pending exception', activePath: 'textwrap.py', answerPath: 'napi/napi.h' };
/** About the active file, asked with the other file's editor beside it. */
const ACTIVE_FILE_QUESTION = { question: 'remove common leading whitespace', activePath: 'textwrap.py' };
const READ_EXACTLY_LABEL = 'active file · read exactly';

/** The fixtures under their original paths (the `.fixture` suffix keeps linters off them in the repository). */
function restoreNames(dir) {
  for (const name of readdirSync(dir)) {
    const target = ORIGINAL_PATHS[name];
    if (!target) continue;
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    renameSync(join(dir, name), join(dir, target));
  }
}

/** LONGVIEW_E2E_THEME=dark (say) runs one theme's session only. */
const themes = Object.entries({ ...THEMES, ...HIGH_CONTRAST_THEMES }).filter(
  ([kind]) => !process.env.LONGVIEW_E2E_THEME || kind === process.env.LONGVIEW_E2E_THEME,
);

for (const [themeKind, themeName] of themes) {
  describe(`Summaries of real code, ${themeKind} theme`, { timeout: 540_000 }, () => {
    const session = e2eSession({ prefix: `real-code-${themeKind}`, theme: themeName, fixtureDir: REAL_CODE, prepare: restoreNames });
    const { shot, shotOnFailure } = session;
    const sidebar = () => findFrameWith(session.page, `${SIDEBAR} ${SUMMARY}`, 60_000);
    const indexPhase = async () => (await sidebar()).locator('[data-testid="index-line"]').getAttribute('data-phase');

    /** Runs Summarize Current File on `path` and waits for the model's part (the overview line) to arrive. */
    async function summarize(path) {
      await quickOpen(session.page, path);
      assert.equal(await activeEditorTitle(session.page), path.split('/').pop());
      await runCommand(session.page, 'Longview: Summarize Current File');
      const frame = await sidebar();
      await waitFor(
        async () => (await frame.locator(`${SUMMARY} [data-testid="summary-file"]`).textContent()) === path.split('/').pop(),
        `the Summary of ${path}`,
        30_000,
      );
      await frame.locator(`${SUMMARY} [data-testid="summary-overview"]`).waitFor({ state: 'visible', timeout: 60_000 });
      return frame;
    }

    test(
      'the workspace is indexed, in the chosen theme, at a 300 px sidebar',
      shotOnFailure(async () => {
        await waitFor(
          async () => (await workbenchThemeKind(session.page)) === themeKind,
          async () => `the ${themeKind} theme (the workbench is ${await workbenchThemeKind(session.page)})`,
          30_000,
        );
        await clickActivityBarEntry(session.page, 'Longview');
        await setSidebarWidth(session.page);
        await waitFor(
          async () => (await indexPhase()) === 'ready',
          async () => `indexing to finish (phase ${await indexPhase()})`,
          INDEX_TIMEOUT_MS,
        );
        await shot('indexed');
      }),
    );

    test(
      "textwrap.py: the Summary leads with the module's docstring and its main class, which is a link",
      shotOnFailure(async () => {
        const frame = await summarize('textwrap.py');
        const about = frame.locator(`${SUMMARY} [data-testid="summary-about"]`);
        assert.equal(await about.textContent(), 'Text wrapping and filling.');
        assert.equal(await about.getAttribute('data-from'), 'file');
        // What the file is for comes first, before the counts, the Main line and the regions.
        const order = await frame.locator(`${SUMMARY} [data-testid]`).evaluateAll((nodes) => nodes.map((n) => n.dataset.testid));
        const at = (id) => order.indexOf(id);
        assert.ok(at('summary-about') >= 0 && at('summary-about') < at('summary-overview'), `about first: ${order.join(', ')}`);
        assert.ok(at('summary-overview') < at('summary-main') && at('summary-main') < at('region'), `then the counts, Main, regions`);
        const main = await frame.locator(`${SUMMARY} [data-testid="main-symbol"]`).allTextContents();
        assert.equal(main[0], 'TextWrapper', `the class leads (Main: ${main.join(', ')})`);
        // The module constant `_whitespace` is folded away with the private helpers.
        const folded = frame.locator(`${SUMMARY} [data-testid="minor-regions"]`, { has: frame.locator('[data-name="_whitespace"]') });
        assert.equal(await folded.count(), 1, '_whitespace is under a fold');
        assert.equal(await folded.getAttribute('open'), null, 'folded by default');
        assert.equal(await folded.locator('[data-name="_whitespace"]').isVisible(), false, 'and not shown until opened');
        await assertSidebarFits(frame);
        await frame.locator(SUMMARY).scrollIntoViewIfNeeded();
        await shot('textwrap-summary');

        const link = frame.locator(`${SUMMARY} a.region-link[data-name="TextWrapper"]`).first();
        const line = Number(await link.getAttribute('data-start-line'));
        assert.notEqual(await cursorLine(session.page), line);
        await frame.locator(`${SUMMARY} [data-testid="main-symbol"]`, { hasText: 'TextWrapper' }).click();
        await waitFor(
          async () => (await cursorLine(session.page)) === line,
          async () => `status bar "Ln ${line}" after clicking TextWrapper (it shows Ln ${await cursorLine(session.page)})`,
        );
        await shot('textwrap-main-clicked');
      }),
    );

    test(
      'json/__init__.py: a long reStructuredText docstring reads as one whole sentence of text',
      shotOnFailure(async () => {
        const frame = await summarize('json/__init__.py');
        const about = (await frame.locator(`${SUMMARY} [data-testid="summary-about"]`).textContent()) ?? '';
        assert.equal(
          about,
          'JSON (JavaScript Object Notation) <https://json.org> is a subset of JavaScript syntax (ECMA-262 3rd edition) used as a lightweight data interchange format.',
        );
        // Every description shown is text: no reST roles or backticks.
        const docs = await frame.locator(`${SUMMARY} .region-doc:not(.salient)`).allTextContents();
        assert.ok(docs.length > 0);
        for (const d of docs) assert.doesNotMatch(d, /`|:(mod|func|class):/, `description "${d}" is text`);
        await assertSidebarFits(frame);
        await frame.locator(SUMMARY).scrollIntoViewIfNeeded();
        await shot('json-summary');
      }),
    );

    test(
      'Summarize Workspace: each module with the line its own doc says, its key files as links',
      shotOnFailure(async () => {
        await runCommand(session.page, 'Longview: Summarize Workspace');
        const frame = await sidebar();
        const modules = frame.locator('[data-testid="module"]');
        await waitFor(async () => (await modules.count()) > 0, 'the module overview', 60_000);
        const about = async (module) =>
          frame.locator(`[data-testid="module"][data-module="${module}"] [data-testid="module-about"]`).textContent();
        assert.match((await about('json')) ?? '', /^JSON \(JavaScript Object Notation\) <https:\/\/json\.org> is a subset/);
        assert.equal(await about('appengine'), 'A memcache item with a value and timestamps.');
        for (const line of await frame.locator('[data-testid="module-about"]').allTextContents())
          assert.doesNotMatch(line, /`|\*\*|\]\(/, `module line "${line}" is text, not Markdown`);
        const shown = await modules.evaluateAll((nodes) => nodes.map((n) => n.dataset.module));
        assert.ok(shown.includes('napi') && shown.includes('syn'), `modules: ${shown.join(', ')}`);
        await assertSidebarFits(frame);
        await modules.first().scrollIntoViewIfNeeded();
        await shot('workspace-overview');
        // A key file is a link that opens it.
        await frame.locator('[data-testid="module"][data-module="appengine"] [data-testid="key-file"]').first().click();
        await waitFor(
          async () => (await activeEditorTitle(session.page)) === 'MemcacheItemWithTimestamps.php',
          'MemcacheItemWithTimestamps.php to open',
        );
      }),
    );

    test(
      "the heatmap's legend tells its steps apart, and the editor shows the active file's calm mark",
      shotOnFailure(async () => {
        await quickOpen(session.page, 'textwrap.py');
        const frame = await sidebar();
        const legend = frame.locator('[data-testid="heatmap-legend"]');
        await legend.waitFor({ state: 'visible', timeout: 120_000 });
        // Each step of the graded scale looks different from the others (a tint, or in high contrast an edge).
        const looks = await legend.locator('.swatch').evaluateAll((swatches) =>
          swatches.map((s) => {
            /* global getComputedStyle -- runs in the webview */
            const c = getComputedStyle(s);
            return `${c.backgroundImage} | ${c.borderLeftColor} ${c.borderLeftWidth}`;
          }),
        );
        assert.equal(new Set(looks).size, looks.length, `legend swatches are distinct: ${looks.join(' ; ')}`);
        const editor = activeEditor(session.page);
        const marked = () => editor.locator('.view-overlays [class*="ced-"]').count();
        const before = await marked();
        await runCommand(session.page, 'Longview: Toggle Recall Heatmap');
        await waitFor(async () => (await marked()) > before, 'heatmap marks in the editor', 30_000);
        await legend.scrollIntoViewIfNeeded();
        await assertSidebarFits(frame);
        await shot('heatmap-legend');
        await runCommand(session.page, 'Longview: Toggle Recall Heatmap');
      }),
    );

    /** The regions whose one number is compared on card, chart and hover: one of a file that is not open, one of the active file. */
    let otherRegion;
    let activeRegion;
    const askFrame = () => findFrameWith(session.page, `${SIDEBAR} #ask:not([hidden])`, 60_000);
    /**
     * Of `cards` (once every card's recall is measured), the one whose recall is nearest 50% (the first of
     * equals): a figure between "forgotten" and "just read" says most when three surfaces must show the same one.
     */
    async function mostTelling(frame, cards) {
      await waitForCardsMeasured(frame);
      let best;
      const distance = (read) => Math.abs(parseInt(read.recall, 10) - 50);
      for (const card of await cards.filter({ has: frame.locator('[data-testid="recall-badge"]') }).all()) {
        const read = await readCard(card);
        if (!best || distance(read) < distance(best.read)) best = { card, read };
      }
      return best;
    }

    test(
      'Ask about code in a file that is not open: the headline is text, a long snippet folds to whole lines, the citation reveals its range',
      shotOnFailure(async () => {
        await quickOpen(session.page, OTHER_FILE_QUESTION.activePath);
        const frame = await askFrame();
        const cards = await ask(frame, OTHER_FILE_QUESTION.question);
        assert.equal(await cards.first().getAttribute('data-path'), OTHER_FILE_QUESTION.answerPath, 'the best answer is in that file');
        // The headline says where, as text (assertSidebarFits: no Markdown marks).
        const headline = (await frame.locator('[data-testid="answer"]').textContent()) ?? '';
        assert.ok(headline.includes(`(${OTHER_FILE_QUESTION.answerPath}:`), `headline "${headline}" says where`);
        const { card, read } = await mostTelling(
          frame,
          frame.locator(`[data-testid="answer-card"]:not([data-path="${OTHER_FILE_QUESTION.activePath}"])`),
        );
        assert.notEqual(read.source, READ_EXACTLY_LABEL, 'a file that is not open is not read exactly');
        otherRegion = read;
        // A snippet longer than the fold shows exactly its folded lines, and opens to all of them.
        const rank = await frame.locator('[data-testid="answer-card"]:has(pre.snippet.folded)').first().getAttribute('data-rank');
        assert.ok(rank, 'a card with a folded snippet');
        await assertSnippetFolded(frame.locator(`[data-testid="answer-card"][data-rank="${rank}"]`));
        await assertSidebarFits(frame);
        await card.scrollIntoViewIfNeeded();
        await shot('ask-other-file');
        await assertCitationReveals(session.page, card.locator('[data-testid="citation"]'));
        await shot('citation-opened');
      }),
    );

    test(
      'Ask about the active file with the other file beside it: read exactly, and its citation reveals its range there',
      shotOnFailure(async () => {
        // The cited file stays open on the left, not active; the active file opens on the right.
        await runCommand(session.page, 'View: Split Editor Right');
        await quickOpen(session.page, ACTIVE_FILE_QUESTION.activePath);
        const frame = await askFrame();
        await ask(frame, ACTIVE_FILE_QUESTION.question);
        const { card, read } = await mostTelling(
          frame,
          frame.locator(`[data-testid="answer-card"][data-path="${ACTIVE_FILE_QUESTION.activePath}"]`),
        );
        assert.equal(read.source, READ_EXACTLY_LABEL);
        activeRegion = read;
        await assertSidebarFits(frame);
        await assertCitationReveals(session.page, card.locator('[data-testid="citation"]'));
        assert.equal(await session.page.locator('.editor-group-container').count(), 2, 'in the group it was already shown in');
        await card.scrollIntoViewIfNeeded();
        await shot('active-file-answer');
      }),
    );

    test(
      "one number: each region's recall is the same on its card, its chart dot and the heatmap's hover",
      shotOnFailure(async () => {
        assert.ok(otherRegion && activeRegion, 'both questions were answered');
        const frame = await askFrame();
        await waitFor(async () => (await frame.locator('[data-testid="recall-progress"]').count()) === 0, 'recall to be measured', 120_000);
        for (const [region, active] of [
          [otherRegion, false],
          [activeRegion, true],
        ]) {
          const dot = chartDot(frame, region);
          await dot.waitFor({ state: 'attached', timeout: 30_000 });
          assert.equal(await dot.getAttribute('data-active'), String(active), `${region.path} is ${active ? '' : 'not '}the active file`);
          assert.equal(await dot.getAttribute('data-recall'), region.recall, `the chart shows ${region.symbol}'s recall as its card did`);
        }

        // Reading on, the cursor moves (focus is in the editor the citation opened): its highlight goes, as after Go to Definition.
        await session.page.keyboard.press('End');
        const other = activeEditor(session.page, false);
        const tinted = () => other.locator('.view-overlays [class*="ced-"]').count();
        await runCommand(session.page, 'Longview: Toggle Recall Heatmap');
        await waitFor(async () => (await tinted()) > 0, 'heatmap marks in the editor that is not active', 30_000);
        // The memory's recall of the other file's region, hovered where it is shown, beside the active editor.
        const hoverOther = await heatmapHover(session.page, other, otherRegion.startLine);
        assert.ok(
          hoverOther.text.includes(`${otherRegion.symbol} · remembered ${otherRegion.recall}`),
          `hover "${hoverOther.text}" leads with ${otherRegion.symbol}'s remembered ${otherRegion.recall}`,
        );
        assert.ok(hoverOther.paragraphs.length >= 3, `plain words, then figures (${JSON.stringify(hoverOther.paragraphs)})`);
        assert.doesNotMatch(hoverOther.paragraphs[1], /active file|nats|token pairs|probe/, 'plain words about memory, figures after');
        assert.match(hoverOther.paragraphs.at(-1), new RegExp(`^Figures: recall ${otherRegion.recall} · read [\\d,]+ tokens`));
        await shot('heatmap-hover-other-file');

        // The active file's region: read exactly, said in words; the number is still the memory's.
        await frame
          .locator(
            `[data-testid="answer-card"][data-path="${activeRegion.path}"]:has([data-testid="citation"][data-start-line="${activeRegion.startLine}"])`,
          )
          .first()
          .scrollIntoViewIfNeeded();
        const hoverActive = await heatmapHover(session.page, activeEditor(session.page), activeRegion.startLine);
        assert.ok(
          hoverActive.text.includes(`${activeRegion.symbol} · remembered ${activeRegion.recall}`),
          `hover "${hoverActive.text}" leads with ${activeRegion.symbol}'s remembered ${activeRegion.recall}`,
        );
        assert.match(hoverActive.paragraphs[1] ?? '', /^This is the active file: Longview reads it exactly/);
        assert.match(hoverActive.paragraphs.at(-1), new RegExp(`^Figures: recall ${activeRegion.recall} · read [\\d,]+ tokens`));
        await shot('heatmap-hover-active-file');
        await session.page.mouse.move(session.page.viewportSize().width / 2, 8);
        await runCommand(session.page, 'Longview: Toggle Recall Heatmap');
      }),
    );
  });
}
