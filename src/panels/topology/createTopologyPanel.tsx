import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { Button, InlineField, InlineSwitch, Input, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';

import { blastRadius } from './blastRadius';
import { classifyHealth } from './classifyHealth';
import { buildGraphView, type ViewNode } from './buildGraphView';
import { healthAt } from './healthAt';
import { healthPalette } from './healthPalette';
import { createLayoutEngine, type LayoutEngineOptions } from './layout/createLayoutEngine';
import { Legend } from './Legend';
import { NodeTooltip } from './NodeTooltip';
import { onsetOrder } from './onsetOrder';
import { readTopology } from './readTopology';
import { ReplayBar } from './ReplayBar';
import { serviceLinks } from './serviceLinks';
import { SidePanel } from './SidePanel';
import { DEFAULT_TOPOLOGY_OPTIONS, type Health, type TopologyOptions } from './types';
import { useGraphLayout } from './useGraphLayout';
import { buildScene, type Point } from './view/buildScene';
import { GraphView } from './view/GraphView';

const TOOLBAR = 40;
const LEGEND = 30;
const REPLAY = 34;
const SIDE = 300;
const SEISMO_DATASOURCE = 'seismo-anomaly-datasource';

function seismoDatasource(props: PanelProps<TopologyOptions>): { uid: string; type: string } | null {
  const targets = props.data.request?.targets ?? [];
  const uid = targets.map((target) => target.datasource).find((ds) => ds?.uid && ds.type === SEISMO_DATASOURCE)?.uid;
  return uid ? { uid, type: SEISMO_DATASOURCE } : null;
}

/**
 * The topology panel, with its layout engine injected: the plugin module passes a factory for the
 * layout worker; tests and hosts without workers lay out inline.
 */
export function createTopologyPanel(engineOptions: LayoutEngineOptions = {}) {
  return function TopologyPanel(props: PanelProps<TopologyOptions>) {
    const engine = useMemo(() => createLayoutEngine(engineOptions), []);
    useEffect(() => () => engine.dispose(), [engine]);
    const graph = useMemo(() => readTopology(props.data.series), [props.data.series]);
    if (!graph) {
      return (
        <PanelDataErrorView
          panelId={props.id}
          fieldConfig={props.fieldConfig}
          data={props.data}
          message="No nodes frame in the query result. Use the Seismo datasource's topology query, or any query that returns Node Graph frames (nodes with an id field, edges with id, source and target)"
        />
      );
    }
    return <Topology {...props} graph={graph} engine={engine} />;
  };
}

type TopologyProps = PanelProps<TopologyOptions> & {
  graph: NonNullable<ReturnType<typeof readTopology>>;
  engine: ReturnType<typeof createLayoutEngine>;
};

function Topology(props: TopologyProps) {
  const { graph, engine, width, height, timeZone, timeRange } = props;
  const options: TopologyOptions = { ...DEFAULT_TOPOLOGY_OPTIONS, ...props.options };
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const palette = useMemo(
    () => healthPalette(options.colorScheme, theme.isDark ? 'dark' : 'light'),
    [options.colorScheme, theme.isDark]
  );

  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [anomalousOnly, setAnomalousOnly] = useState(options.anomalousOnly);
  const [hops, setHops] = useState(options.hops);
  const [focusService, setFocusService] = useState<string | null>(null);
  const [grouped, setGrouped] = useState(options.groupByNamespace);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [replayAt, setReplayAt] = useState<number | null>(null);
  const [hover, setHover] = useState<{ id: string; at: Point } | null>(null);
  const [fitRequest, setFitRequest] = useState(0);
  const [centerOn, setCenterOn] = useState<{ id: string; key: number } | null>(null);
  // Editing the panel options resets the toolbar's choices to them.
  const [defaults, setDefaults] = useState({
    anomalousOnly: options.anomalousOnly,
    hops: options.hops,
    grouped: options.groupByNamespace,
  });
  if (
    defaults.anomalousOnly !== options.anomalousOnly ||
    defaults.hops !== options.hops ||
    defaults.grouped !== options.groupByNamespace
  ) {
    setDefaults({ anomalousOnly: options.anomalousOnly, hops: options.hops, grouped: options.groupByNamespace });
    setAnomalousOnly(options.anomalousOnly);
    setHops(options.hops);
    setGrouped(options.groupByNamespace);
  }

  const { thresholdSource, anomalyThreshold, warningThreshold } = options;
  const thresholds = useMemo(
    () => ({ thresholdSource, anomalyThreshold, warningThreshold }),
    [thresholdSource, anomalyThreshold, warningThreshold]
  );
  const view = useMemo(
    () =>
      buildGraphView(graph, {
        thresholds,
        replayAt,
        anomalousOnly,
        focusService: focusService !== null && graph.nodes.some((n) => n.id === focusService) ? focusService : null,
        hops,
        groupByNamespace: grouped,
        expanded,
      }),
    [graph, thresholds, replayAt, anomalousOnly, focusService, hops, grouped, expanded]
  );
  const layout = useGraphLayout(view, options.layout, engine);
  const viewById = useMemo(() => new Map(view.nodes.map((n) => [n.id, n])), [view]);
  const nodeById = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const serviceHealth = useMemo(
    () => new Map(graph.nodes.map((n) => [n.id, healthAt(classifyHealth(n, thresholds), n.state, n.onset, replayAt)])),
    [graph, thresholds, replayAt]
  );
  const healthOf = useCallback((id: string): Health => serviceHealth.get(id) ?? 'unknown', [serviceHealth]);

  const selectedNode = selected !== null ? (nodeById.get(selected) ?? null) : null;
  const blast = useMemo(
    () => (selectedNode ? blastRadius(graph.edges, selectedNode.id, options.blastDirection) : null),
    [graph, selectedNode, options.blastDirection]
  );
  const matches = useMemo(() => {
    const query = search.trim().toLowerCase();
    if (query === '') {
      return null;
    }
    return new Set(
      view.nodes
        .filter(
          (n) =>
            n.id.toLowerCase().includes(query) ||
            n.label.toLowerCase().includes(query) ||
            n.namespace.toLowerCase().includes(query)
        )
        .map((n) => n.id)
    );
  }, [search, view]);

  const { positions, version } = layout;
  const scene = useMemo(
    () => buildScene({ view, positions, palette, highlight: blast, matches, selected, version }),
    [view, positions, version, palette, blast, matches, selected]
  );

  const canvasStyle = useMemo(
    () => ({
      background: theme.colors.background.primary,
      text: theme.colors.text.primary,
      labelSize: options.labelSize,
      selection: theme.colors.text.maxContrast,
    }),
    [theme, options.labelSize]
  );
  const side = options.showRootCauses && width >= 700 ? SIDE : 0;
  const replayOn = replayAt !== null;
  const graphHeight = Math.max(80, height - TOOLBAR - (options.showLegend ? LEGEND : 0) - (replayOn ? REPLAY : 0));
  const graphWidth = Math.max(80, width - side);
  const renderer =
    options.renderer === 'auto' ? (view.nodes.length > options.canvasThreshold ? 'canvas' : 'svg') : options.renderer;

  const select = useCallback(
    (id: string | null) => {
      if (id !== null && viewById.get(id)?.members.length) {
        const ns = viewById.get(id)!.namespace;
        setExpanded((prev) => new Set([...prev, ns]));
        return;
      }
      setSelected((prev) => (id === null ? null : prev === id ? null : id));
    },
    [viewById]
  );
  const selectAndCenter = (id: string) => {
    setSelected(id);
    setCenterOn({ id, key: Date.now() });
  };

  const counts = useMemo(() => {
    const out: Partial<Record<Health, number>> = {};
    view.nodes.forEach((n) => (out[n.health] = (out[n.health] ?? 0) + 1));
    return out;
  }, [view]);
  const onsets = useMemo(() => onsetOrder(graph.nodes), [graph]);
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const hovered: ViewNode | undefined = hover ? viewById.get(hover.id) : undefined;
  const links = selectedNode
    ? serviceLinks(selectedNode, {
        from,
        to,
        datasource: seismoDatasource(props),
        dashboardUrl: options.serviceDashboardUrl,
      })
    : [];

  return (
    <div
      className={styles.root}
      style={{ width, height }}
      data-testid="seismo-topology-panel"
      data-layout={layout.status}
      data-layout-ms={layout.ms !== null ? layout.ms.toFixed(1) : undefined}
      data-nodes={view.nodes.length}
    >
      <div style={{ width: graphWidth, display: 'flex', flexDirection: 'column' }}>
        <div className={styles.toolbar} style={{ height: TOOLBAR }}>
          <Input
            width={22}
            placeholder="Search services"
            aria-label="Search services"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && matches && matches.size > 0) {
                selectAndCenter([...matches][0]!);
              }
            }}
            suffix={matches ? <span data-testid="search-count">{matches.size}</span> : undefined}
          />
          <InlineField label="Anomalous only" transparent>
            <InlineSwitch
              aria-label="Anomalous only"
              value={anomalousOnly}
              onChange={(event) => setAnomalousOnly(event.currentTarget.checked)}
            />
          </InlineField>
          {(anomalousOnly || focusService !== null) && (
            <InlineField label="Hops" transparent>
              <RadioButtonGroup
                size="sm"
                aria-label="Hops"
                value={hops}
                options={[0, 1, 2, 3].map((value) => ({ value, label: String(value) }))}
                onChange={(value) => setHops(value)}
              />
            </InlineField>
          )}
          <InlineField label="By namespace" transparent>
            <InlineSwitch
              aria-label="Group by namespace"
              value={grouped}
              onChange={(event) => {
                setGrouped(event.currentTarget.checked);
                setExpanded(new Set());
              }}
            />
          </InlineField>
          {grouped && expanded.size > 0 && (
            <Button size="sm" variant="secondary" onClick={() => setExpanded(new Set())}>
              Collapse all
            </Button>
          )}
          <Button size="sm" variant="secondary" onClick={() => setFitRequest((n) => n + 1)}>
            Fit
          </Button>
          {graph.rootCauses.length > 0 && (
            <Button
              size="sm"
              variant="secondary"
              icon="fire"
              onClick={() => selectAndCenter(graph.rootCauses[0]!.service)}
            >
              Top root cause
            </Button>
          )}
          <Button
            size="sm"
            variant={replayOn ? 'primary' : 'secondary'}
            icon="history"
            onClick={() =>
              setReplayAt(replayOn ? null : onsets.length > 0 ? Math.max(from, onsets[0]!.onset - 1000) : from)
            }
          >
            Replay
          </Button>
        </div>
        {view.emptyReason !== null ? (
          <div className={styles.empty} style={{ height: graphHeight }}>
            {view.emptyReason}
          </div>
        ) : (
          <div style={{ position: 'relative' }}>
            <GraphView
              scene={scene}
              renderer={renderer}
              width={graphWidth}
              height={graphHeight}
              style={canvasStyle}
              fitKey={`${layout.layoutCount}:${fitRequest}`}
              centerOn={centerOn}
              onSelect={select}
              onHover={(id, at) => setHover(id !== null && at !== null ? { id, at } : null)}
              onDrag={layout.moveNode}
            />
            {hovered && hover && (
              <NodeTooltip
                node={hovered}
                at={hover.at}
                palette={palette}
                theme={theme}
                timeZone={timeZone}
                bounds={{ width: graphWidth, height: graphHeight }}
              />
            )}
            <div className={styles.status}>
              {view.nodes.length} services{view.hidden > 0 ? ` (${view.hidden} hidden)` : ''} · {renderer}
              {layout.status === 'running' ? ' · laying out…' : ''}
              {layout.error ? ` · layout failed: ${layout.error}` : ''}
            </div>
          </div>
        )}
        {replayOn && (
          <ReplayBar
            from={from}
            to={to}
            at={replayAt!}
            onsets={onsets}
            theme={theme}
            timeZone={timeZone}
            onChange={setReplayAt}
            onClose={() => setReplayAt(null)}
          />
        )}
        {options.showLegend && <Legend palette={palette} counts={counts} textColor={theme.colors.text.primary} />}
      </div>
      {side > 0 && (
        <div style={{ width: side, height }}>
          <SidePanel
            theme={theme}
            palette={palette}
            healthOf={healthOf}
            timeZone={timeZone}
            incidentId={graph.incidentId}
            rootCauses={graph.rootCauses}
            selected={selectedNode}
            blast={blast}
            blastDirection={options.blastDirection}
            edges={graph.edges}
            links={links}
            notes={graph.notes}
            focused={focusService !== null && focusService === selected}
            onSelect={selectAndCenter}
            onFocus={setFocusService}
          />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', position: 'relative', overflow: 'hidden' }),
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 1),
    overflowX: 'auto',
    overflowY: 'hidden',
    flexShrink: 0,
  }),
  empty: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', color: theme.colors.text.secondary }),
  status: css({
    position: 'absolute',
    left: theme.spacing(1),
    bottom: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    pointerEvents: 'none',
  }),
});
