// The sidebar webview's entry (bundled to dist/webview.js). Handshakes with the extension, then
// renders each section (Ask, Summary, Recall) whenever its state arrives; sections the extension
// does not list are hidden.
import type { AskState, AskView, IndexState, RecallState, SectionName, SummaryState, WorkspaceSummaryView } from '../extension/protocol';
import { Host } from './host';
import { renderAsk, type LocationActions } from './askView';
import { QuestionHistory } from './questionHistory';
import { renderComparison, renderRecall, updateRecallProgress, type RecallTableState } from './recallView';
import type { SortKey } from './recallTable';
import { renderSummary, renderWorkspaceSummary, summaryAnnouncement, type SummaryActions } from './summaryView';
import { enableArrowKeyNavigation } from './keyboard';
import { indexLineText, restrictedNotice } from './indexText';
import './sidebar.css';

interface SavedState {
  summary: SummaryState;
  history?: string[];
  sort?: RecallTableState;
}

const api = acquireVsCodeApi<SavedState>();
const host = new Host(api);
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const sections: Record<SectionName, HTMLElement> = { ask: byId('ask'), summary: byId('summary'), recall: byId('recall') };
const indexLine = byId('index-line');
const restricted = byId('restricted');
const restrictedWhy = byId('restricted-why');
const indexUntrustedButton = byId<HTMLButtonElement>('index-untrusted-button');
const askInput = byId<HTMLInputElement>('ask-input');
const askBody = byId('ask-body');
const summaryBody = byId('summary-body');
const workspaceSummaryBody = byId('workspace-summary-body');
const summaryStatus = byId('summary-status');
const recallBody = byId('recall-body');
const compareBody = byId('compare-body');
const workspaceButton = byId<HTMLButtonElement>('summarize-workspace-button');

const saved = api.getState();
const history = new QuestionHistory(saved?.history ?? []);
let summaryState: SummaryState = saved?.summary ?? { status: 'empty' };
let askState: AskState = { status: 'empty' };
let recallState: RecallState = { status: 'empty', reason: 'The workspace is not indexed yet.' };
let sort: RecallTableState = saved?.sort ?? { key: 'distanceTokens', descending: false };
let compareOn = false;
let memoryView: AskView | null = null;

function persist(): void {
  api.setState({ summary: summaryState, history: history.all, sort });
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const note = document.createElement('p');
  note.className = 'error';
  note.setAttribute('role', 'alert');
  note.setAttribute('data-testid', 'sidebar-error');
  note.textContent = message;
  summaryBody.prepend(note);
}

const locations: LocationActions = {
  open: (uri, startLine, endLine) => {
    host.request('openLocation', { uri, startLine, endLine }).catch(showError);
  },
};
const summaryActions: SummaryActions = {
  reveal: (uri, startLine, endLine) => {
    host.request('revealRange', { uri, startLine, endLine }).catch(showError);
  },
};

let renderedSummary = '';
function showSummary(summary: SummaryState): void {
  // The same summary again (the command re-run, an edit that moved nothing): keep the DOM, and
  // with it the keyboard focus.
  const text = JSON.stringify(summary);
  if (text === renderedSummary) return;
  renderedSummary = text;
  summaryState = summary;
  renderSummary(summaryBody, summary, summaryActions);
  summaryStatus.textContent = summaryAnnouncement(summary);
  persist(); // shown at once when the view is re-created, before the handshake answers
}

function showSections(names: SectionName[]): void {
  for (const [name, element] of Object.entries(sections)) element.hidden = !names.includes(name as SectionName);
  workspaceButton.hidden = !names.includes('ask');
}

function showIndex(state: IndexState): void {
  indexLine.textContent = indexLineText(state);
  indexLine.dataset.phase = state.phase;
  indexLine.classList.toggle('error', state.phase === 'error');
  const notice = restrictedNotice(state);
  restricted.hidden = notice === null;
  restrictedWhy.textContent = notice?.why ?? '';
  indexUntrustedButton.disabled = false;
}

