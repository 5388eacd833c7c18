import { PanelPlugin } from '@grafana/data';

import { TemperaturePanel, type TemperatureOptions } from './TemperaturePanel';

export const plugin = new PanelPlugin<TemperatureOptions>(TemperaturePanel);
