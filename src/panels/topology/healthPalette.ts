import { type ColorScheme, type Health, HEALTH_CLASSES } from './types';

export interface HealthStyle {
  color: string;
  /** Stroke dash pattern: the state is readable without colour (null: solid). */
  dash: number[] | null;
  /** Drawn inside the node so the class does not depend on colour alone. */
  glyph: string;
  label: string;
}

const COLORS: Record<ColorScheme, Record<'dark' | 'light', Record<Health, string>>> = {
  seismo: {
    dark: {
      anomalous: '#F2495C',
      elevated: '#FF9830',
      healthy: '#56A64B',
      fallback: '#B877D9',
      warmup: '#8AB8FF',
      stale: '#A38A6C',
      unknown: '#7B7F87',
    },
    light: {
      anomalous: '#C4162A',
      elevated: '#E0752D',
      healthy: '#37872D',
      fallback: '#8F3BB8',
      warmup: '#1F60C4',
      stale: '#7A6148',
      unknown: '#8E9199',
    },
  },
  // Okabe–Ito colours: blue, yellow and vermillion stay apart for the common colour-vision deficiencies.
  colorblind: {
    dark: {
      anomalous: '#D55E00',
      elevated: '#F0E442',
      healthy: '#0072B2',
      fallback: '#CC79A7',
      warmup: '#56B4E9',
      stale: '#A08C5B',
      unknown: '#8C8C8C',
    },
    light: {
      anomalous: '#D55E00',
      elevated: '#C9A800',
      healthy: '#0072B2',
      fallback: '#CC79A7',
      warmup: '#3A9AD9',
      stale: '#8A7440',
      unknown: '#9A9A9A',
    },
  },
};

const SHAPE: Record<Health, Omit<HealthStyle, 'color'>> = {
  anomalous: { dash: null, glyph: '!', label: 'anomalous' },
  elevated: { dash: null, glyph: '', label: 'elevated' },
  healthy: { dash: null, glyph: '', label: 'healthy' },
  fallback: { dash: [6, 2, 1, 2], glyph: 'F', label: 'fallback (univariate)' },
  warmup: { dash: [4, 3], glyph: 'W', label: 'warming up' },
  stale: { dash: [1, 3], glyph: 'S', label: 'stale' },
  unknown: { dash: [2, 2], glyph: '?', label: 'unknown / no data' },
};

/** Colour and non-colour cues per health class, for a colour scheme and theme mode. */
export function healthPalette(scheme: ColorScheme, mode: 'dark' | 'light'): Record<Health, HealthStyle> {
  const colors = COLORS[scheme][mode];
  const out = {} as Record<Health, HealthStyle>;
  for (const health of HEALTH_CLASSES) {
    out[health] = { color: colors[health], ...SHAPE[health] };
  }
  return out;
}
