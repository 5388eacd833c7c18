import { PanelPlugin } from '@grafana/data';

import { ForecastPanel, type ForecastOptions } from './ForecastPanel';

export const plugin = new PanelPlugin<ForecastOptions>(ForecastPanel);
