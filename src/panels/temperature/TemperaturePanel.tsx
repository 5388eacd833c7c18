import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { AccumulatorList } from './AccumulatorList';
import { readIncidentTimeline } from './readIncidentTimeline';
import { TemperatureChart } from './TemperatureChart';
import { ToleratedList } from './ToleratedList';
import { DEFAULT_TEMPERATURE_OPTIONS, type IncidentTimeline, type TemperatureOptions } from './types';

const HEADER = 36;

/** Incident temperature with severity, the accumulators behind it and the spikes it tolerated. */
export function TemperaturePanel(props: PanelProps<TemperatureOptions>) {
  const { data, width, height, timeZone, timeRange } = props;
  const options = { ...DEFAULT_TEMPERATURE_OPTIONS, ...props.options };
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const timeline = useMemo(() => readIncidentTimeline(data.series), [data.series]);
  if (!timeline) {
    return (
      <PanelDataErrorView
        panelId={props.id}
        fieldConfig={props.fieldConfig}
        data={data}
        message="No incident frames in the query result. Use the Seismo datasource's incidents query: the timeline view returns the temperature frame and one accumulator frame per entity, the tolerated view the spikes that did not open an incident"
      />
    );
  }
  const wide = width >= 760;
  const lists = (options.showAccumulators && timeline.entities.length > 0) || options.showTolerated;
  const chartHeight = timeline.temperature
    ? Math.max(90, Math.round((height - HEADER) * (lists ? (wide ? 0.55 : 0.5) : 1)))
    : 0;
  const listHeight = height - HEADER - chartHeight;
  return (
    <div className={styles.root} style={{ width, height }} data-testid="seismo-temperature-panel">
      <Header timeline={timeline} theme={theme} timeZone={timeZone} />
      {timeline.temperature ? (
        <TemperatureChart
          timeline={timeline}
          range={{ from: timeRange.from.valueOf(), to: timeRange.to.valueOf() }}
          width={width}
          height={chartHeight}
          theme={theme}
          timeZone={timeZone}
        />
      ) : null}
      {lists && (
        <div className={styles.lists} style={{ height: listHeight, flexDirection: wide ? 'row' : 'column' }}>
          {options.showAccumulators && timeline.entities.length > 0 && (
            <div className={styles.list} style={{ flex: wide ? '0 0 45%' : undefined }}>
              <AccumulatorList
                entities={timeline.entities}
                style={options.accumulatorStyle}
                limit={options.maxEntities}
                theme={theme}
              />
            </div>
          )}
          {options.showTolerated && (
            <div className={styles.list} style={{ flex: 1 }}>
              <ToleratedList spikes={timeline.tolerated} theme={theme} timeZone={timeZone} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function Header({ timeline, theme, timeZone }: { timeline: IncidentTimeline; theme: GrafanaTheme2; timeZone: string }) {
  const { current } = timeline;
  const label =
    current.severity === 2
      ? 'SEV1'
      : current.severity === 1
        ? 'SEV2'
        : current.severity === 0
          ? 'No incident'
          : 'Severity unknown';
  const color =
    current.severity === 2
      ? theme.colors.error
      : current.severity === 1
        ? theme.colors.warning
        : current.severity === 0
          ? theme.colors.success
          : theme.colors.secondary;
  const affected = timeline.entities.filter(
    (e) => e.latest !== null && e.threshold !== null && e.latest >= e.threshold
  );
  return (
    <div style={{ height: HEADER, display: 'flex', alignItems: 'center', gap: 12, padding: '0 8px', fontSize: 13 }}>
      <span
        data-testid="severity-badge"
        data-severity={label}
        style={{
          background: color.main,
          color: color.contrastText,
          borderRadius: theme.shape.radius.default,
          padding: '2px 10px',
          fontWeight: 600,
        }}
      >
        {label}
      </span>
      {current.severity !== null && current.severity > 0 && current.since !== null && (
        <span>open since {dateTimeFormat(current.since, { timeZone, format: 'HH:mm:ss' })}</span>
      )}
      {current.temperature !== null && (
        <span data-testid="current-temperature">
          temperature <strong>{current.temperature}</strong>
          {current.openThreshold !== null && ` · opens at ${current.openThreshold}`}
          {current.closeThreshold !== null && ` · closes at ${current.closeThreshold}`}
        </span>
      )}
      {affected.length > 0 && (
        <span style={{ color: theme.colors.text.secondary }}>
          over own threshold: {affected.map((e) => e.entity).join(', ')}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  lists: css({ display: 'flex', gap: theme.spacing(2), padding: theme.spacing(0, 1), overflow: 'hidden' }),
  list: css({ overflowY: 'auto', minHeight: 0 }),
});
