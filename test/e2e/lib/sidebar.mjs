// What every screenshot of Longview's sidebar must hold at the width the tests set (SIDEBAR_WIDTH),
// shared by the suites that look at it.
import assert from 'node:assert/strict';
import { SIDEBAR_WIDTH } from './workbench.mjs';

/** The sidebar webview's root element. */
export const SIDEBAR = '#app';

/**
 * What every screenshot of the sidebar must hold at 300 px: nothing wider than the view, each
 * citation's "file:line" on one line and inside its card, each icon a codicon glyph from the loaded
 * font (never an empty box), and answer headlines without Markdown marks.
 */
export async function assertSidebarFits(frame) {
  /* global document, getComputedStyle -- the function below runs in the webview's page */
  const report = await frame.evaluate(async () => {
    await document.fonts.ready;
    const codiconFont = [...document.fonts].some((f) => /codicon/.test(f.family) && f.status === 'loaded');
    const icons = [...document.querySelectorAll('.icon-button')].filter((b) => b.offsetParent !== null);
    const badIcons = icons
      .filter((b) => {
        const glyph = b.querySelector('.codicon');
        if (!glyph) return true;
        const before = getComputedStyle(glyph, '::before');
        return !/codicon/.test(before.fontFamily) || before.content === 'none' || before.content === '""';
      })
      .map((b) => b.getAttribute('aria-label'));
    const brokenTails = [...document.querySelectorAll('.path-tail')]
      .filter((t) => t.offsetParent !== null)
      .filter((t) => {
        const box = (t.closest('.card, td, li') ?? document.body).getBoundingClientRect();
        return t.getClientRects().length !== 1 || t.getBoundingClientRect().right > box.right + 0.5;
      })
      .map((t) => t.textContent);
    const headlines = [...document.querySelectorAll('[data-testid="answer"]')].map((a) => a.textContent);
    return {
      width: document.documentElement.clientWidth,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      codiconFont,
      icons: icons.length,
      badIcons,
      brokenTails,
      headlines,
    };
  });
  assert.ok(report.width <= SIDEBAR_WIDTH, `the sidebar's content is ${report.width} px wide`);
  assert.ok(report.overflow <= 0, `nothing is wider than the sidebar (overflow ${report.overflow} px)`);
  assert.ok(report.codiconFont, 'the codicon font is loaded');
  assert.ok(report.icons > 0, 'icon buttons are shown');
  assert.deepEqual(report.badIcons, [], 'every icon is a codicon glyph');
  assert.deepEqual(report.brokenTails, [], 'every file:line stays on one line, inside its card, cell or row');
  for (const h of report.headlines) assert.doesNotMatch(h, /^#{1,6}\s|`|\*\*|\]\(/, `headline "${h}" is text, not Markdown`);
}
