// Drives the VS Code workbench in Chromium the way a person would: keyboard shortcuts, the
// command palette, Quick Open, the activity bar, the status bar and webview views.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN, RESULTS_DIR } from './paths.mjs';
import { delay } from './code-server.mjs';

// Without the background-networking flags Chromium keeps dialling hosts this closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WORKBENCH_TIMEOUT_MS = 90_000;

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS, headless: true });
}

/** Opens the workbench at `url` and waits until it is drawn. */
export async function openWorkbench(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  // The explorer showing the folder means the workspace, not just the shell, has loaded.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  return page;
}

/** 'light', 'dark', 'hc-black' or 'hc-light', read from the class VS Code puts on the workbench for the active theme. */
export async function workbenchThemeKind(page) {
  const classes = await page.locator('.monaco-workbench').getAttribute('class');
  if (/\bvs-dark\b/.test(classes)) return 'dark';
  const hc = /\bhc-(black|light)\b/.exec(classes);
  if (hc) return hc[0];
  if (/\bvs\b/.test(classes)) return 'light';
  return `unknown (${classes})`;
}

/** Clicks the activity-bar entry whose aria-label contains `title`. */
export async function clickActivityBarEntry(page, title) {
  const entry = page.locator(`.part.activitybar [aria-label*="${title}"]`).first();
  await entry.waitFor({ state: 'visible', timeout: 30_000 });
  await entry.click();
  // Park the pointer on the title bar, or the entry's tooltip stays over the sidebar in screenshots.
  await page.mouse.move(page.viewportSize().width / 2, 8);
}

/** The sidebar width the tests look at the Longview views in: narrow, as people keep it. */
export const SIDEBAR_WIDTH = 300;

/**
 * Sets the primary sidebar to `width` CSS pixels the way a person does, by dragging the sash on its
 * edge, and checks it took. Call it with the sidebar open.
 */
export async function setSidebarWidth(page, width = SIDEBAR_WIDTH) {
  const part = page.locator('.part.sidebar').first();
  await part.waitFor({ state: 'visible', timeout: 30_000 });
  const measure = async () => Math.round((await part.boundingBox())?.width ?? 0);
  for (let attempt = 1; attempt <= 3 && Math.abs((await measure()) - width) > 1; attempt++) {
    const box = await part.boundingBox();
    const edge = box.x + box.width;
    const y = box.y + box.height / 2;
    await page.mouse.move(edge - 1, y);
    await page.mouse.down();
    await page.mouse.move(edge + (box.x + width - edge) / 2, y, { steps: 4 });
    await page.mouse.move(box.x + width, y, { steps: 4 });
    await page.mouse.up();
    await delay(300);
  }
  const got = await measure();
  if (Math.abs(got - width) > 1) throw new Error(`the sidebar is ${got} px wide, not ${width}`);
  await page.mouse.move(page.viewportSize().width / 2, 8);
}

/** Runs a command by its palette label (e.g. "Longview: Summarize Current File"). */
export async function runCommand(page, label) {
  await chooseFromQuickInput(page, 'F1', `>${label}`, label, 15_000);
}

/** Opens a file by its workspace-relative path through Quick Open, and waits for its tab. */
export async function quickOpen(page, relativePath) {
  const fileName = relativePath.split('/').pop();
  // File results come from a ripgrep search: wait for the row rather than pressing Enter blind.
  await chooseFromQuickInput(page, 'Control+P', relativePath, fileName, 30_000);
  await waitFor(async () => (await activeEditorTitle(page)) === fileName, `editor tab ${fileName}`);
  // The cursor must be in the editor for "current file" commands and the status bar's Ln item.
  await page.locator('.editor-group-container.active .monaco-editor').first().waitFor({ state: 'visible' });
}

/**
 * Opens the quick input with `shortcut`, types `text` and clicks the first row showing `rowText`.
 * Opening and typing are retried until `timeoutMs`: the quick input closes when it loses focus, and
 * focus can still be on its way elsewhere (an editor revealed from a webview link takes it a moment
 * later). The click is not: a row that was clicked has run.
 */
