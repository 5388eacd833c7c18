package plugin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// queryRange is the resolved time range of one range query.
type queryRange struct {
	start, end time.Time
	step       time.Duration
}

func rangeOf(pq *models.ParsedQuery, q backend.DataQuery) (queryRange, error) {
	start, end, step, err := resolveRange(q.TimeRange, q.Interval, q.MaxDataPoints, pq.FixedStep)
	return queryRange{start: start, end: end, step: step}, err
}

func (r queryRange) grid() timeGrid { return newTimeGrid(r.start, r.end, r.step) }

// queryAnomalyScore reads per-service scores (and, on request, the
// per-signal contributions) from Prometheus.
func (d *Datasource) queryAnomalyScore(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	r, err := rangeOf(pq, q)
	if err != nil {
		return nil, err
	}
	// max by collapses replicas and restarts of the sidecar into one series
	// per service, so alert instances keep stable labels.
	expr := "max by (service) (" + selector(metricServiceAnomalyScore, "service", pq.Service) + ")"
	if pq.Contributions {
		// One query for both metrics: grouping by __name__ keeps them apart.
		expr = "max by (__name__, service, signal) (" +
			namesSelector([]string{metricServiceAnomalyScore, metricServiceContribution}, "service", pq.Service) + ")"
	}
	series, res, err := d.prom.queryRange(ctx, expr, r.start, r.end, r.step)
	if err != nil {
		return nil, err
	}
	var scores, contributions data.Frames
	for _, s := range series {
		service := s.labels["service"]
		if s.labels["__name__"] == metricServiceContribution {
			signal := s.labels["signal"]
			value := data.NewField("contribution", seriesLabels(s.labels, "service", "signal"), s.values)
			value.Config = unitConfig(service+" "+signal, "percentunit", 0, 1)
			contributions = append(contributions, seriesFrame(service, value, s, r.step, expr))
			continue
		}
		value := data.NewField("score", seriesLabels(s.labels, "service"), s.values)
		// Scores are calibrated to [0, 1]; fixed bounds keep panels and
		// thresholds comparable between services.
		value.Config = unitConfig(service, "percentunit", 0, 1)
		scores = append(scores, seriesFrame(service, value, s, r.step, expr))
	}
	frames := append(scores, contributions...)
	if len(frames) == 0 {
		hint := "no anomaly scores in this time range; the sidecar exports a score once a service's detector has warmed up, and Prometheus must scrape the sidecar"
		if pq.Service != "" {
			if err := d.checkServiceKnown(ctx, pq.Service, r); err != nil {
				return nil, err
			}
			hint = fmt.Sprintf("service %q has no anomaly score in this time range: scores exist only while its detector state is ok; seismo_service_detector_state says why it is not (warm-up, stale, unknown)", pq.Service)
		}
		return noDataFrames(multiMeta(expr), promNotices(res), hint), nil
	}
	frames[0].Meta.Notices = promNotices(res)
	return frames, nil
}

// queryEdgeScore reads call-edge scores from Prometheus.
func (d *Datasource) queryEdgeScore(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	r, err := rangeOf(pq, q)
	if err != nil {
		return nil, err
	}
	expr := "max by (client, server) (" + selector(metricEdgeAnomalyScore, "client", pq.Client, "server", pq.Server) + ")"
	series, res, err := d.prom.queryRange(ctx, expr, r.start, r.end, r.step)
	if err != nil {
		return nil, err
	}
	frames := make(data.Frames, 0, len(series))
	for _, s := range series {
		client, server := s.labels["client"], s.labels["server"]
		value := data.NewField("score", seriesLabels(s.labels, "client", "server"), s.values)
		value.Config = unitConfig(client+" → "+server, "percentunit", 0, 1)
		frames = append(frames, seriesFrame(client+"->"+server, value, s, r.step, expr))
	}
	if len(frames) == 0 {
		if pq.Client != "" || pq.Server != "" {
			if err := d.checkEdgeKnown(ctx, pq.Client, pq.Server, r); err != nil {
				return nil, err
			}
		}
		var which []string
		if pq.Client != "" {
			which = append(which, fmt.Sprintf("client %q", pq.Client))
		}
		if pq.Server != "" {
			which = append(which, fmt.Sprintf("server %q", pq.Server))
		}
		hint := "no call-edge anomaly scores in this time range; edges appear once the telemetry source reports calls between services and their detector has warmed up"
		if len(which) > 0 {
			hint = fmt.Sprintf("no call-edge anomaly scores for %s in this time range: scores exist only while the edge's detector state is ok; seismo_edge_detector_state says why it is not",
				strings.Join(which, " and "))
		}
		return noDataFrames(multiMeta(expr), promNotices(res), hint), nil
	}
	frames[0].Meta.Notices = promNotices(res)
	return frames, nil
}

// seriesFrame is one Prometheus series as a "timeseries-multi" frame.
func seriesFrame(name string, value *data.Field, s promSeries, step time.Duration, executed string) *data.Frame {
	f := data.NewFrame(name, timeField(s.times, step), value)
	f.Meta = multiMeta(executed)
	return f
}