function showAsk(state: AskState): void {
  askState = state;
  renderAsk(askBody, state, locations);
  if (state.status === 'ready' && memoryView && memoryView.question !== state.result.question) memoryView = null;
  showComparison();
}

function showRecall(state: RecallState): void {
  recallState = state;
  renderRecall(recallBody, state, sort, { ...locations, sort: setSort });
}

function setSort(key: SortKey): void {
  sort = { key, descending: sort.key === key ? !sort.descending : key !== 'path' && key !== 'distanceTokens' };
  persist();
  showRecall(recallState);
}

function hybridView(): AskView | null {
  return askState.status === 'ready' ? askState.result : null;
}

function showComparison(): void {
  renderComparison(compareBody, hybridView(), memoryView, compareOn, toggleComparison, locations);
}

function toggleComparison(): void {
  compareOn = !compareOn;
  showComparison();
  const hybrid = hybridView();
  if (!compareOn || !hybrid || memoryView?.question === hybrid.question) return;
  host.request('ask', { question: hybrid.question, mode: 'memory' }).then((state) => {
    if (state.status === 'ready') memoryView = state.result;
    showComparison();
  }, showError);
}

function ask(question: string): void {
  const trimmed = question.trim();
  if (!trimmed) return;
  history.add(trimmed);
  persist();
  host.request('ask', { question: trimmed, mode: 'hybrid' }).catch(showError); // the answer arrives as an event too
}

askInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    ask(askInput.value);
  } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
    event.preventDefault();
    askInput.value = history.move(event.key === 'ArrowUp' ? -1 : 1, askInput.value);
  }
});
byId('ask-form').addEventListener('submit', (event) => event.preventDefault());
byId('summarize-button').addEventListener('click', () => {
  host.request('summarizeActiveFile', {}).then(showSummary, showError);
});
workspaceButton.addEventListener('click', () => {
  host.request('summarizeWorkspace', {}).catch(showError);
});
byId('copy-summary-button').addEventListener('click', () => {
  host.request('copyMarkdown', { target: 'file' }).catch(showError);
});
byId('heatmap-button').addEventListener('click', () => {
  host.request('runCommand', { command: 'longview.toggleRecallHeatmap' }).catch(showError);
});
indexUntrustedButton.addEventListener('click', () => {
  indexUntrustedButton.disabled = true; // the index line follows as indexing starts
  host.request('indexUntrustedWorkspace', {}).catch((error: unknown) => {
    indexUntrustedButton.disabled = false;
    showError(error);
  });
});
byId('recall-refresh-button').addEventListener('click', () => {
  host.request('refreshRecall', {}).then(showRecall, showError);
});
enableArrowKeyNavigation(summaryBody, 'a.region-link, a.line-link');
enableArrowKeyNavigation(askBody, 'a.citation');

function showWorkspaceSummary(summary: WorkspaceSummaryView | null): void {
  renderWorkspaceSummary(workspaceSummaryBody, summary, {
    ...locations,
    copy: () => void host.request('copyMarkdown', { target: 'workspace' }).catch(showError),
  });
}

if (saved?.summary) showSummary(saved.summary);
showAsk(askState);

host.onEvent((event) => {
  switch (event.event) {
    case 'summary':
      return showSummary(event.data);
    case 'index':
      return showIndex(event.data);
    case 'ask':
      return showAsk(event.data);
    case 'focusAsk':
      if (event.data.question) askInput.value = event.data.question;
      askInput.focus();
      return;
    case 'recall':
      return showRecall(event.data);
    case 'recallProgress':
      // Only the count changes: the previous chart under it is not drawn again (it may hold 1,500 dots).
      if (recallState.status !== 'measuring') return;
      recallState = { ...recallState, progress: event.data };
      return updateRecallProgress(recallBody, event.data);
    case 'workspaceSummary':
      return showWorkspaceSummary(event.data);
    case 'sections':
      return showSections(event.data);
  }
});

host.request('ready', {}).then((ready) => {
  showSections(ready.sections);
  showIndex(ready.index);
  showSummary(ready.summary);
  showAsk(ready.ask);
  showRecall(ready.recall);
  showWorkspaceSummary(ready.workspaceSummary);
}, showError);