async function chooseFromQuickInput(page, shortcut, text, rowText, timeoutMs) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText }).first();
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    try {
      if (!(await input.isVisible())) await page.keyboard.press(shortcut);
      await input.waitFor({ state: 'visible', timeout: 2_000 });
      if ((await input.inputValue({ timeout: 1_000 })) !== text) await input.fill(text, { timeout: 2_000 });
      await row.click({ timeout: 5_000 });
    } catch (error) {
      lastError = `attempt ${attempt}: ${error.message.split('\n')[0]}`;
      continue;
    }
    // Clicked: never again, or a toggling command would run twice.
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
    return;
  }
  throw new Error(`no row "${rowText}" after typing "${text}" within ${timeoutMs} ms (${lastError})`);
}

export async function activeEditorTitle(page) {
  const tab = page.locator('.editor-group-container.active .tab.active .label-name').first();
  return (await tab.count()) ? (await tab.textContent())?.trim() : undefined;
}

/** The cursor's line in the active editor, from the status bar's "Ln N, Col M" item. */
export async function cursorLine(page) {
  const item = page.locator('.statusbar [id="status.editor.selection"]').first();
  if (!(await item.count())) return undefined;
  const match = /Ln (\d+)/.exec((await item.textContent()) ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The frame (of the nested webview iframes) that holds `selector`. Webview content lives two
 * iframes deep and is (re)created lazily, so this polls page.frames() until one matches.
 */
export async function findFrameWith(page, selector, timeoutMs = 30_000) {
  let frame;
  await waitFor(
    async () => {
      for (const candidate of page.frames()) {
        try {
          if ((await candidate.locator(selector).count()) > 0) {
            frame = candidate;
            return true;
          }
        } catch {
          // A frame detached while we looked at it (webviews reload); try the next poll.
        }
      }
      return false;
    },
    `a frame containing ${selector}`,
    timeoutMs,
  );
  return frame;
}

/**
 * Polls `check` until it returns true. `what` names what was awaited in the failure message; a
 * function is called only then, so the message can say what was seen last.
 */
export async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? await what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await delay(200);
  }
}

/** Saves a full-page screenshot as test-results/e2e/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Removes a suite's screenshots from an earlier run, so that none left over is taken for this run's. */
export function clearScreenshots(prefix) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const name of readdirSync(RESULTS_DIR)) {
    if (name.startsWith(`${prefix}-`) && name.endsWith('.png')) rmSync(join(RESULTS_DIR, name));
  }
}

/** The editor of the active editor group; `activeEditor(page, false)`: the (first) editor of a group that is not active. */
export function activeEditor(page, active = true) {
  return page.locator(`.editor-group-container${active ? '.active' : ':not(.active)'} .monaco-editor`).first();
}

/** The line numbers an editor shows whole on screen, in order (the gutter's numbers, as a person reads them). */
export async function visibleLineNumbers(editor) {
  return editor.evaluate((root) => {
    const view = root.querySelector('.overflow-guard')?.getBoundingClientRect();
    if (!view) return [];
    return [...root.querySelectorAll('.margin-view-overlays .line-numbers')]
      .filter((n) => {
        const box = n.getBoundingClientRect();
        return box.height > 0 && box.top >= view.top - 0.5 && box.bottom <= view.bottom + 0.5;
      })
      .map((n) => Number(n.textContent))
      .filter((n) => Number.isInteger(n) && n > 0)
      .sort((a, b) => a - b);
  });
}

/**
 * Rests the pointer on the text of line `line` of `editor` (on screen) until a hover containing
 * `hasText` shows, as a person would: if none came (the editor was still settling), off the line and
 * back. Returns the hover's locator; the pointer stays, so the hover stays for a screenshot.
 */
export async function hoverLine(page, editor, line, hasText) {
  const number = editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText }).first();
  for (let attempt = 1; ; attempt++) {
    const box = await number.boundingBox();
    const content = await editor.locator('.view-lines').boundingBox();
    if (!box || !content) throw new Error(`line ${line} is not on screen`);
    await page.mouse.move(content.x + 60, box.y + box.height / 2);
    try {
      await hover.waitFor({ state: 'visible', timeout: 7_500 });
      // Monaco fades a hover in: a screenshot taken before its animations end shows it half drawn.
      await hover.evaluate((node) =>
        Promise.all(
          node.ownerDocument
            .getAnimations()
            .filter((a) => a.effect?.getTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => {})),
        ),
      );
      return hover;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.mouse.move(content.x + 60, box.y - 5 * box.height);
    }
  }
}
