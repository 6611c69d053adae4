// Keeps onnxruntime-node offline. Import this module FIRST in every entry that may load
// onnxruntime-node (the engine worker, the process that starts it, the CLI through ortNode.ts, the
// benchmarks); ortNode.ts imports it too and refuses to load the native build where it cannot work.
//
// What onnxruntime-node 1.30's libonnxruntime.so does unless told not to (found with `strings` on
// the binary and by running it under `strace -f`):
//  - it starts Microsoft's 1DS telemetry SDK ("MATSDK", core/platform/posix/telemetry.cc) with the
//    first session: about 9 s later it resolves mobile.events.data.microsoft.com (nscd, then DNS)
//    to post events (session and model names, CPU, OS, memory, a device id) to
//    https://mobile.events.data.microsoft.com/OneCollector/1.0, retrying every few seconds;
//  - it stores the events and a device id under $XDG_CACHE_HOME or ~/.cache
//    /Microsoft/DeveloperTools/.onnxruntime/ (onnxruntime.db, deviceid) as soon as a session exists;
//  - the same SDK opens its trace log `mat-debug-<pid>.log` in the temp folder ($TMPDIR, else /tmp/;
//    its `traceFolderPath`), left empty because nothing is traced at the level set.
// The one switch is the environment variable ORT_DISABLE_TELEMETRY=1 ('0' or '1' are accepted),
// read by the native library when it sets telemetry up: with it, no LogManager is created, so no
// network, no cache folder and no mat-debug file (all three checked by
// test/integration/no-network.test.ts). There is no API switch in the Node package: its binding
// exports only InferenceSession, listSupportedBackends and initOrtOnce(logLevel, …); the C API's
// DisableTelemetryEvents is not exposed, and no session config key touches telemetry.
// (onnxruntime-web's WASM build carries no telemetry.)
//
// The environment is per process, and native code reads the real one (getenv): setting process.env
// in the main thread calls setenv, which every thread's native code sees from then on; in a
// worker_threads worker, process.env is only a JS copy of its parent's and native code never sees a
// change made there. Hence the check below: a worker loads onnxruntime-node only when the variable
// was already in the environment it inherited.
import { isMainThread } from 'node:worker_threads';

/** The environment that keeps onnxruntime-node offline. */
export const ORT_OFFLINE_ENV: Readonly<Record<string, string>> = Object.freeze({ ORT_DISABLE_TELEMETRY: '1' });

/** What this thread's process.env said before this module set anything (a worker: what it inherited). */
const inherited: Record<string, string | undefined> = Object.fromEntries(Object.keys(ORT_OFFLINE_ENV).map((k) => [k, process.env[k]]));

for (const [name, value] of Object.entries(ORT_OFFLINE_ENV)) process.env[name] = value;

/**
 * Null when the native runtime will run with telemetry off in this thread, else why not. The main
 * thread set the variables itself (above, before any onnxruntime-node load through this project's
 * code); a worker thread relies on its parent having done so before starting it.
 */
export function ortOfflineProblem(): string | null {
  if (isMainThread) return null;
  const missing = Object.entries(ORT_OFFLINE_ENV).filter(([name, value]) => inherited[name] !== value);
  if (missing.length === 0) return null;
  return (
    `telemetry would stay on: this worker's parent did not set ${missing.map(([n, v]) => `${n}=${v}`).join(', ')} ` +
    `before starting it (import extension/engine/runtime/offline first in the process that starts the engine worker)`
  );
}
