// The `longview.*` settings, read fresh each time (VS Code caches them; reading is cheap) so a
// change applies without reloading the window.
import * as vscode from 'vscode';

export interface LongviewSettings {
  exclude: string[];
  maxFileSizeKB: number;
  modelThreads: number;
  heatmapEnabled: boolean;
}

export function readSettings(scope?: vscode.ConfigurationScope): LongviewSettings {
  const config = vscode.workspace.getConfiguration('longview', scope);
  return {
    exclude: config.get<string[]>('exclude', []),
    maxFileSizeKB: Math.max(1, config.get<number>('maxFileSizeKB', 512)),
    modelThreads: Math.max(0, Math.floor(config.get<number>('modelThreads', 0))),
    heatmapEnabled: config.get<boolean>('heatmap.enabled', false),
  };
}
