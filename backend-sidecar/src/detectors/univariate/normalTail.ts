/** Below this the power series of erf is accurate to about 1e-14 relative in erfc; above it the continued fraction is. */
const SERIES_LIMIT = 2;
/** Terms of the continued fraction; enough for full double precision from x = 2 upwards. */
const FRACTION_TERMS = 120;

/**
 * Complementary error function for x ≥ 0, accurate relative to its own (tiny) value far into
 * the tail: the detector's scores and the NAB reference detector both depend on telling
 * 1e-12 from 1e-16, which `1 - erf(x)` cannot.
 */
function erfcNonNegative(x: number): number {
  if (x < SERIES_LIMIT) {
    // erf(x) = 2/√π · Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))), evaluated from the tail.
  let t = x;
  for (let n = FRACTION_TERMS; n >= 1; n--) {
    t = x + n / 2 / t;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

/**
 * Upper tail probability of the standard normal distribution, P(Z > z). Exact to double
 * precision in relative terms for large z (no cancellation), so tail probabilities of
 * extreme points stay distinguishable.
 */
export function normalTail(z: number): number {
  if (Number.isNaN(z)) {
    return Number.NaN;
  }
  if (z < 0) {
    return 1 - normalTail(-z);
  }
  return 0.5 * erfcNonNegative(z / Math.SQRT2);
}
