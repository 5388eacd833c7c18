import type { DiurnalSpec, LoadProfile, LoadProfileSpec, SpikesSpec } from './types.js';

/**
 * Turns a profile spec into a pure function of time. Specs from files and command lines are
 * checked with their locations by validateProfileSpec first; the checks here guard specs built
 * in code, where a NaN or a negative rate would otherwise surface far away as a broken schedule.
 */
export function createProfile(spec: LoadProfileSpec): LoadProfile {
  switch (spec.kind) {
    case 'steady': {
      requireRate('steady rps', spec.rps);
      const rps = spec.rps;
      return { spec, maxRate: rps, rateAt: (t) => (t >= 0 ? rps : 0) };
    }
    case 'diurnal':
      return diurnal(spec);
    case 'spikes':
      return spikes(spec);
    case 'product': {
      if (spec.factors.length === 0) {
        throw new RangeError('a product profile needs at least one factor');
      }
      const factors = spec.factors.map(createProfile);
      // Every factor is non-negative, so the product of their bounds bounds the product.
      const maxRate = factors.reduce((m, f) => m * f.maxRate, 1);
      return {
        spec,
        maxRate,
        rateAt: (t) => factors.reduce((r, f) => r * f.rateAt(t), 1),
      };
    }
    default: {
      const unknown: never = spec;
      throw new RangeError(`unknown profile kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}

function diurnal(spec: DiurnalSpec): LoadProfile {
  requireRate('diurnal base', spec.base);
  if (!(spec.amplitude >= 0 && spec.amplitude < 1)) {
    throw new RangeError(`diurnal amplitude must be in [0, 1), got ${spec.amplitude}`);
  }
  if (!(spec.periodSeconds > 0 && Number.isFinite(spec.periodSeconds))) {
    throw new RangeError(`diurnal period must be > 0 seconds, got ${spec.periodSeconds}`);
  }
  if (!Number.isFinite(spec.phaseSeconds)) {
    throw new RangeError(`diurnal phase must be finite, got ${spec.phaseSeconds}`);
  }
  const { base, amplitude, periodSeconds, phaseSeconds } = spec;
  const omega = (2 * Math.PI) / periodSeconds;
  return {
    spec,
    maxRate: base * (1 + amplitude),
    rateAt: (t) => (t >= 0 ? base * (1 + amplitude * Math.sin(omega * (t - phaseSeconds))) : 0),
  };
}

function spikes(spec: SpikesSpec): LoadProfile {
  requireRate('spikes base', spec.base);
  const sorted = [...spec.spikes].sort((a, b) => a.startSeconds - b.startSeconds);
  sorted.forEach((s, i) => {
    if (!(s.startSeconds >= 0 && Number.isFinite(s.startSeconds))) {
      throw new RangeError(`spike start must be >= 0 seconds, got ${s.startSeconds}`);
    }
    if (!(s.durationSeconds > 0 && Number.isFinite(s.durationSeconds))) {
      throw new RangeError(`spike duration must be > 0 seconds, got ${s.durationSeconds}`);
    }
    requireRate('spike multiplier', s.multiplier);
    const prev = sorted[i - 1];
    if (prev && prev.startSeconds + prev.durationSeconds > s.startSeconds) {
      throw new RangeError(`spikes at ${prev.startSeconds}s and ${s.startSeconds}s overlap`);
    }
  });
  const base = spec.base;
  const maxMultiplier = sorted.reduce((m, s) => Math.max(m, s.multiplier), 1);
  return {
    spec,
    maxRate: base * maxMultiplier,
    rateAt(t) {
      if (!(t >= 0)) {
        return 0;
      }
      // Few spikes per profile: a linear scan is cheaper than anything cleverer.
      for (const s of sorted) {
        if (t >= s.startSeconds && t < s.startSeconds + s.durationSeconds) {
          return base * s.multiplier;
        }
      }
      return base;
    },
  };
}

function requireRate(what: string, value: number): void {
  if (!(value >= 0 && Number.isFinite(value))) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
  }
}
