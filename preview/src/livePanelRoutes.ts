/** What the live panel preview shows: a range and, optionally, one incident. */
export interface LivePanelView {
  /** Epoch ms. */
  range: { from: number; to: number };
  /**
   * The range ends at a time the page was given (`to`) rather than at now: the topology is then
   * the graph the sidecar evaluated at that time, as the datasource asks for a range that ended
   * earlier.
   */
  fixedEnd: boolean;
  /** The incident whose ranking the topology panel lists (default: the open one, else the latest ranked). */
  incidentId?: string;
}

/**
 * The sidecar routes (below the datasource's `resources/sidecar/`) that feed a panel in the live
 * preview, with the parameters the datasource's queries send for the same view: the topology at
 * the end of a fixed range (`at`, Unix seconds), the root-cause ranking of a chosen incident and
 * the tolerated spikes within the range. The forecast panel's route depends on the sidecar's
 * target list and is not among them.
 */
export function livePanelRoutes(panelId: string, view: LivePanelView): string[] {
  switch (panelId) {
    case 'seismo-topology-panel': {
      const at = view.fixedEnd ? `?${new URLSearchParams({ at: String(Math.floor(view.range.to / 1000)) })}` : '';
      const ranking = new URLSearchParams({ format: 'frames' });
      if (view.incidentId) {
        ranking.set('incidentId', view.incidentId);
      }
      return [`topology${at}`, `rootcause?${ranking}`];
    }
    case 'seismo-temperature-panel': {
      const tolerated = new URLSearchParams({
        kind: 'tolerated',
        format: 'frames',
        from: String(Math.floor(view.range.from / 1000)),
        to: String(Math.ceil(view.range.to / 1000)),
      });
      return [`evaluations?${tolerated}`];
    }
    default:
      return [];
  }
}
