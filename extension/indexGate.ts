// Whether Longview may read the workspace's files now. In a trusted workspace: yes. In Restricted
// Mode (an untrusted workspace) indexing waits for the user: the sidebar's "Index this workspace",
// the command Index Workspace (Restricted Mode), or granting trust. The user's go-ahead lasts for this
// window's session only (not stored): a folder opened again in Restricted Mode waits again, as
// VS Code's own "trust" question is the lasting answer. vscode-free, so it is unit-tested under plain Node.

/** Why the index waits, as the sidebar and the status bar say it. */
export const RESTRICTED_WAIT_REASON =
  'This workspace is in Restricted Mode, so Longview has not read any of its files. Indexing reads every file into the local model (no workspace code runs, nothing leaves this machine); it starts when you click Index this workspace, run Longview: Index Workspace (Restricted Mode), or trust the workspace.';

export interface IndexGateInput {
  /** vscode.workspace.isTrusted */
  trusted: boolean;
  /** The user asked to index this untrusted workspace in this session. */
  allowedThisSession: boolean;
}

export type IndexDecision = { index: true; because: 'trusted' | 'allowed' } | { index: false; because: 'restricted' };

export function mayIndexNow(input: IndexGateInput): IndexDecision {
  if (input.trusted) return { index: true, because: 'trusted' };
  if (input.allowedThisSession) return { index: true, because: 'allowed' };
  return { index: false, because: 'restricted' };
}

/** The session's go-ahead: held in memory by the index service, so a new window starts without it. */
export class IndexConsent {
  private allowed = false;

  /** The user asked to index in Restricted Mode; true when this changed anything. */
  allow(): boolean {
    const changed = !this.allowed;
    this.allowed = true;
    return changed;
  }

  decide(trusted: boolean): IndexDecision {
    return mayIndexNow({ trusted, allowedThisSession: this.allowed });
  }
}
