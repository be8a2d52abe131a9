/**
 * Worker-thread entry point of `hygie synth`: builds the world once from the options it is given,
 * then answers work requests (identity keys, or generation of a range of persons) until closed.
 * Output buffers are transferred, not copied, to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateChunk, identityKeys } from './chunk.js';
import type { SynthOptions } from './options.js';
import { buildWorld } from './world.js';

/** What a worker starts with. */
export interface SynthWorkerData {
  options: SynthOptions;
  /** The source NIR key in base64 (`--source-key`), or null. A secret: never printed. */
  sourceNirKey: string | null;
}

/** A request from the main thread. */
export type WorkerRequest =
  | { kind: 'keys'; chunk: number; start: number; end: number }
  | { kind: 'generate'; chunk: number; start: number; end: number; orders: [number, number][] };

const port = parentPort;
if (port) {
  const data = workerData as SynthWorkerData;
  const world = buildWorld(
    data.options,
    data.sourceNirKey === null ? null : Buffer.from(data.sourceNirKey, 'base64'),
  );
  port.on('message', (req: WorkerRequest) => {
    try {
      if (req.kind === 'keys') {
        const keys = identityKeys(world, req.start, req.end);
        port.postMessage({ kind: 'keys', chunk: req.chunk, keys }, [keys.buffer]);
      } else {
        const result = generateChunk(world, req.chunk, req.start, req.end, new Map(req.orders));
        const transfer = Object.values(result.files).map((b) => b.buffer);
        port.postMessage({ kind: 'generate', result }, transfer);
      }
    } catch (e) {
      port.postMessage({
        kind: 'error',
        chunk: req.chunk,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
    }
  });
}
