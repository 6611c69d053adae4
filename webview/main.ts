// The sidebar webview's entry (bundled to dist/webview.js). Handshakes with the extension, then
// renders each section (Ask, Summary, Recall) whenever its state arrives; sections the extension
// does not list are hidden.
import type {
  AskState,
  AskView,
  IndexState,
  RecallState,
  SectionName,
  SummaryState,
  WebviewMethod,
  WebviewRequests,
  WorkspaceSummaryView,
} from '../extension/protocol';
import { reasonOf } from '../extension/engine/reasonOf';
import { Host } from './host';
import { patchRecall, renderAsk, type LocationActions } from './askView';
import { QuestionHistory } from './questionHistory';
import { renderComparison, renderRecall, updateRecallProgress, type RecallTableState } from './recallView';
import type { SortKey } from './recallTable';
import { renderSummary, renderWorkspaceSummary, summaryAnnouncement, type SummaryActions } from './summaryView';
import { enableArrowKeyNavigation } from './keyboard';
import { indexLineText, restrictedNotice } from './indexText';
import { requestSection, type SentRequest } from './requestSection';
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
const askInput = byId<HTMLTextAreaElement>('ask-input');
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

/** Where each section shows a failed request's error: above what the section shows now, until it renders again. */
const errorPlaces: Record<SectionName, HTMLElement> = { ask: askBody, summary: summaryBody, recall: recallBody };

function showError(section: SectionName, error: unknown): void {
  const note = document.createElement('p');
  note.className = 'error';
  note.setAttribute('role', 'alert');
  note.setAttribute('data-testid', 'sidebar-error');
  note.textContent = reasonOf(error);
  errorPlaces[section].prepend(note);
}

/**
 * Sends a request; a failure shows in the section that sent it (requestSection; `from` for a
 * location link) and the promise then resolves to undefined.
 */
function send<M extends WebviewMethod>(
  method: M,
  params: WebviewRequests[M]['params'],
  from?: SectionName,
): Promise<WebviewRequests[M]['result'] | undefined> {
  return host.request(method, params).catch((error: unknown) => {
    showError(requestSection({ method, params } as SentRequest, from), error);
    return undefined;
  });
}

/** Location links (answer cards, the Recall table, the workspace overview), per section for their errors. */
function locationsIn(section: SectionName): LocationActions {
  return { open: (uri, startLine, endLine) => void send('openLocation', { uri, startLine, endLine }, section) };
}
const askLocations = locationsIn('ask');
const recallLocations = locationsIn('recall');
const summaryLocations = locationsIn('summary');
const summaryActions: SummaryActions = {
  reveal: (uri, startLine, endLine) => void send('revealRange', { uri, startLine, endLine }),
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
  const before = askState;
  askState = state;
  // More of the same answer's recall measured: the badges change in place (focus, opened snippets
  // and scroll stay); anything else draws the section anew.
  const patched = before.status === 'ready' && state.status === 'ready' && patchRecall(askBody, before.result, state.result);
  if (!patched) renderAsk(askBody, state, { ...askLocations, copy: (rank) => void send('copyMarkdown', { target: 'hit', rank }, 'ask') });
  if (state.status === 'ready' && memoryView && memoryView.question !== state.result.question) memoryView = null;
  showComparison();
}

function showRecall(state: RecallState): void {
  recallState = state;
  renderRecall(recallBody, state, sort, { ...recallLocations, sort: setSort, filter: setFilter, fold: setFold });
}

function setFilter(text: string): void {
  sort = { ...sort, filter: text };
  persist();
  showRecall(recallState);
  // Drawn again: the filter box is a new element; keep typing in it.
  const input = recallBody.querySelector<HTMLInputElement>('[data-testid="recall-filter"]');
  input?.focus();
  input?.setSelectionRange(text.length, text.length);
}

function setFold(folded: boolean): void {
  if (Boolean(sort.folded) === folded) return;
  sort = { ...sort, folded };
  persist();
}

