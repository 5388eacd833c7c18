import { act, renderHook, waitFor } from '@testing-library/react';

import { useSidecarData } from './useSidecarData';

/** A promise the test settles when it wants, to order answers deliberately. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('useSidecarData', () => {
  it('goes from loading to the answer, and reports errors', async () => {
    const ok = renderHook(() => useSidecarData(okLoad));
    expect(ok.result.current.result).toEqual({ status: 'loading' });
    await waitFor(() => expect(ok.result.current.result).toEqual({ status: 'done', data: 1 }));
    expect(ok.result.current.refreshing).toBe(false);

    const failed = renderHook(() => useSidecarData(failingLoad));
    await waitFor(() => expect(failed.result.current.result).toEqual({ status: 'error', error: 'down' }));
  });

  it('keeps the data on screen while reloading, then shows the new answer', async () => {
    let value = 1;
    const load = () => Promise.resolve(value);
    const { result } = renderHook(() => useSidecarData(load));
    await waitFor(() => expect(result.current.result).toEqual({ status: 'done', data: 1 }));
    value = 2;
    act(() => result.current.reload());
    expect(result.current.result).toEqual({ status: 'done', data: 1 });
    expect(result.current.refreshing).toBe(true);
    await waitFor(() => expect(result.current.result).toEqual({ status: 'done', data: 2 }));
  });

  it('drops the answer of a superseded request even when it arrives last', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const loadA = () => first.promise;
    const loadB = () => second.promise;
    const { result, rerender } = renderHook(({ load }) => useSidecarData(load), { initialProps: { load: loadA } });
    rerender({ load: loadB });
    expect(result.current.result).toEqual({ status: 'loading' });
    await act(async () => second.resolve('b'));
    await act(async () => first.resolve('a'));
    expect(result.current.result).toEqual({ status: 'done', data: 'b' });
  });

  it('refreshes periodically', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const load = () => Promise.resolve(++calls);
      renderHook(() => useSidecarData(load, 1000));
      for (let second = 0; second < 3; second++) {
        await act(async () => jest.advanceTimersByTime(1000));
      }
      expect(calls).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });
});

const okLoad = () => Promise.resolve(1);
const failingLoad = () => Promise.reject('down');
