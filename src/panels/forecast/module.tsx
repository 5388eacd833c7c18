import { PanelPlugin } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';

import { createForecastPanel } from './createForecastPanel';
import { createOrtRun } from './inspector/createOrtRun';
import { datasourceWindowSource } from './inspector/datasourceWindowSource';
import { DEFAULT_FORECAST_OPTIONS as D, type ForecastOptions } from './types';

declare let __webpack_public_path__: string;

/** onnxruntime-web's engine files, copied by the build into this plugin's own `ort/` folder. */
const ortAssets = () => new URL('ort/', new URL(__webpack_public_path__, document.baseURI)).href;

export const plugin = new PanelPlugin<ForecastOptions>(
  createForecastPanel({
    windowSource: (uid) => datasourceWindowSource(getBackendSrv(), uid),
    createRun: (model, spec) => createOrtRun(model, spec, ortAssets()),
  })
)
  .setNoPadding()
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'display',
        name: 'Show',
        description: 'The window inspector scores a past window in the browser with the sidecar model',
        defaultValue: D.display,
        settings: {
          options: [
            { value: 'forecast', label: 'Forecast' },
            { value: 'inspector', label: 'Window inspector' },
          ],
        },
      })
      .addBooleanSwitch({ path: 'showBand', name: 'Prediction band', defaultValue: D.showBand })
      .addBooleanSwitch({ path: 'showAnomalies', name: 'Anomalies', defaultValue: D.showAnomalies })
      .addTextInput({
        path: 'inspectorService',
        name: 'Inspect service',
        description: "Service the window inspector opens with; empty: the forecast target's service",
        defaultValue: D.inspectorService,
      })
  );
