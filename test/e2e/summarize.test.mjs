// Summarize Current File in a real VS Code (code-server + Chromium), in the light and the dark theme:
// the sidebar's Summary section must list exactly the fixture file's symbols, and clicking one must
// move the editor to its line. Screenshots of each step go to test-results/e2e/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSession } from './lib/session.mjs';
import { THEMES } from './lib/code-server.mjs';
import {
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

/**
 * Every symbol of each fixture file, in source order, with the 1-based line its region starts on
 * (the declaration, or its first decorator). Written from the files in test/fixtures/workspace/:
 * change both together.
 */
const FIXTURES = [
  {
    path: 'src/inventory.ts',
    symbols: [
      { name: 'StockItem', line: 4 },
      { name: 'Inventory', line: 15 },
      { name: 'receive', line: 19 },
      { name: 'sell', line: 29 },
      { name: 'lowStock', line: 37 },
      { name: 'describeItem', line: 43 },
    ],
    clickName: 'sell',
  },
  {
    path: 'tools/report.py',
    symbols: [
      { name: 'StockReport', line: 7 },
      { name: '__init__', line: 10 },
      { name: 'from_csv', line: 13 },
      { name: 'to_text', line: 19 },
      { name: 'main', line: 25 },
    ],
    clickName: 'to_text',
  },
];

/** A file with no outline (JSON): the Summary must say so rather than show a wrong one. */
const UNSUPPORTED_FIXTURE = 'config/shipping-zones.json';

const SUMMARY = 'section#summary[aria-label="Summary"]';

for (const [themeKind, themeName] of Object.entries(THEMES)) {
  describe(`Summarize Current File, ${themeKind} theme`, { timeout: 300_000 }, () => {
    const session = e2eSession({ prefix: `summarize-${themeKind}`, theme: themeName });
    const { shotOnFailure, shot } = session;

    test(
      `the workbench uses the ${themeName} theme`,
      shotOnFailure(async () => {
        // The workbench first paints with its built-in theme, then applies the user's once the
        // theme extensions are scanned.
        await waitFor(
          async () => (await workbenchThemeKind(session.page)) === themeKind,
          async () => `the ${themeKind} theme (the workbench is ${await workbenchThemeKind(session.page)})`,
          30_000,
        );
        await shot('workbench');
      }),
    );

    test(
      'the activity bar has a Longview entry that opens its sidebar',
      shotOnFailure(async () => {
        await clickActivityBarEntry(session.page, 'Longview');
        await setSidebarWidth(session.page);
        await findFrameWith(session.page, SUMMARY);
        await shot('sidebar');
      }),
    );

    for (const fixture of FIXTURES) {
      const fileName = fixture.path.split('/').pop();

      test(
        `${fixture.path}: the outline lists exactly its symbols, and a link moves the editor`,
        shotOnFailure(async () => {
          await quickOpen(session.page, fixture.path);
          assert.equal(await activeEditorTitle(session.page), fileName);
          await shot(`${fileName}-opened`);

          await runCommand(session.page, 'Longview: Summarize Current File');
          const frame = await findFrameWith(session.page, `${SUMMARY} [data-testid="summary-file"]`);
          const header = frame.locator('[data-testid="summary-file"]');
          await waitFor(async () => (await header.textContent())?.includes(fileName), `summary header ${fileName}`);
          const links = frame.locator(`${SUMMARY} a.region-link[data-testid="region"]`);
          await waitFor(async () => (await links.count()) > 0, `region links for ${fileName}`);
          await shot(`${fileName}-summary`);

          const shown = await links.evaluateAll((anchors) =>
            anchors.map((a) => ({ name: a.dataset.name, line: Number(a.dataset.startLine) })),
          );
          assert.deepEqual(shown, fixture.symbols, `outline of ${fixture.path}`);
          // The summary leads with its main symbols (at most three, ranked), each one of the outline's.
          const main = await frame.locator(`${SUMMARY} [data-testid="main-symbol"]`).allTextContents();
          assert.ok(main.length <= 3, `at most three main symbols (${main.join(', ')})`);
          for (const name of main)
            assert.ok(
              fixture.symbols.some((s) => s.name === name),
              `main symbol ${name} is in the outline`,
            );

          const target = fixture.symbols.find((s) => s.name === fixture.clickName);
          // Start elsewhere, so that a link that does nothing cannot pass by luck.
          assert.notEqual(await cursorLine(session.page), target.line);
          await frame.locator(`${SUMMARY} a.region-link[data-name="${target.name}"]`).click();
          await waitFor(
            async () => (await cursorLine(session.page)) === target.line,
            async () => `status bar "Ln ${target.line}" after clicking ${target.name} (it shows Ln ${await cursorLine(session.page)})`,
          );
          assert.equal(await activeEditorTitle(session.page), fileName);
          await shot(`${fileName}-clicked-${target.name}`);
        }),
      );
    }

    test(
      `${UNSUPPORTED_FIXTURE}: the summary says its language is not supported, with no outline`,
      shotOnFailure(async () => {
        const fileName = UNSUPPORTED_FIXTURE.split('/').pop();
        await quickOpen(session.page, UNSUPPORTED_FIXTURE);
        await runCommand(session.page, 'Longview: Summarize Current File');
        const frame = await findFrameWith(session.page, `${SUMMARY} [data-testid="unsupported"]`);
        const header = frame.locator(`${SUMMARY} [data-testid="summary-file"]`);
        assert.ok((await header.textContent())?.includes(fileName), `summary header names ${fileName}`);
        assert.equal(await frame.locator(`${SUMMARY} a.region-link`).count(), 0);
        await shot(`${fileName}-unsupported`);
      }),
    );
  });
}
