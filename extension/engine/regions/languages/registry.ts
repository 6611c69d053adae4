// Language id → the spec that outlines it.
import type { LanguageSpec } from './spec';
import { javascriptSpec } from './javascript';
import { pythonSpec } from './python';

export const LANGUAGE_SPECS: Readonly<Record<string, LanguageSpec>> = {
  typescript: javascriptSpec,
  tsx: javascriptSpec,
  javascript: javascriptSpec,
  python: pythonSpec,
};
