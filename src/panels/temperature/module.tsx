import { PanelPlugin } from '@grafana/data';

import { TemperaturePanel } from './TemperaturePanel';
import { DEFAULT_TEMPERATURE_OPTIONS as D, type TemperatureOptions } from './types';

export const plugin = new PanelPlugin<TemperatureOptions>(TemperaturePanel).setPanelOptions((builder) =>
  builder
    .addBooleanSwitch({ path: 'showAccumulators', name: 'Accumulators per entity', defaultValue: D.showAccumulators })
    .addRadio({
      path: 'accumulatorStyle',
      name: 'Accumulators as',
      defaultValue: D.accumulatorStyle,
      settings: {
        options: [
          { value: 'sparklines', label: 'Sparklines' },
          { value: 'bars', label: 'Bars (now)' },
        ],
      },
      showIf: (options) => options.showAccumulators,
    })
    .addNumberInput({
      path: 'maxEntities',
      name: 'Entities shown',
      description: 'Highest accumulators first',
      defaultValue: D.maxEntities,
      settings: { min: 1, integer: true },
      showIf: (options) => options.showAccumulators,
    })
    .addBooleanSwitch({
      path: 'showTolerated',
      name: 'Tolerated spikes',
      description: 'Why each spike did not open an incident (the incidents query, tolerated view)',
      defaultValue: D.showTolerated,
    })
);
