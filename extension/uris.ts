// The one place the extension host makes the URIs the sidebar's links carry (answer cards, the
// Recall table, the workspace overview), from the engine's paths. The path module is to export
// uriOf from extension/workspacePaths.ts: this helper then calls it, and the three callers stay.
import * as vscode from 'vscode';
import type { UriOf } from './present/engineViews';
import type { WorkspacePaths } from './workspacePaths';

/** Engine path → file: URI string, for the open folders `paths` describes; '' when the path maps to no folder (the link is inert). */
export function uriOf(paths: WorkspacePaths): UriOf {
  return (enginePath) => {
    const abs = paths.toAbsolute(enginePath);
    return abs ? vscode.Uri.file(abs).toString() : '';
  };
}
