import { calibratedScore } from './calibratedScore';

const calibration = {
  levels: Float64Array.from([0, 0.5, 0.9, 1]),
  quantiles: Float64Array.from([1, 2, 4, 8]),
  threshold: 9,
  thresholdScore: 1,
};

describe('calibratedScore', () => {
  it('interpolates linearly between calibration quantiles and clamps to [0, 1]', () => {
    expect(calibratedScore(0.5, calibration)).toBe(0);
    expect(calibratedScore(1, calibration)).toBe(0);
    expect(calibratedScore(1.5, calibration)).toBeCloseTo(0.25);
    expect(calibratedScore(3, calibration)).toBeCloseTo(0.7);
    expect(calibratedScore(6, calibration)).toBeCloseTo(0.95);
    expect(calibratedScore(8, calibration)).toBe(1);
    expect(calibratedScore(100, calibration)).toBe(1);
  });

  it('keeps NaN as NaN', () => {
    expect(calibratedScore(Number.NaN, calibration)).toBeNaN();
  });
});
