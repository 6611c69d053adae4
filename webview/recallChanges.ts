// Whether a new Ask state is the shown answer with more of its recall measured (no DOM here: unit-tested).
import type { AskView } from '../extension/protocol';

/**
 * The cards whose recall changed between two answers, by rank (0-based), when the answers are the
 * same otherwise (the cards' probes arrive file by file after the answer); null when anything else
 * differs, and the section must be drawn anew.
 */
export function recallChanges(before: AskView, after: AskView): number[] | null {
  const withoutRecall = (view: AskView) => JSON.stringify({ ...view, hits: view.hits.map((hit) => ({ ...hit, recall: null })) });
  if (before.hits.length !== after.hits.length || withoutRecall(before) !== withoutRecall(after)) return null;
  return after.hits.flatMap((hit, rank) => (hit.recall === before.hits[rank]!.recall ? [] : [rank]));
}
