import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Button, Input, useTheme2 } from '@grafana/ui';
import { interpolateRdBu, interpolateViridis } from 'd3';

import { ContributionBars } from '../../shared/ContributionBars';
import type { OrtRunner } from './createOrtRun';
import { Heatmap } from './Heatmap';
import { parseModelSpec } from './parseModelSpec';
import { scoreWindow } from './scoreWindow';
import type { ModelSpec, WindowExplanation, WindowScore } from './types';
import type { WindowSource } from './WindowSource';

export interface WindowInspectorProps {
  source: WindowSource;
  /** Creates an inference session for a model (onnxruntime-web in the plugin, a fake in tests). */
  createRun: (model: Uint8Array, spec: ModelSpec) => Promise<OrtRunner>;
  /** Service to open with. */
  service: string;
  /** Range the window's end can be picked from (epoch ms); the window ends at `range.to` at first. */
  range: { from: number; to: number };
  width: number;
  height: number;
  timeZone: string;
}

type Phase = 'idle' | 'window' | 'model' | 'inference' | 'done' | 'failed';

interface Request {
  service: string;
  /** Window end, epoch ms. */
  at: number;
  /** Tells repeated requests for the same window apart. */
  n: number;
}

interface Inspection {
  window: WindowExplanation;
  spec: ModelSpec;
  result: WindowScore;
  ms: number;
}

const LABELS = 150;
const CONTRIBUTIONS = 250;

/**
 * One service's window as the model sees it (signals × time, normalised), the model's
 * reconstruction and the per-cell error, computed in the browser with onnxruntime-web from the
 * sidecar's own model and manifest, for a window ending at any time in the range. The score is
 * shown beside the sidecar's own score for the same window, so any disagreement is visible.
 */
