#!/usr/bin/env node
/**
 * Rendering benchmark of the topology panel in headless Chromium (not a test): for graphs of 100,
 * 500 and 2,000 services with 4 calls each, the time from handing the panel its frames to the
 * first drawn frame and to the first frame with the finished layout, the layout's own
 * computation time (in the worker for large graphs), and frames drawn per second while panning.
 * The last line is JSON. Targets: 2,000 services drawn in under 1 s, panned at 30 fps or more.
 *
 *   npm run bench:topology [-- --sizes 100,500,2000 --pan-seconds 3]
 *
 * Needs `npm run build` and `npm run build:preview` first.
 */
import { parseArgs } from 'node:util';

import { startPreviewServer } from '../preview/server/startPreviewServer.ts';
import { launchChromium } from '../tests/browser/launchChromium.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,500,2000' },
    'edges-per-node': { type: 'string', default: '4' },
    'pan-seconds': { type: 'string', default: '3' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const edgesPerNode = Number(values['edges-per-node']);
const panSeconds = Number(values['pan-seconds']);
const WIDTH = 1200;
const HEIGHT = 700;

/**
 * Installed before the page's own scripts: notes when the graph is first drawn and when it is
 * first drawn laid out, and counts paints (canvas clears, or transform updates of the SVG zoom
 * group), which is what panning produces.
 */
function instrument() {
  const marks = { surfaceAt: null, firstPaintAt: null, doneAt: null, laidOutPaintAt: null, paints: 0 };
  window.__benchMarks = marks;
  const clearRect = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    marks.paints++;
    return clearRect.apply(this, args);
  };
  const afterPaint = (key) =>
    requestAnimationFrame(() => requestAnimationFrame(() => (marks[key] ??= performance.now())));
  new MutationObserver(() => {
    const panel = document.querySelector('[data-testid="seismo-topology-panel"]');
    const surface = document.querySelector('[data-testid="topology-surface"]');
    if (surface && marks.surfaceAt === null) {
      marks.surfaceAt = performance.now();
      afterPaint('firstPaintAt');
      const group = surface.querySelector('svg > g');
      if (group) {
        new MutationObserver(() => marks.paints++).observe(group, { attributes: true, attributeFilter: ['transform'] });
      }
    }
    if (panel?.getAttribute('data-layout') === 'done' && marks.doneAt === null) {
      marks.doneAt = performance.now();
      afterPaint('laidOutPaintAt');
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-layout'] });
}

const server = await startPreviewServer();
const browser = await launchChromium();
const results = [];
try {
  // One unmeasured run first, so that the first measured size does not pay for a cold browser.
  const warmUp = await browser.newPage();
  await warmUp.addInitScript(instrument);
  await warmUp.goto(`${server.url}?view=bench&nodes=50&edgesPerNode=${edgesPerNode}`);
  await warmUp.waitForFunction(() => window.__benchMarks?.laidOutPaintAt != null, undefined, { timeout: 120_000 });
  await warmUp.close();
  for (const nodes of sizes) {
    const page = await browser.newPage({ viewport: { width: WIDTH + 100, height: HEIGHT + 200 } });
    await page.addInitScript(instrument);
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const query = new URLSearchParams({
      view: 'bench',
      nodes: String(nodes),
      edgesPerNode: String(edgesPerNode),
      width: String(WIDTH),
      height: String(HEIGHT),
    });
    await page.goto(`${server.url}?${query}`);
    await page.waitForFunction(() => window.__benchMarks?.laidOutPaintAt != null, undefined, { timeout: 120_000 });
    const load = await page.evaluate(() => ({
      bench: window.__seismoBench,
      marks: window.__benchMarks,
      layoutMs: Number(document.querySelector('[data-testid="seismo-topology-panel"]').getAttribute('data-layout-ms')),
      renderer: document.querySelector('[data-testid="topology-surface"]').getAttribute('data-renderer'),
    }));
    // Pan: press near the bottom-left corner of the surface, then move the pointer once per
    // animation frame for panSeconds, as a hand dragging the graph does. The events go through
    // the same d3-zoom handlers as real ones; what limits the rate is the panel's drawing.
    const pan = await page.evaluate(async (seconds) => {
      const surface = document.querySelector('[data-testid="topology-surface"]');
      const box = surface.getBoundingClientRect();
      const x0 = box.left + 12;
      const y0 = box.bottom - 12;
      const fire = (type, target, x, y) =>
        target.dispatchEvent(
          new MouseEvent(type, {
            bubbles: true,
            cancelable: true,
            view: window,
            clientX: x,
            clientY: y,
            button: 0,
            buttons: type === 'mouseup' ? 0 : 1,
          })
        );
      fire('mousedown', surface, x0, y0);
      const paints0 = window.__benchMarks.paints;
      const start = performance.now();
      const frames = [];
      await new Promise((resolve) => {
        let i = 0;
        const tick = (now) => {
          frames.push(now);
          i++;
          fire('mousemove', window, x0 + 200 * Math.sin(i / 20), y0 - 150 + 150 * Math.cos(i / 20));
          if (now - start < seconds * 1000) {
            requestAnimationFrame(tick);
          } else {
            resolve();
          }
        };
        requestAnimationFrame(tick);
      });
      fire('mouseup', window, x0, y0);
      const elapsed = (performance.now() - start) / 1000;
      const gaps = frames.slice(1).map((t, k) => t - frames[k]);
      return {
        paints: window.__benchMarks.paints - paints0,
        seconds: elapsed,
        worst: Math.max(...gaps),
        moves: frames.length,
      };
    }, panSeconds);
    const result = {
      nodes: load.bench.nodes,
      edges: load.bench.edges,
      renderer: load.renderer,
      firstDrawMs: Math.round(load.marks.firstPaintAt - load.bench.dataAt),
      laidOutDrawMs: Math.round(load.marks.laidOutPaintAt - load.bench.dataAt),
      layoutMs: Math.round(load.layoutMs),
      panFps: Math.round((pan.paints / pan.seconds) * 10) / 10,
      worstFrameMs: Math.round(pan.worst),
      pointerMoves: pan.moves,
    };
    if (problems.length > 0) {
      result.errors = problems;
    }
    results.push(result);
    process.stdout.write(
      `${String(nodes).padStart(5)} services ${String(result.edges).padStart(5)} calls (${result.renderer}): ` +
        `first draw ${result.firstDrawMs} ms, laid out and drawn ${result.laidOutDrawMs} ms (layout ${result.layoutMs} ms), ` +
        `panning ${result.panFps} fps (worst frame ${result.worstFrameMs} ms)\n`
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const largest = results[results.length - 1];
console.log(
  JSON.stringify({
    bench: 'topology',
    chromium: browser.version(),
    viewport: { width: WIDTH, height: HEIGHT },
    edgesPerNode,
    results,
    targets: {
      drawnUnder1s: largest ? largest.laidOutDrawMs < 1000 : null,
      pan30fps: largest ? largest.panFps >= 30 : null,
    },
  })
);