function setSort(key: SortKey): void {
  sort = { ...sort, key, descending: sort.key === key ? !sort.descending : key !== 'path' && key !== 'distanceTokens' };
  persist();
  showRecall(recallState);
}

function hybridView(): AskView | null {
  return askState.status === 'ready' ? askState.result : null;
}

function showComparison(): void {
  renderComparison(compareBody, hybridView(), memoryView, compareOn, toggleComparison, recallLocations);
}

function toggleComparison(): void {
  compareOn = !compareOn;
  showComparison();
  const hybrid = hybridView();
  if (!compareOn || !hybrid || memoryView?.question === hybrid.question) return;
  void send('ask', { question: hybrid.question, mode: 'memory' }).then((state) => {
    if (!state) return;
    if (state.status === 'ready') memoryView = state.result;
    showComparison();
  });
}

function ask(question: string): void {
  const trimmed = question.trim();
  if (!trimmed) return;
  history.add(trimmed);
  persist();
  void send('ask', { question: trimmed, mode: 'hybrid' }); // the answer arrives as an event too
}

/** The Ask box grows with its question (up to the CSS max-height), and shrinks back. */
function fitAskInput(): void {
  askInput.style.height = 'auto';
  askInput.style.height = `${askInput.scrollHeight + 2}px`;
}
askInput.addEventListener('input', fitAskInput);
askInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    ask(askInput.value);
  } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !askInput.value.includes('\n')) {
    // History on one-line questions; a question of several lines moves the caret as a text box does.
    event.preventDefault();
    askInput.value = history.move(event.key === 'ArrowUp' ? -1 : 1, askInput.value);
    fitAskInput();
  }
});
byId('ask-form').addEventListener('submit', (event) => event.preventDefault());
byId('summarize-button').addEventListener('click', () => {
  void send('summarizeActiveFile', {}).then((state) => state && showSummary(state));
});
workspaceButton.addEventListener('click', () => {
  void send('summarizeWorkspace', {});
});
byId('copy-summary-button').addEventListener('click', () => {
  void send('copyMarkdown', { target: 'file' });
});
byId('heatmap-button').addEventListener('click', () => {
  void send('runCommand', { command: 'longview.toggleRecallHeatmap' });
});
indexUntrustedButton.addEventListener('click', () => {
  indexUntrustedButton.disabled = true; // the index line follows as indexing starts
  void send('indexUntrustedWorkspace', {}).then((started) => {
    if (!started) indexUntrustedButton.disabled = false;
  });
});
byId('recall-refresh-button').addEventListener('click', () => {
  void send('refreshRecall', {}).then((state) => state && showRecall(state));
});
enableArrowKeyNavigation(summaryBody, 'a.region-link, a.line-link');
enableArrowKeyNavigation(askBody, 'a.citation');

function showWorkspaceSummary(summary: WorkspaceSummaryView | null): void {
  renderWorkspaceSummary(workspaceSummaryBody, summary, {
    ...summaryLocations,
    copy: () => void send('copyMarkdown', { target: 'workspace' }),
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
      fitAskInput();
      askInput.focus();
      return;
    case 'recall':
      return showRecall(event.data);
    case 'recallProgress':
      // Only the count changes: the previous chart under it is not drawn again (it may hold MAX_DOTS dots: recallView.ts).
      if (recallState.status !== 'measuring') return;
      recallState = { ...recallState, progress: event.data };
      return updateRecallProgress(recallBody, event.data);
    case 'workspaceSummary':
      return showWorkspaceSummary(event.data);
    case 'sections':
      return showSections(event.data);
  }
});

void send('ready', {}).then((ready) => {
  if (!ready) return;
  showSections(ready.sections);
  showIndex(ready.index);
  showSummary(ready.summary);
  showAsk(ready.ask);
  showRecall(ready.recall);
  showWorkspaceSummary(ready.workspaceSummary);
});
