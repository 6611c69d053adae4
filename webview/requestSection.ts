// Which section a request's error is shown in: the one whose control sent it, so a failed question
// reads under Ask and a failed refresh under Recall. Pure (no DOM), unit-tested under plain Node.
import type { SectionName, WebviewMethod, WebviewRequests } from '../extension/protocol';

/** A request as the webview sends it (the id aside). */
export type SentRequest = { [M in WebviewMethod]: { method: M; params: WebviewRequests[M]['params'] } }[WebviewMethod];

/**
 * The section of `request`. A location link sits in several sections (answer cards, the Recall
 * table and comparison, the workspace overview), so its sender names the section (`from`); the
 * rest follows from the request. What belongs to no section (the handshake, Restricted Mode's
 * button above the sections) goes to Summary, the one section shown even without an index.
 */
export function requestSection(request: SentRequest, from?: SectionName): SectionName {
  switch (request.method) {
    case 'ask':
      return request.params.mode === 'memory' ? 'recall' : 'ask'; // memory alone: the Recall section's comparison
    case 'refreshRecall':
      return 'recall';
    case 'runCommand':
      return request.params.command === 'longview.toggleRecallHeatmap' ? 'recall' : 'summary';
    case 'openLocation':
      return from ?? 'summary';
    case 'summarizeActiveFile':
    case 'revealRange':
    case 'summarizeWorkspace':
    case 'copyMarkdown':
    case 'ready':
    case 'indexUntrustedWorkspace':
      return 'summary';
  }
}
