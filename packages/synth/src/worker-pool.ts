/**
 * A minimal pool of worker threads answering one request at a time each, FIFO. Enough for the
 * generator's two kinds of requests; errors inside a worker reject the request's promise.
 */
import { Worker } from 'node:worker_threads';

interface Pending {
  message: unknown;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A fixed-size pool of workers running one script. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly workers: Worker[] = [];
  private failure: Error | null = null;

  constructor(script: URL, size: number, workerData: unknown) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(script, { workerData });
      w.on('message', (msg: { kind: string; message?: string }) => {
        const job = this.busy.get(w);
        this.busy.delete(w);
        this.idle.push(w);
        if (job) {
          if (msg.kind === 'error')
            job.reject(new Error(`synth worker failed: ${msg.message ?? ''}`));
          else job.resolve(msg);
        }
        this.pump();
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && this.failure === null && this.workers.includes(w))
          this.fail(new Error(`synth worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Sends a request to the next free worker; resolves with its answer. */
  run<T>(message: unknown): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const job = this.queue.shift() as Pending;
      this.busy.set(w, job);
      w.postMessage(job.message);
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const job of [...this.busy.values(), ...this.queue]) job.reject(e);
    this.busy.clear();
    this.queue.length = 0;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
