import React, { useEffect, useRef } from 'react';

interface HeatmapProps {
  title: string;
  /** `[row][column]` values. */
  values: number[][];
  /** Maps a value to a CSS colour. */
  color: (value: number) => string;
  width: number;
  rowHeight: number;
  /** Columns from this index on are outlined (the steps the error is taken over). */
  markFrom?: number;
  markColor: string;
  testId: string;
}

function parseColor(css: string): [number, number, number] {
  const rgb = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (rgb) {
    return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  }
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  return [128, 128, 128];
}

/** A matrix as an image, one pixel per cell scaled up without smoothing: signals × time. */
export function Heatmap({ title, values, color, width, rowHeight, markFrom, markColor, testId }: HeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const rows = values.length;
  const columns = values[0]?.length ?? 0;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || rows === 0 || columns === 0) {
      return;
    }
    const image = ctx.createImageData(columns, rows);
    values.forEach((row, r) =>
      row.forEach((value, c) => {
        const [red, green, blue] = parseColor(color(value));
        const i = (r * columns + c) * 4;
        image.data[i] = red;
        image.data[i + 1] = green;
        image.data[i + 2] = blue;
        image.data[i + 3] = 255;
      })
    );
    ctx.putImageData(image, 0, 0);
  }, [values, color, rows, columns]);
  const height = rows * rowHeight;
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <figcaption style={{ fontSize: 12, marginBottom: 2 }}>{title}</figcaption>
      <div style={{ position: 'relative', width, height }}>
        <canvas
          ref={canvas}
          width={columns}
          height={rows}
          role="img"
          aria-label={title}
          style={{ width, height, imageRendering: 'pixelated', display: 'block' }}
        />
        {markFrom !== undefined && markFrom > 0 && columns > 0 && (
          <div
            title="steps the error is taken over"
            style={{
              position: 'absolute',
              top: -1,
              bottom: -1,
              left: (markFrom / columns) * width,
              right: -1,
              border: `1px dashed ${markColor}`,
              pointerEvents: 'none',
            }}
          />
        )}
      </div>
    </figure>
  );
}
