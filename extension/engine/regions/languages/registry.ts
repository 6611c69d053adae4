// Language id → the spec that outlines it.
import type { LanguageSpec } from './spec';
import { javascriptSpec } from './javascript';
import { pythonSpec } from './python';
import { goSpec } from './go';
import { rustSpec } from './rust';
import { javaSpec } from './java';
import { cFamilySpec } from './cFamily';
import { csharpSpec } from './csharp';
import { rubySpec } from './ruby';
import { phpSpec } from './php';

export const LANGUAGE_SPECS: Readonly<Record<string, LanguageSpec>> = {
  typescript: javascriptSpec,
  tsx: javascriptSpec,
  javascript: javascriptSpec,
  python: pythonSpec,
  go: goSpec,
  rust: rustSpec,
  java: javaSpec,
  c: cFamilySpec,
  cpp: cFamilySpec,
  csharp: csharpSpec,
  ruby: rubySpec,
  php: phpSpec,
};
