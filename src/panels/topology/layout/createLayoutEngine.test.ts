import { computeLayout } from './computeLayout';
import { createLayoutEngine } from './createLayoutEngine';
import type { LayoutRequest } from './types';

/** A stand-in for the layout worker: answers on the next tick, or fails like a blocked script. */
function fakeWorker(behaviour: 'answer' | 'fail') {
  const posted: unknown[] = [];
  const worker = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    terminated: false,
    postMessage(message: { id: number; request: LayoutRequest }) {
      posted.push(message);
      setTimeout(() => {
        if (behaviour === 'answer') {
          worker.onmessage?.({ data: { id: message.id, result: computeLayout(message.request) } } as MessageEvent);
        } else {
          worker.onerror?.({ preventDefault: () => undefined } as ErrorEvent);
        }
      }, 0);
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return { worker, posted };
}

const request = (count: number): LayoutRequest => ({ mode: 'layered', count, links: new Int32Array(0) });

describe('createLayoutEngine', () => {
  it('sends large graphs to the worker and lays out small ones inline', async () => {
    const { worker, posted } = fakeWorker('answer');
    const engine = createLayoutEngine({ createWorker: () => worker as unknown as Worker, workerThreshold: 10 });
    await engine.run(request(3));
    expect(posted).toHaveLength(0);
    const result = await engine.run(request(12));
    expect(posted).toHaveLength(1);
    expect(result.x).toHaveLength(12);
    engine.dispose();
    expect(worker.terminated).toBe(true);
  });

  it('falls back to inline layouts when the worker fails', async () => {
    const { worker } = fakeWorker('fail');
    const engine = createLayoutEngine({ createWorker: () => worker as unknown as Worker, workerThreshold: 1 });
    const result = await engine.run(request(5));
    expect(result.y).toHaveLength(5);
    expect(worker.terminated).toBe(true);
  });

  it('lays out inline when the worker cannot be created', async () => {
    const engine = createLayoutEngine({
      createWorker: () => {
        throw new Error('blocked by the content security policy');
      },
      workerThreshold: 1,
    });
    expect((await engine.run(request(4))).x).toHaveLength(4);
  });
});