export function WindowInspector({
  source,
  createRun,
  service: initialService,
  range,
  width,
  height,
  timeZone,
}: WindowInspectorProps) {
  const theme = useTheme2();
  const [service, setService] = useState(initialService);
  const [at, setAt] = useState(range.to);
  const [formError, setFormError] = useState<string | null>(null);
  const [request, setRequest] = useState<Request | null>(() =>
    initialService ? { service: initialService, at: range.to, n: 1 } : null
  );
  const [progress, setProgress] = useState<{ n: number; phase: Phase }>({ n: 0, phase: 'idle' });
  const [outcome, setOutcome] = useState<{ n: number; error: string | null }>({ n: 0, error: null });
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const sessions = useRef(new Map<string, Promise<{ spec: ModelSpec; runner: OrtRunner }>>());

  // A new service or range from the panel starts a new inspection (adjusted during render, as
  // React recommends for state that follows props).
  const [shown, setShown] = useState({ initialService, to: range.to });
  if (shown.initialService !== initialService || shown.to !== range.to) {
    setShown({ initialService, to: range.to });
    setService(initialService);
    setAt(range.to);
    setRequest(initialService ? { service: initialService, at: range.to, n: (request?.n ?? 0) + 1 } : null);
  }

  useEffect(() => {
    const cache = sessions.current;
    return () => {
      cache.forEach((pending) => pending.then(({ runner }) => runner.release()).catch(() => undefined));
      cache.clear();
    };
  }, []);

  const session = useCallback(
    (modelId: string) => {
      let pending = sessions.current.get(modelId);
      if (!pending) {
        pending = (async () => {
          const spec = parseModelSpec(await source.manifest(modelId));
          const runner = await createRun(await source.onnx(modelId), spec);
          return { spec, runner };
        })();
        // A failed load is not cached: the next inspection tries again.
        pending.catch(() => sessions.current.delete(modelId));
        sessions.current.set(modelId, pending);
      }
      return pending;
    },
    [source, createRun]
  );

  useEffect(() => {
    if (request === null) {
      return;
    }
    let cancelled = false;
    const started = performance.now();
    (async () => {
      try {
        const window = await source.window(request.service, request.at / 1000);
        if (cancelled) {
          return;
        }
        setProgress({ n: request.n, phase: 'model' });
        const { spec, runner } = await session(window.modelId);
        if (cancelled) {
          return;
        }
        setProgress({ n: request.n, phase: 'inference' });
        const result = await scoreWindow(spec, window, runner.run);
        if (!cancelled) {
          setInspection({ window, spec, result, ms: performance.now() - started });
          setOutcome({ n: request.n, error: null });
        }
      } catch (failure) {
        if (!cancelled) {
          setOutcome({ n: request.n, error: failure instanceof Error ? failure.message : String(failure) });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [request, source, session]);

  const phase: Phase =
    request === null
      ? 'idle'
      : outcome.n === request.n
        ? outcome.error
          ? 'failed'
          : 'done'
        : progress.n === request.n
          ? progress.phase
          : 'window';
  const error = formError ?? (phase === 'failed' ? outcome.error : null);
  const inspect = (name: string, end: number) => {
    if (name.trim() === '') {
      setFormError('Enter a service to inspect');
      return;
    }
    setFormError(null);
    setRequest({ service: name.trim(), at: end, n: (request?.n ?? 0) + 1 });
  };

  const result = inspection?.result;
  const span = Math.max(1, range.to - range.from);
  // z-scores beyond ±3 are far outside normal behaviour: saturate there so ordinary noise stays visible.
  const limit = Math.min(3, inspection?.spec.clip ?? 3);
  const diverging = useMemo(
    () => (v: number) => interpolateRdBu(0.5 - Math.max(-1, Math.min(1, v / limit)) / 2),
    [limit]
  );
  const maxError = result ? Math.max(1e-9, ...result.cellError.flat()) : 1;
  const sequential = useMemo(() => (v: number) => interpolateViridis(Math.min(1, v / maxError)), [maxError]);
  // Labels, three maps and the contributions, with four 10 px gaps and the 8 px side padding.
  const mapWidth = Math.max(60, Math.floor((width - LABELS - CONTRIBUTIONS - 40 - 16) / 3));
  const rowHeight = inspection
    ? Math.max(10, Math.min(22, Math.floor((height - 150) / inspection.spec.signals.length)))
    : 14;
  const sidecarScore = inspection?.window.score;

  return (
    <div
      data-testid="window-inspector"
      data-phase={phase}
      style={{ width, height, overflow: 'auto', padding: '0 8px', fontSize: 12 }}
    >
      <form
        style={{ display: 'flex', alignItems: 'center', gap: 8, height: 40 }}
        onSubmit={(event) => {
          event.preventDefault();
          inspect(service, at);
        }}
      >
        <Input
          width={24}
          aria-label="Service"
          placeholder="service"
          value={service}
          onChange={(e) => setService(e.currentTarget.value)}
        />
        <input
          type="range"
          aria-label="Window end"
          min={range.from}
          max={range.to}
          step={Math.max(1000, Math.round(span / 500))}
          value={at}
          onChange={(e) => setAt(Number(e.currentTarget.value))}
          style={{ flex: 1, minWidth: 120 }}
        />
        <span>window ending {dateTimeFormat(at, { timeZone })}</span>
        <Button type="submit" size="sm" disabled={phase === 'window' || phase === 'model' || phase === 'inference'}>
          Inspect
        </Button>
      </form>
      {phase !== 'done' && phase !== 'failed' && phase !== 'idle' && (
        <p>
          {phase === 'window'
            ? 'Reading the window…'
            : phase === 'model'
              ? 'Loading the model…'
              : 'Running the model in the browser…'}
        </p>
      )}
      {error && (
        <p role="alert" data-testid="inspector-error" style={{ color: theme.colors.error.text }}>
          {error}
        </p>
      )}
      {inspection && result && (
        <>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, margin: '4px 0 8px' }}>
            <span data-testid="inspector-score" data-score={result.score} data-error={result.error}>
              browser score <strong>{result.score.toFixed(4)}</strong>
            </span>
            <span>
              raw error {result.error.toFixed(4)} ({result.anomalous ? 'above' : 'below'} threshold{' '}
              {result.threshold.toFixed(4)}) ·{' '}
              <strong style={{ color: result.anomalous ? theme.colors.error.text : theme.colors.success.text }}>
                {result.anomalous ? 'anomalous' : 'normal'}
              </strong>
            </span>
            {typeof sidecarScore === 'number' && (
              <span data-testid="inspector-sidecar-score" data-score={sidecarScore}>
                sidecar score {sidecarScore.toFixed(4)} (difference{' '}
                {Math.abs(sidecarScore - result.score).toExponential(1)})
              </span>
            )}
            <span style={{ color: theme.colors.text.secondary }}>
              {inspection.window.service} · model {inspection.spec.modelId} · {result.baselineSource} baselines ·{' '}
              {inspection.spec.windowLength} steps of {inspection.spec.stepSeconds} s · {inspection.ms.toFixed(0)} ms
            </span>
          </div>
          <div style={{ display: 'flex', gap: 10, alignItems: 'flex-start' }}>
            <div style={{ width: LABELS, paddingTop: 18 }}>
              {inspection.spec.signals.map((signal) => (
                <div
                  key={signal}
                  style={{
                    height: rowHeight,
                    lineHeight: `${rowHeight}px`,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                    whiteSpace: 'nowrap',
                  }}
                >
                  {signal}
                </div>
              ))}
              <div style={{ color: theme.colors.text.secondary, marginTop: 4 }}>
                {dateTimeFormat(inspection.window.timestamps[0]! * 1000, { timeZone, format: 'HH:mm' })} →{' '}
                {dateTimeFormat(inspection.window.timestamps[inspection.window.timestamps.length - 1]! * 1000, {
                  timeZone,
                  format: 'HH:mm',
                })}
              </div>
            </div>
            <Heatmap
              title="Input (normalised)"
              values={result.input}
              color={diverging}
              width={mapWidth}
              rowHeight={rowHeight}
              markColor={theme.colors.text.primary}
              testId="heatmap-input"
            />
            <Heatmap
              title="Reconstruction"
              values={result.reconstruction}
              color={diverging}
              width={mapWidth}
              rowHeight={rowHeight}
              markColor={theme.colors.text.primary}
              testId="heatmap-reconstruction"
            />
            <Heatmap
              title="Error per cell"
              values={result.cellError}
              color={sequential}
              width={mapWidth}
              rowHeight={rowHeight}
              markFrom={result.scoredFrom}
              markColor={theme.colors.text.primary}
              testId="heatmap-error"
            />
            <div style={{ width: CONTRIBUTIONS, paddingTop: 18 }}>
              <ContributionBars contributions={result.contributions} color={theme.colors.error.main} limit={12} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}
