// Every command Longview contributes, registered from one place; each group lives in its own file.
import type { Ctx } from '../ctx';
import { registerAskCommands } from './ask';
import { registerSummaryCommands } from './summary';
import { registerWorkspaceIndexCommands } from './workspaceIndex';

export function registerCommands(ctx: Ctx): void {
  registerAskCommands(ctx);
  registerSummaryCommands(ctx);
  registerWorkspaceIndexCommands(ctx);
}
