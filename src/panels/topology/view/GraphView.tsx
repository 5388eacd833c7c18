import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { quadtree, select, zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';

import type { Point, Scene, SceneNode } from './buildScene';
import { createCanvasPainter } from './createCanvasPainter';
import type { CanvasStyle, ZoomState } from './drawScene';
import { GraphSvg } from './GraphSvg';

export interface GraphViewProps {
  scene: Scene;
  renderer: 'svg' | 'canvas';
  width: number;
  height: number;
  style: CanvasStyle;
  /** Changing it fits the graph into view. */
  fitKey: string | number;
  /** Centres the view on a node; the key makes repeated requests for the same node count. */
  centerOn: { id: string; key: number } | null;
  onSelect: (id: string | null) => void;
  onHover: (id: string | null, at: Point | null) => void;
  onDrag: (id: string, to: Point) => void;
}

const MIN_ZOOM = 0.02;
const MAX_ZOOM = 6;

/**
 * The drawing surface: SVG for small graphs (real elements that take keyboard focus), canvas for
 * large ones. Both share pan and zoom (d3-zoom; wheel, drag on the background, +/-, arrows, F to
 * fit), node dragging, hit testing through a quadtree and the same scene geometry.
 */
export function GraphView(props: GraphViewProps) {
  const { scene, renderer, width, height, style, fitKey, centerOn, onSelect, onHover, onDrag } = props;
  const surface = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const svgGroup = useRef<SVGGElement>(null);
  const zoomState = useRef<ZoomState>({ x: width / 2, y: height / 2, k: 1 });
  const behaviour = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const frame = useRef<number | null>(null);
  const painter = useRef(createCanvasPainter());
  const dragging = useRef<{ id: string; moved: boolean; pointer: number; x0: number; y0: number } | null>(null);
  const latest = useRef({ scene, style, width, height, renderer });

  const tree = useMemo(
    () =>
      quadtree<SceneNode>()
        .x((n) => n.x)
        .y((n) => n.y)
        .addAll(scene.nodes),
    [scene]
  );

  const paint = useCallback(() => {
    frame.current = null;
    const { scene: s, style: st, width: w, height: h, renderer: r } = latest.current;
    const z = zoomState.current;
    if (r === 'svg') {
      svgGroup.current?.setAttribute('transform', `translate(${z.x},${z.y}) scale(${z.k})`);
      return;
    }
    if (canvas.current) {
      painter.current.paint(canvas.current, s, z, st, { width: w, height: h, ratio: window.devicePixelRatio || 1 });
    }
  }, []);

  const schedule = useCallback(() => {
    if (frame.current === null) {
      frame.current = requestAnimationFrame(paint);
    }
  }, [paint]);

  useEffect(() => () => void (frame.current !== null && cancelAnimationFrame(frame.current)), []);

  const toGraph = useCallback((clientX: number, clientY: number): Point => {
    const rect = surface.current!.getBoundingClientRect();
    const z = zoomState.current;
    return { x: (clientX - rect.left - z.x) / z.k, y: (clientY - rect.top - z.y) / z.k };
  }, []);

  const hit = useCallback(
    (clientX: number, clientY: number): SceneNode | undefined => {
      const p = toGraph(clientX, clientY);
      const found = tree.find(p.x, p.y, 40);
      return found && Math.hypot(found.x - p.x, found.y - p.y) <= found.r + 3 / zoomState.current.k ? found : undefined;
    },
    [tree, toGraph]
  );
  const hitRef = useRef(hit);

  // Handlers and the painter read the latest props through refs; update them before the browser
  // paints, and set the SVG zoom transform there too (React does not manage that attribute).
  useLayoutEffect(() => {
    latest.current = { scene, style, width, height, renderer };
    hitRef.current = hit;
    if (renderer === 'svg') {
      paint();
    }
  });

  useEffect(() => {
    const element = surface.current!;
    const zoomBehaviour = d3zoom<HTMLDivElement, unknown>()
      .scaleExtent([MIN_ZOOM, MAX_ZOOM])
      // Presses on a node drag the node instead of panning.
      .filter((event: MouseEvent & WheelEvent) => {
        if (event.type === 'mousedown' || event.type === 'touchstart') {
          const touch = (event as unknown as TouchEvent).touches?.[0];
          const x = touch ? touch.clientX : event.clientX;
          const y = touch ? touch.clientY : event.clientY;
          if (hitRef.current(x, y)) {
            return false;
          }
        }
        return (!event.ctrlKey || event.type === 'wheel') && !event.button;
      })
      .on('zoom', (event: { transform: ZoomTransform }) => {
        zoomState.current = { x: event.transform.x, y: event.transform.y, k: event.transform.k };
        schedule();
      });
    behaviour.current = zoomBehaviour;
    const selection = select(element);
    selection.call(zoomBehaviour).on('dblclick.zoom', null);
    return () => {
      selection.on('.zoom', null);
    };
  }, [schedule]);

  const setTransform = useCallback((x: number, y: number, k: number) => {
    if (surface.current && behaviour.current) {
      select(surface.current).call(behaviour.current.transform, zoomIdentity.translate(x, y).scale(k));
    }
  }, []);

  const fit = useCallback(() => {
    const nodes = latest.current.scene.nodes;
    const { width: w, height: h } = latest.current;
    if (nodes.length === 0) {
      setTransform(w / 2, h / 2, 1);
      return;
    }
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of nodes) {
      minX = Math.min(minX, n.x - n.r);
      minY = Math.min(minY, n.y - n.r);
      maxX = Math.max(maxX, n.x + n.r);
      maxY = Math.max(maxY, n.y + n.r + 20);
    }
    const pad = 24;
    const k = Math.max(
      MIN_ZOOM,
      Math.min(1.5, (w - pad * 2) / Math.max(1, maxX - minX), (h - pad * 2) / Math.max(1, maxY - minY))
    );
    setTransform(w / 2 - ((minX + maxX) / 2) * k, h / 2 - ((minY + maxY) / 2) * k, k);
  }, [setTransform]);

  useEffect(() => {
    fit();
  }, [fitKey, fit]);

  useEffect(() => {
    if (centerOn === null) {
      return;
    }
    const node = latest.current.scene.nodes.find((n) => n.id === centerOn.id);
    if (node) {
      const k = Math.max(zoomState.current.k, 1);
      setTransform(latest.current.width / 2 - node.x * k, latest.current.height / 2 - node.y * k, k);
    }
  }, [centerOn, setTransform]);

  // Redraw whenever what is drawn changes (the transform alone is handled by the zoom handler).
  useEffect(() => {
    schedule();
  }, [scene, style, width, height, renderer, schedule]);

  const onPointerDown = (event: React.PointerEvent) => {
    const node = hit(event.clientX, event.clientY);
    if (!node || event.button !== 0) {
      return;
    }
    surface.current?.setPointerCapture?.(event.pointerId);
    dragging.current = { id: node.id, moved: false, pointer: event.pointerId, x0: event.clientX, y0: event.clientY };
  };

  const onPointerMove = (event: React.PointerEvent) => {
    const drag = dragging.current;
    if (drag && drag.pointer === event.pointerId) {
      if (!drag.moved && Math.hypot(event.clientX - drag.x0, event.clientY - drag.y0) < 3) {
        return;
      }
      drag.moved = true;
      onHover(null, null);
      onDrag(drag.id, toGraph(event.clientX, event.clientY));
      return;
    }
    if (event.buttons !== 0) {
      return;
    }
    const node = hit(event.clientX, event.clientY);
    const rect = surface.current!.getBoundingClientRect();
    onHover(node?.id ?? null, node ? { x: event.clientX - rect.left, y: event.clientY - rect.top } : null);
  };

  const onPointerUp = (event: React.PointerEvent) => {
    const drag = dragging.current;
    if (drag && drag.pointer === event.pointerId) {
      dragging.current = null;
      surface.current?.releasePointerCapture?.(event.pointerId);
      if (!drag.moved) {
        onSelect(drag.id);
      }
    }
  };

  const onBackgroundClick = (event: React.MouseEvent) => {
    if (event.defaultPrevented || hit(event.clientX, event.clientY)) {
      return;
    }
    onSelect(null);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const z = zoomState.current;
    const step = 60;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => setTransform(z.x + step, z.y, z.k),
      ArrowRight: () => setTransform(z.x - step, z.y, z.k),
      ArrowUp: () => setTransform(z.x, z.y + step, z.k),
      ArrowDown: () => setTransform(z.x, z.y - step, z.k),
      '+': () => zoomAround(1.25),
      '=': () => zoomAround(1.25),
      '-': () => zoomAround(0.8),
      f: fit,
      Escape: () => onSelect(null),
    };
    const zoomAround = (factor: number) => {
      const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z.k * factor));
      const cx = width / 2;
      const cy = height / 2;
      setTransform(cx - ((cx - z.x) / z.k) * k, cy - ((cy - z.y) / z.k) * k, k);
    };
    const action = keys[event.key];
    if (action && event.target === event.currentTarget) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div
      ref={surface}
      data-testid="topology-surface"
      data-renderer={renderer}
      role="application"
      aria-label="Service graph: arrows pan, plus and minus zoom, F fits, Tab moves between services"
      tabIndex={0}
      style={{ position: 'relative', width, height, overflow: 'hidden', touchAction: 'none', outline: 'none' }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => onHover(null, null)}
      onClick={onBackgroundClick}
      onKeyDown={onKeyDown}
    >
      {renderer === 'canvas' ? (
        <canvas
          ref={canvas}
          data-testid="topology-canvas"
          width={Math.round(width * (window.devicePixelRatio || 1))}
          height={Math.round(height * (window.devicePixelRatio || 1))}
          style={{ width, height, display: 'block' }}
        />
      ) : (
        <GraphSvg
          scene={scene}
          width={width}
          height={height}
          style={style}
          groupRef={svgGroup}
          onSelect={onSelect}
          onFocusNode={(node) => onHover(node?.id ?? null, node ? nodeOnScreen(node, zoomState.current) : null)}
        />
      )}
    </div>
  );
}

function nodeOnScreen(node: SceneNode, z: ZoomState): Point {
  return { x: z.x + node.x * z.k, y: z.y + (node.y + node.r) * z.k };
}
