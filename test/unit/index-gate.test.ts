// Restricted Mode: indexing waits for the user (extension/indexGate.ts), and the words and the
// command the gate names exist where it says (package.json, the sidebar).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IndexConsent, mayIndexNow, RESTRICTED_WAIT_REASON } from '../../extension/indexGate';

test('a trusted workspace is indexed at once; an untrusted one only after the go-ahead', () => {
  assert.deepEqual(mayIndexNow({ trusted: true, allowedThisSession: false }), { index: true, because: 'trusted' });
  assert.deepEqual(mayIndexNow({ trusted: true, allowedThisSession: true }), { index: true, because: 'trusted' });
  assert.deepEqual(mayIndexNow({ trusted: false, allowedThisSession: false }), { index: false, because: 'restricted' });
  assert.deepEqual(mayIndexNow({ trusted: false, allowedThisSession: true }), { index: true, because: 'allowed' });
});

test('the go-ahead lasts for the session that gave it: a new one (a new window) waits again', () => {
  const consent = new IndexConsent();
  assert.equal(consent.decide(false).index, false);
  assert.equal(consent.allow(), true);
  assert.equal(consent.allow(), false); // a second click changes nothing
  assert.equal(consent.decide(false).index, true);
  assert.equal(new IndexConsent().decide(false).index, false);
  assert.equal(new IndexConsent().decide(true).index, true); // trust needs no go-ahead
});

test('the command the waiting line names is contributed, shown only in Restricted Mode, and described', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const command = pkg.contributes.commands.find((c: { command: string }) => c.command === 'longview.indexUntrustedWorkspace');
  assert.ok(command, 'package.json contributes longview.indexUntrustedWorkspace');
  assert.ok(RESTRICTED_WAIT_REASON.includes(`${command.category}: ${command.title}`), RESTRICTED_WAIT_REASON);
  assert.ok(
    pkg.contributes.menus.commandPalette.some(
      (m: { command: string; when?: string }) => m.command === command.command && m.when === '!isWorkspaceTrusted',
    ),
  );
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /reads none of the workspace's files until you ask/);
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /Index Workspace \(Restricted Mode\)/);
});

test('the sidebar has the button the waiting line names', () => {
  const html = readFileSync('extension/views/sidebarHtml.ts', 'utf8'); // the shell imports vscode: read as text
  assert.match(html, /<button[^>]*id="index-untrusted-button"[^>]*>Index this workspace<\/button>/);
  assert.ok(RESTRICTED_WAIT_REASON.includes('Index this workspace'));
});
