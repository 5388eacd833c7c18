import React, { useMemo, useState } from 'react';
import { type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { Combobox, RadioButtonGroup, useTheme2 } from '@grafana/ui';

import { AccuracyStats } from './AccuracyStats';
import { ForecastChart } from './ForecastChart';
import type { OrtRunner } from './inspector/createOrtRun';
import type { ModelSpec } from './inspector/types';
import { WindowInspector } from './inspector/WindowInspector';
import type { WindowSource } from './inspector/WindowSource';
import { readForecastTargets } from './readForecastTargets';
import { DEFAULT_FORECAST_OPTIONS, type ForecastDisplay, type ForecastOptions } from './types';

export interface ForecastPanelDependencies {
  /** The sidecar routes behind a Seismo datasource (by uid). */
  windowSource: (datasourceUid: string) => WindowSource;
  createRun: (model: Uint8Array, spec: ModelSpec) => Promise<OrtRunner>;
}

const HEADER = 36;
const STATS = 24;
const SEISMO_DATASOURCE = 'seismo-anomaly-datasource';

/** The forecast panel with its window inspector's I/O injected (the module passes the real ones). */
export function createForecastPanel(dependencies: ForecastPanelDependencies) {
  return function ForecastPanel(props: PanelProps<ForecastOptions>) {
    const { data, width, height, timeZone, timeRange } = props;
    const options = { ...DEFAULT_FORECAST_OPTIONS, ...props.options };
    const theme = useTheme2();
    const targets = useMemo(() => readForecastTargets(data.series), [data.series]);
    const [picked, setPicked] = useState<string | null>(null);
    const [display, setDisplay] = useState<ForecastDisplay>(options.display);
    // Changing the option in the panel editor switches the view, as the toggle does.
    const [optionDisplay, setOptionDisplay] = useState(options.display);
    if (optionDisplay !== options.display) {
      setOptionDisplay(options.display);
      setDisplay(options.display);
    }
    const target = targets.find((t) => t.key === picked) ?? targets[0];
    const datasourceUid = data.request?.targets
      ?.map((query) => query.datasource)
      .find((ds) => ds?.uid && ds.type === SEISMO_DATASOURCE)?.uid;
    const source = useMemo(() => (datasourceUid ? dependencies.windowSource(datasourceUid) : null), [datasourceUid]);
    const range = { from: timeRange.from.valueOf(), to: timeRange.to.valueOf() };

    if (!target && display === 'forecast') {
      return (
        <PanelDataErrorView
          panelId={props.id}
          fieldConfig={props.fieldConfig}
          data={data}
          message="No forecast in the query result. Use the Seismo datasource's forecast query, which returns time series named actual, yhat, lower, upper and anomalous for a target"
        />
      );
    }
    const inspectService = options.inspectorService || target?.labels.service || target?.labels.server || '';
    const anomalies = target ? target.anomalous.filter((v) => v === 1).length : 0;
    return (
      <div data-testid="seismo-forecast-panel" style={{ width, height, display: 'flex', flexDirection: 'column' }}>
        <div style={{ height: HEADER, display: 'flex', alignItems: 'center', gap: 8, padding: '0 8px' }}>
          <RadioButtonGroup
            size="sm"
            value={display}
            options={[
              { value: 'forecast', label: 'Forecast' },
              { value: 'inspector', label: 'Window inspector' },
            ]}
            onChange={setDisplay}
          />
          {targets.length > 1 && (
            <div style={{ display: 'flex', alignItems: 'center', gap: 6 }} data-testid="forecast-target-picker">
              <label htmlFor={`seismo-forecast-target-${props.id}`}>Target</label>
              <Combobox
                id={`seismo-forecast-target-${props.id}`}
                width={40}
                value={target?.key}
                options={targets.map((t) => ({ value: t.key, label: t.label }))}
                onChange={(option) => setPicked(option.value)}
              />
            </div>
          )}
          {targets.length === 1 && target && <span data-testid="forecast-target">{target.label}</span>}
        </div>
        {display === 'forecast' && target ? (
          <>
            <div style={{ height: STATS, padding: '0 8px' }}>
              <AccuracyStats accuracy={target.accuracy} unit={target.unit} anomalies={anomalies} theme={theme} />
            </div>
            <ForecastChart
              target={target}
              range={range}
              width={width}
              height={Math.max(60, height - HEADER - STATS)}
              theme={theme}
              timeZone={timeZone}
              showBand={options.showBand}
              showAnomalies={options.showAnomalies}
            />
          </>
        ) : source ? (
          <WindowInspector
            source={source}
            createRun={dependencies.createRun}
            service={inspectService}
            range={range}
            width={width}
            height={height - HEADER}
            timeZone={timeZone}
          />
        ) : (
          <p role="alert" style={{ padding: 8 }}>
            The window inspector reads windows and models from the sidecar through the Seismo datasource: make the panel
            query a Seismo datasource.
          </p>
        )}
      </div>
    );
  };
}
