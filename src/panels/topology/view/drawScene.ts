import { interpolateRgb } from 'd3';

import type { Scene, SceneEdge, SceneNode } from './buildScene';

export interface ZoomState {
  x: number;
  y: number;
  k: number;
}

export interface CanvasStyle {
  background: string;
  text: string;
  labelSize: number;
  selection: string;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) {
      list.push(item);
    } else {
      groups.set(k, [item]);
    }
  }
  return groups;
}

/**
 * Draws a scene on a 2D canvas at a zoom transform. Cost grows with what is visible: items
 * outside the viewport are skipped, paths are batched per style (one stroke call per colour and
 * width, not per edge), and arrow heads, glyphs and labels appear only once they are big
 * enough on screen to read.
 */
export function drawScene(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  zoom: ZoomState,
  size: { width: number; height: number; ratio: number },
  style: CanvasStyle
): void {
  const { width, height, ratio } = size;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(ratio * zoom.k, 0, 0, ratio * zoom.k, ratio * zoom.x, ratio * zoom.y);
  const margin = 40 / zoom.k;
  const left = -zoom.x / zoom.k - margin;
  const top = -zoom.y / zoom.k - margin;
  const right = (width - zoom.x) / zoom.k + margin;
  const bottom = (height - zoom.y) / zoom.k + margin;
  const inView = (x: number, y: number) => x >= left && x <= right && y >= top && y <= bottom;

  const edges = scene.edges.filter(
    (e) => inView(e.x1, e.y1) || inView(e.x2, e.y2) || segmentCrosses(e, left, top, right, bottom)
  );
  const nodes = scene.nodes.filter((n) => inView(n.x, n.y));
  const arrows = zoom.k >= 0.45 && edges.length < 4000;

  const edgeGroups = groupBy(
    edges,
    (e) => `${e.color}|${e.width}|${e.dash?.join(',') ?? ''}|${e.dim ? 1 : 0}|${e.highlighted ? 1 : 0}`
  );
  for (const list of edgeGroups.values()) {
    const first = list[0]!;
    ctx.globalAlpha = first.dim ? 0.15 : first.highlighted ? 1 : 0.75;
    ctx.strokeStyle = first.color;
    ctx.lineWidth = first.highlighted ? first.width + 1.5 : first.width;
    ctx.setLineDash(first.dash ?? []);
    ctx.beginPath();
    for (const e of list) {
      ctx.moveTo(e.x1, e.y1);
      ctx.lineTo(e.x2, e.y2);
    }
    ctx.stroke();
    if (arrows) {
      ctx.fillStyle = first.color;
      ctx.beginPath();
      for (const e of list) {
        arrowHead(ctx, e, 4 + e.width);
      }
      ctx.fill();
    }
  }
  ctx.setLineDash([]);

  const nodeGroups = groupBy(nodes, (n) => `${n.color}|${n.dash?.join(',') ?? ''}|${n.dim ? 1 : 0}|${n.health}`);
  for (const list of nodeGroups.values()) {
    const first = list[0]!;
    ctx.beginPath();
    for (const n of list) {
      ctx.moveTo(n.x + n.r, n.y);
      ctx.arc(n.x, n.y, n.r, 0, Math.PI * 2);
    }
    // One opaque fill (the class colour blended into the background) hides the edges beneath.
    ctx.globalAlpha = first.dim ? 0.25 : 1;
    ctx.fillStyle = interpolateRgb(style.background, first.color)(first.health === 'anomalous' ? 0.5 : 0.2);
    ctx.fill();
    ctx.strokeStyle = first.color;
    ctx.lineWidth = first.health === 'anomalous' ? 4 : 2.5;
    ctx.setLineDash(first.dash ?? []);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;

  const marked = nodes.filter((n) => n.selected || n.match);
  if (marked.length > 0) {
    ctx.strokeStyle = style.selection;
    ctx.lineWidth = 2 / Math.min(1, zoom.k);
    ctx.beginPath();
    for (const n of marked) {
      const r = n.r + 5 / Math.min(1, zoom.k);
      ctx.moveTo(n.x + r, n.y);
      ctx.arc(n.x, n.y, r, 0, Math.PI * 2);
    }
    ctx.stroke();
  }

  const screenRadius = 16 * zoom.k;
  if (screenRadius >= 9) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `600 ${Math.round(10)}px Inter, Helvetica, Arial, sans-serif`;
    for (const n of nodes) {
      if (n.text !== '') {
        ctx.globalAlpha = n.dim ? 0.3 : 1;
        ctx.fillStyle = style.text;
        ctx.fillText(n.text, n.x, n.y);
      }
    }
  }
  if (style.labelSize * zoom.k >= 8 && nodes.length <= 1500) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.font = `${style.labelSize}px Inter, Helvetica, Arial, sans-serif`;
    ctx.fillStyle = style.text;
    for (const n of nodes) {
      ctx.globalAlpha = n.dim ? 0.3 : 1;
      ctx.fillText(n.label, n.x, n.y + n.r + 4);
      if (n.rank !== null) {
        drawRank(ctx, n, style);
      }
    }
  }
  ctx.globalAlpha = 1;
}

function arrowHead(ctx: CanvasRenderingContext2D, e: SceneEdge, size: number) {
  const dx = e.x2 - e.x1;
  const dy = e.y2 - e.y1;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  ctx.moveTo(e.x2, e.y2);
  ctx.lineTo(e.x2 - ux * size * 1.6 - uy * size * 0.7, e.y2 - uy * size * 1.6 + ux * size * 0.7);
  ctx.lineTo(e.x2 - ux * size * 1.6 + uy * size * 0.7, e.y2 - uy * size * 1.6 - ux * size * 0.7);
  ctx.closePath();
}

function drawRank(ctx: CanvasRenderingContext2D, n: SceneNode, style: CanvasStyle) {
  const x = n.x + n.r * 0.8;
  const y = n.y - n.r * 0.8;
  ctx.save();
  ctx.fillStyle = n.color;
  ctx.beginPath();
  ctx.arc(x, y, 8, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = style.background;
  ctx.font = '600 9px Inter, Helvetica, Arial, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText(`#${n.rank}`, x, y);
  ctx.restore();
}

/** Whether an edge crosses the viewport although both its ends lie outside it. */
function segmentCrosses(e: SceneEdge, left: number, top: number, right: number, bottom: number): boolean {
  if (Math.max(e.x1, e.x2) < left || Math.min(e.x1, e.x2) > right) {
    return false;
  }
  if (Math.max(e.y1, e.y2) < top || Math.min(e.y1, e.y2) > bottom) {
    return false;
  }
  return true;
}
