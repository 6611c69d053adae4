// One end-to-end session, as every suite sets it up: checks the tools and the build, starts
// code-server on a copy of a fixture folder (`prepare(dir)` may add to the copy first), opens Chromium
// on it, and afterwards leaves a last screenshot and closes the browser and the server, also after a
// failure. Call it inside a `describe`: it registers that suite's `before` and `after`.
import { after, before } from 'node:test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_WORKSPACE, assertExtensionBuilt, assertToolsInstalled } from './paths.mjs';
import { startCodeServer } from './code-server.mjs';
import { clearScreenshots, launchBrowser, openWorkbench, screenshot } from './workbench.mjs';

/**
 * `prefix` names the suite's screenshots (test-results/e2e/<prefix>-NN-<what>.png, earlier ones removed)
 * and its server log; `theme` is a VS Code theme name; `restricted`: Restricted Mode (startCodeServer).
 * Returns { page, server, shot(what), shotOnFailure(body) }; `page` and `server` are set once `before` ran.
 */
export function e2eSession({ prefix, theme, fixtureDir = FIXTURE_WORKSPACE, prepare, restricted = false }) {
  let step = 0;
  let copy;
  const session = {
    page: undefined,
    server: undefined,
    browser: undefined,
    /** A numbered screenshot of the whole window. */
    shot: (what) => screenshot(session.page, `${prefix}-${String(++step).padStart(2, '0')}-${what}`),
    /** A test body that leaves a screenshot of the screen it failed on. */
    shotOnFailure: (body) => async () => {
      try {
        await body();
      } catch (error) {
        await session.shot('FAILED').catch(() => {});
        throw error;
      }
    },
  };

  before(async () => {
    clearScreenshots(prefix);
    assertToolsInstalled();
    assertExtensionBuilt();
    let source = fixtureDir;
    if (prepare) {
      copy = mkdtempSync(join(tmpdir(), `longview-${prefix}-fixture-`));
      cpSync(fixtureDir, copy, { recursive: true });
      await prepare(copy);
      source = copy;
    }
    session.server = await startCodeServer({ fixtureDir: source, theme, label: prefix, restricted });
    session.browser = await launchBrowser();
    session.page = await openWorkbench(session.browser, session.server.url);
  });

  after(async () => {
    if (session.page) await session.shot('final').catch(() => {});
    await session.browser?.close().catch(() => {});
    await session.server?.stop();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  return session;
}
