// A path as the sidebar shows it, split for middle truncation (pathParts.ts): the spans that
// sidebar.css shrinks (.path-head, then .name-start) or keeps whole (.path-tail), in a flex container.
import { el } from './dom';
import { pathParts } from './pathParts';

/** The spans of `path` followed by `suffix` (":12–30"). */
export function pathSpans(path: string, suffix = ''): HTMLElement[] {
  const parts = pathParts(path, suffix);
  return [
    // U+200E (left-to-right mark): the right-to-left span (sidebar.css) keeps the last slash after the folders.
    parts.head ? el('span', { class: 'path-head' }, `${parts.head}\u200e`) : null,
    parts.nameStart ? el('span', { class: 'name-start' }, parts.nameStart) : null,
    el('span', { class: 'path-tail' }, parts.tail),
  ].filter((s): s is HTMLElement => s !== null);
}
