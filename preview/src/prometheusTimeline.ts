/** A frame in Grafana's data-frame JSON, as the datasource and the sidecar send them. */
export interface WireFrame {
  schema: { name: string; fields: Array<{ name: string; type: 'time' | 'number'; labels?: Record<string, string> }> };
  data: { values: Array<Array<number | null>> };
}

type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

export type RangeQuery = (expr: string, start: number, end: number, step: number) => Promise<Matrix>;

/**
 * The incidents `timeline` frames (docs/frames.md, in the data-frame JSON the datasource sends)
 * built from the sidecar's own series in
 * Prometheus, for the live preview (in Grafana the Seismo datasource builds them): the summed
 * temperature with the thresholds and severity, and one accumulator frame per entity with its
 * threshold. Samples are placed on the query's step grid; missing ones stay null.
 */
export async function prometheusTimeline(query: RangeQuery, range: { from: number; to: number }): Promise<WireFrame[]> {
  const start = Math.floor(range.from / 1000);
  const end = Math.floor(range.to / 1000);
  const step = Math.max(15, Math.round((end - start) / 300));
  const grid: number[] = [];
  for (let t = start; t <= end; t += step) {
    grid.push(t);
  }
  const align = (values: Array<[number, string]> | undefined): Array<number | null> => {
    const byTime = new Map((values ?? []).map(([t, v]) => [Math.round(t), Number(v)]));
    return grid.map((t) => {
      const v = byTime.get(t);
      return v === undefined || !Number.isFinite(v) ? null : v;
    });
  };
  // One query first: when Prometheus is not there, that is the only failed request.
  const temperature = await query('sum(seismo_incident_temperature)', start, end, step);
  const [open, close, severity, accumulators, thresholds] = await Promise.all(
    [
      'max(seismo_incident_open_threshold)',
      'max(seismo_incident_close_threshold)',
      'max(seismo_incident_severity)',
      'seismo_incident_accumulator',
      'seismo_incident_entity_threshold',
    ].map((expr) => query(expr, start, end, step))
  );
  const time = grid.map((t) => t * 1000);
  const frames: WireFrame[] = [
    {
      schema: {
        name: 'temperature',
        fields: [
          { name: 'Time', type: 'time' },
          { name: 'temperature', type: 'number' },
          { name: 'open_threshold', type: 'number' },
          { name: 'close_threshold', type: 'number' },
          { name: 'severity', type: 'number' },
        ],
      },
      data: {
        values: [
          time,
          align(temperature[0]?.values),
          align(open![0]?.values),
          align(close![0]?.values),
          align(severity![0]?.values),
        ],
      },
    },
  ];
  const thresholdOf = new Map(thresholds!.map((series) => [series.metric.entity, align(series.values)]));
  for (const series of accumulators!) {
    const { entity = '', scope = '' } = series.metric;
    frames.push({
      schema: {
        name: entity,
        fields: [
          { name: 'Time', type: 'time' },
          { name: 'accumulator', type: 'number', labels: { scope, entity } },
          { name: 'threshold', type: 'number' },
        ],
      },
      data: { values: [time, align(series.values), thresholdOf.get(entity) ?? grid.map(() => null)] },
    });
  }
  return frames;
}
