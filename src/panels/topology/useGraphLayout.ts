import { useEffect, useState } from 'react';

import type { GraphView } from './buildGraphView';
import type { LayoutEngine } from './layout/createLayoutEngine';
import type { LayoutMode } from './types';
import type { Point } from './view/buildScene';
import { initialPosition } from './view/initialPosition';

export interface GraphLayout {
  /** Position of every node laid out so far (nodes not in it are drawn at provisional places). */
  positions: ReadonlyMap<string, Point>;
  /** Changes whenever `positions` changed (a layout arrived, a node was dragged). */
  version: number;
  status: 'running' | 'done' | 'failed';
  /** Duration of the last layout computation. */
  ms: number | null;
  error: string | null;
  /** Increases with every finished layout, so the view can fit it. */
  layoutCount: number;
  moveNode: (id: string, to: Point) => void;
}

interface Structure {
  key: string;
  mode: LayoutMode;
  ids: string[];
  links: Int32Array;
}

function describe(view: GraphView, mode: LayoutMode): Structure {
  const ids = view.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const links = new Int32Array(view.edges.length * 2);
  view.edges.forEach((edge, i) => {
    links[i * 2] = index.get(edge.source) ?? 0;
    links[i * 2 + 1] = index.get(edge.target) ?? 0;
  });
  const key = `${mode}|${ids.join('\u0000')}|${view.edges.map((e) => `${e.source}>${e.target}`).join('\u0000')}`;
  return { key, mode, ids, links };
}

/**
 * Positions for a graph view. Runs a layout when the visible structure or the layout mode
 * changes (not on every data refresh), and keeps the positions of services that stay so that a
 * refresh or a focus change does not reshuffle the picture. Until a layout arrives, nodes without
 * a position are drawn at provisional places (see buildScene).
 */
export function useGraphLayout(view: GraphView, mode: LayoutMode, engine: LayoutEngine): GraphLayout {
  const [positions] = useState(() => new Map<string, Point>());
  const [version, setVersion] = useState(0);
  const [structure, setStructure] = useState(() => describe(view, mode));
  const [finished, setFinished] = useState<{ key: string; ms: number | null; error: string | null; count: number }>({
    key: '',
    ms: null,
    error: null,
    count: 0,
  });

  // Adjusting state to new props during render (not in an effect) avoids a render with stale structure.
  const next = describe(view, mode);
  if (next.key !== structure.key) {
    setStructure(next);
  }

  useEffect(() => {
    let cancelled = false;
    const { ids, links } = structure;
    engine
      .run({
        mode: structure.mode,
        count: ids.length,
        links,
        // Start from what is on screen: earlier positions, else the provisional spiral.
        seedX: Float64Array.from(ids, (id, i) => (positions.get(id) ?? initialPosition(i)).x),
        seedY: Float64Array.from(ids, (id, i) => (positions.get(id) ?? initialPosition(i)).y),
      })
      .then((result) => {
        if (cancelled) {
          return;
        }
        ids.forEach((id, i) => positions.set(id, { x: result.x[i]!, y: result.y[i]! }));
        setVersion((v) => v + 1);
        setFinished((f) => ({ key: structure.key, ms: result.ms, error: null, count: f.count + 1 }));
      })
      .catch((error: Error) => {
        if (!cancelled) {
          setFinished((f) => ({ ...f, key: structure.key, error: error.message }));
        }
      });
    return () => {
      cancelled = true;
    };
  }, [structure, engine, positions]);

  const current = finished.key === structure.key;
  return {
    positions,
    version,
    status: !current ? 'running' : finished.error ? 'failed' : 'done',
    ms: finished.ms,
    error: current ? finished.error : null,
    layoutCount: finished.count,
    moveNode: (id, to) => {
      positions.set(id, to);
      setVersion((v) => v + 1);
    },
  };
}
