// Entry point VS Code loads (bundled to dist/extension.js). All state lives in one Ctx.
import './engine/runtime/offline'; // first: onnxruntime-node's telemetry off in this process before the engine worker starts
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { reasonOf } from './engine/reasonOf';

export function activate(extension: vscode.ExtensionContext): void {
  try {
    Ctx.create(extension);
  } catch (error) {
    // VS Code only logs a failed activation; say it where the user looks.
    void vscode.window.showErrorMessage(`Longview could not start: ${reasonOf(error)}`);
    console.error('Longview activation failed', error);
  }
}

export function deactivate(): void {
  // Ctx is in extension.subscriptions; VS Code disposes it (and so the engine worker).
}
