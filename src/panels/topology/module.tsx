import { PanelPlugin } from '@grafana/data';

import { createTopologyPanel } from './createTopologyPanel';
import { DEFAULT_TOPOLOGY_OPTIONS as D, type TopologyOptions } from './types';

declare let __webpack_public_path__: string;

/**
 * The layout worker is built as `layoutWorker.js` next to this module (see webpack.config.ts);
 * the public path is this plugin's own folder, so the worker never comes from anywhere else.
 */
function createLayoutWorker(): Worker {
  const base = new URL(__webpack_public_path__, document.baseURI);
  return new Worker(new URL('layoutWorker.js', base), { name: 'seismo-topology-layout' });
}

export const plugin = new PanelPlugin<TopologyOptions>(createTopologyPanel({ createWorker: createLayoutWorker }))
  .setNoPadding()
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Layout',
        description: 'Force-directed, or layered with calls flowing from top (callers) to bottom (callees)',
        defaultValue: D.layout,
        settings: {
          options: [
            { value: 'force', label: 'Force' },
            { value: 'layered', label: 'Layered' },
          ],
        },
      })
      .addRadio({
        path: 'colorScheme',
        name: 'Colours',
        description: 'The colour-blind-safe scheme uses blue, yellow and vermillion',
        defaultValue: D.colorScheme,
        settings: {
          options: [
            { value: 'seismo', label: 'Seismo' },
            { value: 'colorblind', label: 'Colour-blind safe' },
          ],
        },
      })
      .addRadio({
        path: 'thresholdSource',
        name: 'Anomaly threshold',
        description: "From the detector's own verdict and threshold, or the panel's thresholds below",
        defaultValue: D.thresholdSource,
        settings: {
          options: [
            { value: 'data', label: 'From the data' },
            { value: 'panel', label: 'Panel thresholds' },
          ],
        },
      })
      .addSliderInput({
        path: 'anomalyThreshold',
        name: 'Anomalous at score',
        description: 'Used when the data carries no threshold, or with panel thresholds',
        defaultValue: D.anomalyThreshold,
        settings: { min: 0.5, max: 1, step: 0.005 },
      })
      .addSliderInput({
        path: 'warningThreshold',
        name: 'Elevated at score',
        defaultValue: D.warningThreshold,
        settings: { min: 0.5, max: 1, step: 0.005 },
      })
      .addSliderInput({
        path: 'labelSize',
        name: 'Label size',
        defaultValue: D.labelSize,
        settings: { min: 8, max: 20, step: 1 },
      })
      .addRadio({
        path: 'renderer',
        name: 'Renderer',
        description: 'Automatic draws SVG up to the threshold below and a canvas above it',
        defaultValue: D.renderer,
        settings: {
          options: [
            { value: 'auto', label: 'Automatic' },
            { value: 'svg', label: 'SVG' },
            { value: 'canvas', label: 'Canvas' },
          ],
        },
      })
      .addNumberInput({
        path: 'canvasThreshold',
        name: 'Canvas above (services)',
        defaultValue: D.canvasThreshold,
        settings: { min: 1, integer: true },
        showIf: (options) => options.renderer === 'auto',
      })
      .addBooleanSwitch({
        path: 'anomalousOnly',
        name: 'Anomalous services only',
        description: 'Start with the anomalous services and their neighbours only',
        defaultValue: D.anomalousOnly,
        category: ['Focus'],
      })
      .addNumberInput({
        path: 'hops',
        name: 'Neighbours within (hops)',
        defaultValue: D.hops,
        settings: { min: 0, max: 10, integer: true },
        category: ['Focus'],
      })
      .addBooleanSwitch({
        path: 'groupByNamespace',
        name: 'Group by namespace',
        defaultValue: D.groupByNamespace,
        category: ['Focus'],
      })
      .addRadio({
        path: 'blastDirection',
        name: 'Blast radius follows',
        description:
          'Callers: latency and errors of a service reach everything that waits on it. Callees: traffic changes reach what it calls',
        defaultValue: D.blastDirection,
        settings: {
          options: [
            { value: 'callers', label: 'Callers' },
            { value: 'callees', label: 'Callees' },
          ],
        },
        category: ['Focus'],
      })
      .addBooleanSwitch({ path: 'showRootCauses', name: 'Root-cause list', defaultValue: D.showRootCauses })
      .addBooleanSwitch({ path: 'showLegend', name: 'Legend', defaultValue: D.showLegend })
      .addTextInput({
        path: 'serviceDashboardUrl',
        name: 'Service dashboard URL',
        description: 'e.g. /d/seismo-service/service?var-service=${service}; ${namespace} and ${team} work too',
        defaultValue: D.serviceDashboardUrl,
        category: ['Links'],
      })
  );
