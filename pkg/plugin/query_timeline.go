package plugin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// timelineData is what the incident timeline reads from Prometheus.
type timelineData struct {
	temperature *promSeries
	// global holds the engine-wide series by metric name.
	global map[string]*promSeries
	// accumulators and thresholds are keyed by scope and entity.
	accumulators []*promSeries
	thresholds   map[string]*promSeries
	// open is the incident's open series; nil without incidentId.
	open    *promSeries
	results []*promResult
}

func entityKey(l map[string]string) string { return l["scope"] + "\x00" + l["entity"] }

// queryIncidentTimeline reads the incident engine's state over time from
// Prometheus: temperature with its thresholds and severity, and every
// entity's accumulator with its own threshold.
func (d *Datasource) queryIncidentTimeline(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	r, err := rangeOf(pq, q)
	if err != nil {
		return nil, err
	}
	// Each sharded replica runs its own engine over its services; the global
	// temperature is their sum, the other engine-wide values agree between
	// replicas, and entities belong to exactly one replica.
	exprs := []string{
		"sum(" + metricIncidentTemperature + ")",
		"max by (__name__, scope, entity) (" + namesSelector([]string{
			metricIncidentAccumulator, metricIncidentCloseThreshold, metricIncidentEntityThreshold,
			metricIncidentOpenThreshold, metricIncidentSeverity,
		}) + ")",
	}
	if pq.IncidentID != "" {
		exprs = append(exprs, "max("+selector(metricIncidentOpen, "incident_id", pq.IncidentID)+")")
	}
	answers := make([][]promSeries, len(exprs))
	results := make([]*promResult, len(exprs))
	errs := make([]error, len(exprs))
	var wg sync.WaitGroup
	for i, expr := range exprs {
		wg.Go(func() { answers[i], results[i], errs[i] = d.prom.queryRange(ctx, expr, r.start, r.end, r.step) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	executed := strings.Join(exprs, "\n")

	td := timelineData{global: map[string]*promSeries{}, thresholds: map[string]*promSeries{}, results: results}
	if len(answers[0]) > 0 {
		td.temperature = &answers[0][0]
	}
	for i := range answers[1] {
		s := &answers[1][i]
		switch s.labels["__name__"] {
		case metricIncidentAccumulator:
			td.accumulators = append(td.accumulators, s)
		case metricIncidentEntityThreshold:
			td.thresholds[entityKey(s.labels)] = s
		default:
			td.global[s.labels["__name__"]] = s
		}
	}
	if len(exprs) > 2 && len(answers[2]) > 0 {
		td.open = &answers[2][0]
	}
	return timelineFrames(td, pq.IncidentID, r, executed)
}

// timelineFrames shapes the timeline: a `temperature` frame and one frame
// per entity (docs/frames.md). Every frame is typed "timeseries-multi", so an
// alert rule on the timeline reads the temperature and each accumulator as
// separate series; the other value fields are context for panels.
func timelineFrames(td timelineData, incidentID string, r queryRange, executed string) (data.Frames, error) {
	notices := promNotices(td.results...)
	if td.temperature == nil && len(td.global) == 0 && len(td.accumulators) == 0 {
		return noDataFrames(multiMeta(executed), notices,
			"no incident-engine series (seismo_incident_*) in this time range; the sidecar exports them from its first detection cycle on, and Prometheus must scrape the sidecar"), nil
	}
	grid := r.grid()
	times := grid.times()

	accumulators := td.accumulators
	if incidentID != "" {
		window := openWindow(grid, td.open)
		if len(window) == 0 {
			return noDataFrames(multiMeta(executed), notices,
				fmt.Sprintf("incident %q was not open in this time range; choose a range that covers it, or leave incidentId empty for every entity", incidentID)), nil
		}
		accumulators = affectedDuring(grid, window, td.accumulators, td.thresholds)
		first, last := times[window[0]], times[window[len(window)-1]]
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"entities at or over their own threshold while incident %s was open (%s to %s)",
			incidentID, first.UTC().Format(time.RFC3339), last.UTC().Format(time.RFC3339))})
	}

	temperature := data.NewField("temperature", nil, grid.fill(td.temperature))
	temperature.Config = &data.FieldConfig{DisplayNameFromDS: "temperature"}
	openT := data.NewField("open_threshold", nil, grid.fill(td.global[metricIncidentOpenThreshold]))
	openT.Config = &data.FieldConfig{DisplayNameFromDS: "open threshold"}
	closeT := data.NewField("close_threshold", nil, grid.fill(td.global[metricIncidentCloseThreshold]))
	closeT.Config = &data.FieldConfig{DisplayNameFromDS: "close threshold"}
	severity := data.NewField("severity", nil, grid.fill(td.global[metricIncidentSeverity]))
	severity.Config = &data.FieldConfig{
		DisplayNameFromDS: "severity",
		Mappings: data.ValueMappings{data.ValueMapper{
			"0": {Text: "none"}, "1": {Text: "SEV2"}, "2": {Text: "SEV1"},
		}},
	}
	tf := data.NewFrame("temperature", timeField(times, r.step), temperature, openT, closeT, severity)
	tf.Meta = multiMeta(executed)
	tf.Meta.Notices = notices
	frames := data.Frames{tf}

	for _, acc := range accumulators {
		scope, entity := acc.labels["scope"], acc.labels["entity"]
		value := data.NewField("accumulator", data.Labels{"scope": scope, "entity": entity}, grid.fill(acc))
		value.Config = &data.FieldConfig{DisplayNameFromDS: entity}
		// The threshold is the entity's latest one, repeated: a constant line
		// to compare the accumulator with.
		constant := make([]*float64, grid.size)
		if v, ok := lastValue(td.thresholds[entityKey(acc.labels)]); ok {
			for i := range constant {
				constant[i] = &v
			}
		}
		threshold := data.NewField("threshold", nil, constant)
		threshold.Config = &data.FieldConfig{DisplayNameFromDS: entity + " threshold"}
		f := data.NewFrame(entity, timeField(times, r.step), value, threshold)
		f.Meta = multiMeta(executed)
		frames = append(frames, f)
	}
	return frames, nil
}

// openWindow lists the grid indices at which the incident was open.
func openWindow(grid timeGrid, open *promSeries) []int {
	var window []int
	for i, v := range grid.fill(open) {
		if v != nil && *v >= 1 {
			window = append(window, i)
		}
	}
	return window
}

// affectedDuring keeps the entities whose accumulator was at or over their
// own threshold at some point of the window: the incident engine's own
// definition of an affected entity (docs/metrics.md).
func affectedDuring(grid timeGrid, window []int, accumulators []*promSeries, thresholds map[string]*promSeries) []*promSeries {
	var kept []*promSeries
	for _, acc := range accumulators {
		values := grid.fill(acc)
		limits := grid.fill(thresholds[entityKey(acc.labels)])
		for _, i := range window {
			if values[i] != nil && limits[i] != nil && *values[i] >= *limits[i] {
				kept = append(kept, acc)
				break
			}
		}
	}
	return kept
}
