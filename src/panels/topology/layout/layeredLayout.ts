import type { LayoutRequest } from './types';

const COLUMN = 110;
const ROW = 120;
const WRAPPED_ROW = 60;

/**
 * Calls drawn top to bottom: entry points (services nobody calls) on the first layer, every
 * callee below its lowest caller (longest-path layering), cycles broken at the calls that close
 * them. Within a layer, services are ordered by the mean position of their neighbours (a few
 * barycentre sweeps) to reduce crossings. Layers wider than a readable row wrap onto extra rows.
 */
export function layeredLayout(request: LayoutRequest): { x: Float64Array; y: Float64Array } {
  const { count, links } = request;
  const out: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i + 1 < links.length; i += 2) {
    const s = links[i] as number;
    const t = links[i + 1] as number;
    if (s !== t) {
      out[s]!.push(t);
    }
  }
  const dag = acyclic(out);
  const layer = longestPathLayers(dag);
  const layers: number[][] = [];
  layer.forEach((l, node) => (layers[l] ??= []).push(node));
  const preds: number[][] = Array.from({ length: count }, () => []);
  dag.forEach((targets, s) => targets.forEach((t) => preds[t]!.push(s)));
  const position = new Float64Array(count);
  const renumber = (row: number[]) => row.forEach((node, i) => (position[node] = i / Math.max(1, row.length - 1)));
  layers.forEach(renumber);
  const barycentre = (node: number, neighbours: number[]) =>
    neighbours.length === 0
      ? position[node]!
      : neighbours.reduce((sum, n) => sum + position[n]!, 0) / neighbours.length;
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers : [...layers].reverse();
    for (const row of order) {
      const keys = new Map(row.map((node) => [node, barycentre(node, down ? preds[node]! : dag[node]!)]));
      row.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
      renumber(row);
    }
  }
  const perRow = Math.max(8, Math.ceil(Math.sqrt(count) * 2));
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  let top = 0;
  for (const row of layers) {
    const rows = Math.ceil(row.length / perRow);
    row.forEach((node, i) => {
      const sub = Math.floor(i / perRow);
      const inRow = Math.min(perRow, row.length - sub * perRow);
      const col = i - sub * perRow;
      // Stagger wrapped rows so that their labels do not stack exactly.
      x[node] = (col - (inRow - 1) / 2) * COLUMN + (sub % 2) * (COLUMN / 2);
      y[node] = top + sub * WRAPPED_ROW;
    });
    top += (rows - 1) * WRAPPED_ROW + ROW;
  }
  return { x, y };
}

/** The call lists without the calls that close a cycle (found by an iterative depth-first search). */
function acyclic(out: number[][]): number[][] {
  const count = out.length;
  const state = new Uint8Array(count); // 0 new, 1 on the stack, 2 done
  const kept: number[][] = Array.from({ length: count }, () => []);
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) {
      continue;
    }
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      if (next < out[node]!.length) {
        top[1] = next + 1;
        const target = out[node]![next]!;
        if (state[target] === 1) {
          continue;
        }
        kept[node]!.push(target);
        if (state[target] === 0) {
          state[target] = 1;
          stack.push([target, 0]);
        }
      } else {
        state[node] = 2;
        stack.pop();
      }
    }
  }
  return kept;
}

function longestPathLayers(dag: number[][]): Int32Array {
  const count = dag.length;
  const indegree = new Int32Array(count);
  dag.forEach((targets) => targets.forEach((t) => indegree[t]!++));
  const layer = new Int32Array(count);
  const queue: number[] = [];
  for (let i = 0; i < count; i++) {
    if (indegree[i] === 0) {
      queue.push(i);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const t of dag[node]!) {
      layer[t] = Math.max(layer[t]!, layer[node]! + 1);
      if (--indegree[t]! === 0) {
        queue.push(t);
      }
    }
  }
  return layer;
}
