import type { Scene } from './buildScene';
import { drawScene, type CanvasStyle, type ZoomState } from './drawScene';
import { sceneBounds } from './sceneBounds';

export interface CanvasPainter {
  paint(
    canvas: HTMLCanvasElement,
    scene: Scene,
    zoom: ZoomState,
    style: CanvasStyle,
    size: { width: number; height: number; ratio: number }
  ): void;
}

/** Largest cached picture, as a multiple of the visible area. */
const CACHE_AREA = 4;

/**
 * Paints scenes on the panel's canvas. While only the offset changes (panning), the graph is
 * drawn once into an offscreen picture at the current scale and each frame just copies it at the
 * new offset: the cost of a frame no longer grows with the number of services and calls. A new
 * scene, style or scale redraws the picture. When the whole graph at this scale would be far
 * larger than the view (zoomed in), frames are drawn directly, culled to what is visible.
 */
export function createCanvasPainter(): CanvasPainter {
  let cache: {
    picture: HTMLCanvasElement;
    scene: Scene;
    style: CanvasStyle;
    k: number;
    ratio: number;
    originX: number;
    originY: number;
  } | null = null;

  return {
    paint(canvas, scene, zoom, style, size) {
      const ctx = canvas.getContext('2d');
      if (!ctx) {
        return;
      }
      const bounds = sceneBounds(scene, style.labelSize);
      const pictureWidth = bounds ? (bounds.maxX - bounds.minX) * zoom.k : 0;
      const pictureHeight = bounds ? (bounds.maxY - bounds.minY) * zoom.k : 0;
      if (!bounds || pictureWidth * pictureHeight > CACHE_AREA * size.width * size.height) {
        cache = null;
        drawScene(ctx, scene, zoom, size, style);
        return;
      }
      if (
        !cache ||
        cache.scene !== scene ||
        cache.style !== style ||
        cache.k !== zoom.k ||
        cache.ratio !== size.ratio
      ) {
        const picture = cache?.picture ?? document.createElement('canvas');
        picture.width = Math.ceil(pictureWidth * size.ratio);
        picture.height = Math.ceil(pictureHeight * size.ratio);
        const pictureCtx = picture.getContext('2d');
        if (!pictureCtx) {
          drawScene(ctx, scene, zoom, size, style);
          return;
        }
        drawScene(
          pictureCtx,
          scene,
          { x: -bounds.minX * zoom.k, y: -bounds.minY * zoom.k, k: zoom.k },
          { width: pictureWidth, height: pictureHeight, ratio: size.ratio },
          style
        );
        cache = { picture, scene, style, k: zoom.k, ratio: size.ratio, originX: bounds.minX, originY: bounds.minY };
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(
        cache.picture,
        Math.round((zoom.x + cache.originX * zoom.k) * size.ratio),
        Math.round((zoom.y + cache.originY * zoom.k) * size.ratio)
      );
    },
  };
}
