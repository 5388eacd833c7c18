import { severityBands } from './severityBands';

describe('severityBands', () => {
  it('turns runs of SEV2 and SEV1 into bands that end at the next change', () => {
    const time = [0, 10, 20, 30, 40, 50, 60];
    expect(severityBands(time, [0, 1, 1, 2, 2, 0, 0])).toEqual([
      { from: 10, to: 30, severity: 1 },
      { from: 30, to: 50, severity: 2 },
    ]);
  });

  it('keeps an incident open at the end of the range open to the last sample', () => {
    expect(severityBands([0, 10, 20], [0, 1, 1])).toEqual([{ from: 10, to: 20, severity: 1 }]);
  });

  it('ends a band where data is missing', () => {
    expect(severityBands([0, 10, 20, 30], [1, null, 1, 1])).toEqual([
      { from: 0, to: 10, severity: 1 },
      { from: 20, to: 30, severity: 1 },
    ]);
  });
});
