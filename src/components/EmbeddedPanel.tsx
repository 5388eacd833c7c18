import React, { useMemo } from 'react';
import { type DataFrame, dateTime, EventBusSrv, LoadingState, type PanelPlugin, type TimeRange } from '@grafana/data';
import { ErrorBoundaryAlert } from '@grafana/ui';

import { useElementWidth } from './useElementWidth';

interface Props {
  plugin: PanelPlugin;
  series: DataFrame[];
  height: number;
  title: string;
  timeRange?: TimeRange;
  timeZone?: string;
}

/**
 * Renders one of Seismo's panels inside an app page with frames the page already holds, with the
 * panel's default options: the same component that draws the panel on a dashboard, so a page and
 * a dashboard never disagree about what the data means.
 */
export function EmbeddedPanel({ plugin, series, height, title, timeRange, timeZone = 'browser' }: Props) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const range = useMemo(() => timeRange ?? lastHour(), [timeRange]);
  const options = useMemo(() => defaultOptions(plugin), [plugin]);
  const Panel = plugin.panel;
  if (!Panel) {
    return null;
  }
  return (
    <div ref={ref} style={{ height }} aria-label={title}>
      <ErrorBoundaryAlert title={`${title} could not be drawn`} style="alertbox">
        <Panel
          id={0}
          title={title}
          data={{ series, state: LoadingState.Done, timeRange: range }}
          timeRange={range}
          timeZone={timeZone}
          options={options}
          fieldConfig={{ defaults: {}, overrides: [] }}
          transparent={true}
          width={width}
          height={height}
          renderCounter={0}
          eventBus={eventBus}
          onOptionsChange={() => undefined}
          onFieldConfigChange={() => undefined}
          replaceVariables={(value: string) => value}
          onChangeTimeRange={() => undefined}
        />
      </ErrorBoundaryAlert>
    </div>
  );
}

function lastHour(): TimeRange {
  const to = dateTime();
  const from = dateTime(to).subtract(1, 'hour');
  return { from, to, raw: { from: 'now-1h', to: 'now' } };
}

/**
 * The panel's option defaults. Building them needs the option editors Grafana registers at start;
 * where they are missing the panel gets no options and falls back to its own defaults.
 */
function defaultOptions(plugin: PanelPlugin): Record<string, unknown> {
  try {
    return plugin.defaults;
  } catch {
    return {};
  }
}
