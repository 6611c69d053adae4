// The webview's side of the protocol: typed requests to the extension, matched to their responses
// by id, and a listener for the events the extension pushes.
import { isHostMessage, type HostEvent, type WebviewMethod, type WebviewRequests } from '../extension/protocol';

type EventListener = (event: HostEvent) => void;

export class Host {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners: EventListener[] = [];

  constructor(private readonly api: VsCodeWebviewApi<unknown>) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  request<M extends WebviewMethod>(method: M, params: WebviewRequests[M]['params']): Promise<WebviewRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  private receive(raw: unknown): void {
    if (!isHostMessage(raw)) return; // not ours (VS Code also posts its own messages to webviews)
    if (raw.kind === 'event') {
      for (const listener of this.listeners) listener(raw);
      return;
    }
    if (raw.id === null) {
      console.error(`Longview: the extension refused a message: ${raw.ok ? '' : raw.error}`);
      return;
    }
    const pending = this.pending.get(raw.id);
    if (!pending) return;
    this.pending.delete(raw.id);
    if (raw.ok) pending.resolve(raw.result);
    else pending.reject(new Error(raw.error));
  }
}
