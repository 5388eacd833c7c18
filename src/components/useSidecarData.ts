import { useCallback, useEffect, useState } from 'react';

export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'done'; data: T };

export interface SidecarData<T> {
  result: Loadable<T>;
  /** Loads again now; the current data stays on screen until the answer arrives. */
  reload: () => void;
  /** True while a request is under way (the first load, a reload or a periodic refresh). */
  refreshing: boolean;
}

interface Answer<T> {
  /** Which `load` produced it: a new `load` (other things to show) starts from loading again. */
  load: () => Promise<T>;
  /** Which request it answers. */
  request: string;
  result: Loadable<T>;
}

/**
 * Loads data for a page and, with `refreshMs`, refreshes it periodically. `load` must be
 * memoised (useCallback) on what it reads: a new `load` means new things to show, which starts
 * from the loading state. Answers to superseded requests, or arriving after the page left, are
 * dropped, so a slow old answer never replaces a newer one.
 */
export function useSidecarData<T>(load: () => Promise<T>, refreshMs = 0): SidecarData<T> {
  const [tick, setTick] = useState(0);
  const [answer, setAnswer] = useState<Answer<T> | undefined>();
  const request = String(tick);

  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setAnswer({ load, request, result: { status: 'done', data } }),
      (error: unknown) => current && setAnswer({ load, request, result: { status: 'error', error } })
    );
    return () => {
      current = false;
    };
  }, [load, request]);

  useEffect(() => {
    if (refreshMs <= 0) {
      return;
    }
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const result: Loadable<T> = answer && answer.load === load ? answer.result : { status: 'loading' };
  const refreshing = !answer || answer.load !== load || answer.request !== request;
  return { result, reload, refreshing };
}
