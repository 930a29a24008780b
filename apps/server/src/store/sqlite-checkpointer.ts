import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@cardbind/shared';

/** What `PRAGMA wal_checkpoint` reports: WAL frames in the log, and how many reached the file. */
export interface CheckpointResult {
  busy: boolean;
  log: number;
  checkpointed: number;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Plain JavaScript, run with `eval`: a worker does not inherit the TypeScript loader of its parent
 * (tsx, vitest), and this way it needs no file of its own. It opens its own connection, since a
 * better-sqlite3 connection belongs to the thread that opened it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy: row.busy === 1, log: row.log, checkpointed: row.checkpointed };
};
const message = (error) => (error && error.message) || String(error);
const timer = setInterval(() => {
  try {
    const result = checkpoint();
    if (result.log > 0) parentPort.postMessage({ type: 'periodic', result });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', error: message(error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (request) => {
  let reply;
  try {
    reply = { type: 'checkpointed', id: request.id, result: checkpoint() };
  } catch (error) {
    reply = { type: 'checkpointed', id: request.id, error: message(error) };
  }
  if (request.type === 'stop') {
    clearInterval(timer);
    db.close();
  }
  parentPort.postMessage(reply);
  if (request.type === 'stop') parentPort.close();
});
`;

type WorkerReply =
  | { type: 'checkpointed'; id: number; result?: CheckpointResult; error?: string }
  | { type: 'periodic'; result: CheckpointResult }
  | { type: 'failed'; error: string };

/**
 * Runs SQLite's WAL checkpoints on a worker thread. By default the connection that commits
 * runs the checkpoint, with its fsync, every ~1,000 WAL pages: on the server that is the event
 * loop, and the swipe that happens to commit then waits 12–20 ms (bench/README.md). The serving
 * connection sets `wal_autocheckpoint = 0`; this worker checkpoints every `intervalMs` with
 * PASSIVE, which never blocks readers or writers. If the worker dies, `onFailure` runs so that
 * the caller can turn automatic checkpoints back on: without checkpoints the WAL grows forever.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  /** The last periodic checkpoint that found frames in the WAL. */
  lastPeriodic: CheckpointResult | undefined;
  private readonly exited: Promise<void>;
  private running = true;

  constructor(
    file: string,
    private readonly options: {
      intervalMs?: number;
      logger: Logger;
      onFailure: () => void;
    },
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      },
    });
    // The server's open handles decide when the process may exit, not this thread; but an
    // answer we wait for (a checkpoint, the final one) keeps it alive: see `request`.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', (error) => {
      options.logger.error('SQLite checkpoint thread failed', { error: error.message });
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        const unexpected = this.running;
        this.running = false;
        this.rejectWaiting(new Error(`The SQLite checkpoint thread exited (code ${code}).`));
        if (unexpected) {
          options.logger.error(
            'SQLite checkpoint thread stopped; automatic checkpoints are back on the server thread',
            { code },
          );
          options.onFailure();
        }
        resolve();
      });
    });
  }

  /** Checkpoints now (beside the periodic ones) and reports how far it got. */
  checkpointNow(): Promise<CheckpointResult> {
    return this.request('checkpoint');
  }

  /** A final checkpoint, then the worker closes its connection and exits. */
  async stop(): Promise<CheckpointResult | undefined> {
    if (!this.running) return undefined;
    const final = this.request('stop');
    this.running = false;
    try {
      return await final;
    } catch (error) {
      this.options.logger.warn('final SQLite checkpoint failed', {
        error: (error as Error).message,
      });
      return undefined;
    } finally {
      await this.exited;
    }
  }

  /** Resolves once the worker thread has exited. */
  get whenExited(): Promise<void> {
    return this.exited;
  }

  private request(type: 'checkpoint' | 'stop'): Promise<CheckpointResult> {
    if (!this.running) {
      return Promise.reject(new Error('The SQLite checkpoint thread is not running.'));
    }
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type, id });
    });
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'periodic') {
      this.lastPeriodic = reply.result;
      return;
    }
    if (reply.type === 'failed') {
      this.options.logger.warn('SQLite checkpoint failed; the next one will retry', {
        error: reply.error,
      });
      return;
    }
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0 && this.running) this.worker.unref();
    if (!waiter) return;
    if (reply.result) waiter.resolve(reply.result);
    else waiter.reject(new Error(`SQLite checkpoint failed: ${reply.error ?? 'unknown error'}`));
  }

  private rejectWaiting(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
