// A path as the sidebar shows it, split for middle truncation (pathParts.ts): the spans that
// sidebar.css shrinks (.path-head, then .name-start) or keeps whole (.path-tail), in a flex container.
import { el } from './dom';
import { pathParts } from './pathParts';

/** The spans of `path` followed by `suffix` (":12–30"). */
export function pathSpans(path: string, suffix = ''): HTMLElement[] {
  const parts = pathParts(path, suffix);
  return [
    parts.head ? el('span', { class: 'path-head' }, parts.head) : null,
    parts.nameStart ? el('span', { class: 'name-start' }, parts.nameStart) : null,
    el('span', { class: 'path-tail' }, parts.tail),
  ].filter((s): s is HTMLElement => s !== null);
}
