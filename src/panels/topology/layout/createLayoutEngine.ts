import { computeLayout } from './computeLayout';
import type { LayoutRequest, LayoutResult } from './types';

export interface LayoutEngine {
  /** Lays out a graph; large graphs in the worker when one is available. */
  run(request: LayoutRequest): Promise<LayoutResult>;
  dispose(): void;
}

export interface LayoutEngineOptions {
  /** Creates the layout worker; absent (tests, no Worker support) means every layout runs inline. */
  createWorker?: () => Worker;
  /** Graphs with at least this many nodes go to the worker. */
  workerThreshold?: number;
}

interface Pending {
  resolve: (result: LayoutResult) => void;
  reject: (error: Error) => void;
  request: LayoutRequest;
}

/**
 * Runs layouts off the main thread for large graphs and inline for small ones (a worker round
 * trip costs more than laying out a few dozen services). When the worker cannot start or fails
 * (e.g. a content security policy forbids workers), layouts fall back to running inline.
 */
export function createLayoutEngine(options: LayoutEngineOptions = {}): LayoutEngine {
  const threshold = options.workerThreshold ?? 60;
  let worker: Worker | null = null;
  let broken = !options.createWorker;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const fallBack = () => {
    broken = true;
    worker?.terminate();
    worker = null;
    for (const [id, job] of pending) {
      pending.delete(id);
      try {
        job.resolve(computeLayout(job.request));
      } catch (error) {
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

  const ensureWorker = (): Worker | null => {
    if (broken) {
      return null;
    }
    if (worker === null) {
      try {
        worker = options.createWorker!();
      } catch {
        broken = true;
        return null;
      }
      worker.onmessage = (event: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
        const job = pending.get(event.data.id);
        if (!job) {
          return;
        }
        pending.delete(event.data.id);
        if (event.data.result) {
          job.resolve(event.data.result);
        } else {
          job.reject(new Error(`layout failed: ${event.data.error}`));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        fallBack();
      };
    }
    return worker;
  };

  return {
    run(request) {
      const target = request.count >= threshold ? ensureWorker() : null;
      if (target === null) {
        return new Promise((resolve, reject) => {
          try {
            resolve(computeLayout(request));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, request });
        target.postMessage({ id, request });
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      pending.clear();
    },
  };
}
