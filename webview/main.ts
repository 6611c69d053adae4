// The sidebar webview's entry (bundled to dist/webview.js). Handshakes with the extension, then
// renders the Summary section whenever a new summary arrives.
import type { SummaryState } from '../extension/protocol';
import { Host } from './host';
import { renderSummary, summaryAnnouncement, type SummaryActions } from './summaryView';
import { enableArrowKeyNavigation } from './keyboard';
import './sidebar.css';

interface SavedState {
  summary: SummaryState;
}

const api = acquireVsCodeApi<SavedState>();
const host = new Host(api);
const summaryBody = document.getElementById('summary-body') as HTMLElement;
const summaryStatus = document.getElementById('summary-status') as HTMLElement;
const summarizeButton = document.getElementById('summarize-button') as HTMLButtonElement;

const actions: SummaryActions = {
  reveal: (uri, startLine, endLine) => {
    host.request('revealRange', { uri, startLine, endLine }).catch(showError);
  },
};

let rendered = '';

function show(summary: SummaryState): void {
  // The same summary again (the command re-run, an edit that moved nothing): keep the DOM, and
  // with it the keyboard focus.
  const text = JSON.stringify(summary);
  if (text === rendered) return;
  rendered = text;
  renderSummary(summaryBody, summary, actions);
  summaryStatus.textContent = summaryAnnouncement(summary);
  api.setState({ summary }); // shown at once when the view is re-created, before the handshake answers
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const note = document.createElement('p');
  note.className = 'error';
  note.setAttribute('role', 'alert');
  note.textContent = message;
  summaryBody.prepend(note);
}

const saved = api.getState();
if (saved?.summary) show(saved.summary);

host.onEvent((event) => {
  if (event.event === 'summary') show(event.data);
});
summarizeButton.addEventListener('click', () => {
  host.request('summarizeActiveFile', {}).then(show, showError);
});
enableArrowKeyNavigation(summaryBody, 'a.region-link, a.line-link');

host.request('ready', {}).then((ready) => show(ready.summary), showError);
