import { PanelPlugin } from '@grafana/data';

import { TopologyPanel, type TopologyOptions } from './TopologyPanel';

export const plugin = new PanelPlugin<TopologyOptions>(TopologyPanel);
