// Starts code-server (a real VS Code served to the browser) with Longview loaded from this repository,
// on a free loopback port, with a fresh user-data-dir and extensions dir, and stops it by its PID.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_BIN, EXTENSION_DIR, RESULTS_DIR } from './paths.mjs';

/** VS Code's own theme names, as `workbench.colorTheme` takes them. */
export const THEMES = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
};

/** VS Code's high-contrast themes, keyed by the kind workbenchThemeKind reads for them. */
export const HIGH_CONTRAST_THEMES = {
  'hc-black': 'Default High Contrast',
  'hc-light': 'Default High Contrast Light',
};

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** Servers still running, so that a crash of the test process does not leave them behind. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

/**
 * Starts code-server on a copy of `fixtureDir` with the given colour theme; `restricted`: with
 * workspace trust on and the folder not trusted (Restricted Mode, no startup prompt); `extensionDir`:
 * the extension folder loaded (default EXTENSION_DIR; the package test passes an installed .vsix's).
 * Returns { url, workspace, userDataDir, pid, stop() }; `stop` is safe to call more than once.
 */
export async function startCodeServer({ fixtureDir, theme, label, restricted = false, extensionDir = EXTENSION_DIR }) {
  const scratch = mkdtempSync(join(tmpdir(), `longview-e2e-${label}-`));
  // A copy, so nothing the extension or VS Code writes (caches, .vscode/) lands in the repository.
  const workspace = join(scratch, 'workspace');
  cpSync(fixtureDir, workspace, { recursive: true });
  const userDataDir = join(scratch, 'user');
  writeUserSettings(userDataDir, theme, restricted);
  const extensionsDir = join(scratch, 'extensions');
  linkExtensionUnderTest(extensionsDir, extensionDir);

  const port = await freePort();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logPath = join(RESULTS_DIR, `code-server-${label}.log`);
  const logFd = openSync(logPath, 'w');
  const child = spawn(
    CODE_SERVER_BIN,
    [
      // Its own config file, so code-server does not create one in the home folder.
      '--config',
      join(scratch, 'config.yaml'),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(restricted ? [] : ['--disable-workspace-trust']),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      workspace,
    ],
    // Its own process group: code-server forks the real server and the extension host, and
    // stopping the group by the leader's PID takes them all down together.
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  running.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child.pid, 'SIGTERM');
    const done = await Promise.race([exited, delay(STOP_GRACE_MS).then(() => null)]);
    if (!done) {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    }
    running.delete(child.pid);
    rmSync(scratch, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, exited, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${url}/?folder=${encodeURIComponent(workspace)}`, workspace, userDataDir, pid: child.pid, logPath, stop };
}

function writeUserSettings(userDataDir, theme, restricted) {
  const settingsDir = join(userDataDir, 'User');
  mkdirSync(settingsDir, { recursive: true });
  const settings = {
    'workbench.colorTheme': theme,
    // Quiet start: no welcome page, tips, walkthroughs or update prompts covering what the test clicks.
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': restricted,
    // Restricted Mode without the modal question at start: the folder simply opens untrusted.
    ...(restricted ? { 'security.workspace.trust.startupPrompt': 'never' } : {}),
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
    // VS Code for the web saves after a delay by default: typed text must stay unsaved (unsaved.test.mjs).
    'files.autoSave': 'off',
    // The built-in PHP support looks for a php binary and says so in a toast over the editor.
    'php.validate.enable': false,
  };
  writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** `--install-extension` refuses a folder; a link named publisher.name-version is loaded as installed. */
function linkExtensionUnderTest(extensionsDir, extensionDir) {
  mkdirSync(extensionsDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  symlinkSync(extensionDir, join(extensionsDir, id), 'dir');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(url, exited, logPath) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let exit = null;
  exited.then((e) => {
    exit = e;
  });
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(`code-server exited during startup (${JSON.stringify(exit)}); log:\n${tail(logPath)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${STARTUP_TIMEOUT_MS} ms; log:\n${tail(logPath)}`);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // ESRCH: already gone.
  }
}

function tail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
