import { dateTime, EventBusSrv, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';

/** Panel props as a dashboard passes them, for component tests: frames, range, options, size. */
export function panelTestProps<T>(
  series: DataFrame[],
  options: T,
  range = { from: 1699999400000, to: 1700000240000 },
  size = { width: 1000, height: 560 }
): PanelProps<T> {
  const timeRange = { from: dateTime(range.from), to: dateTime(range.to), raw: { from: 'now-15m', to: 'now' } };
  return {
    id: 1,
    data: {
      series,
      state: LoadingState.Done,
      timeRange,
      request: {
        targets: [{ refId: 'A', datasource: { uid: 'seismo-test', type: 'seismo-anomaly-datasource' } }],
      } as never,
    },
    timeRange,
    timeZone: 'utc',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    width: size.width,
    height: size.height,
    transparent: false,
    renderCounter: 0,
    title: 'panel',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    replaceVariables: (v: string) => v,
    onChangeTimeRange: () => undefined,
  } as PanelProps<T>;
}
