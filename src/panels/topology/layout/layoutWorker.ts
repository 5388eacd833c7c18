/**
 * Entry of the layout worker (built as its own script next to the panel's module.js): lays out
 * large graphs off the main thread so that the dashboard stays responsive meanwhile.
 */
import { computeLayout } from './computeLayout';
import type { LayoutRequest } from './types';

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ id: number; request: LayoutRequest }>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, request } = event.data;
  try {
    const result = computeLayout(request);
    scope.postMessage({ id, result }, [result.x.buffer, result.y.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }, []);
  }
};
