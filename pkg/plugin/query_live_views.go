package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// liveTopologyLag is how far the end of a time range may lie behind now and
// still mean "the latest graph"; older ends ask the sidecar for the graph as
// it was evaluated then.
const liveTopologyLag = time.Minute

// queryRootCause passes the sidecar's ranking through, optionally reduced to
// one service's row.
func (d *Datasource) queryRootCause(ctx context.Context, pq *models.ParsedQuery) (data.Frames, error) {
	side, err := d.sidecarFor("the root-cause ranking")
	if err != nil {
		return nil, err
	}
	params := url.Values{"format": {"frames"}}
	if pq.IncidentID != "" {
		params.Set("incidentId", pq.IncidentID)
	}
	frames, err := liveTable(ctx, side, "rootcause", params, "rootcause",
		[]string{"rank", "service", "score", "channel", "onset", "explained_by", "evidence", "signals"})
	var ue *upstreamError
	if pq.IncidentID == "" && errors.As(err, &ue) && ue.kind == kindSidecarAPI && ue.status == http.StatusNotFound {
		// Without an incident to rank, an empty table is the honest answer.
		f := data.NewFrame("rootcause")
		f.Meta = tableMeta("GET " + sidecarAPIPrefix + "rootcause?" + params.Encode())
		f.Meta.Notices = []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "no incident has a root-cause ranking yet: " + ue.detail}}
		return data.Frames{f}, nil
	}
	if err != nil || pq.Service == "" {
		return frames, err
	}
	f := frames[0]
	_, idx := f.FieldByName("service")
	kept, err := f.FilterRowsByField(idx, func(v any) (bool, error) {
		s, ok := v.(*string)
		return ok && s != nil && *s == pq.Service, nil
	})
	if err != nil {
		return nil, err
	}
	// The copy has neither the meta nor the field configs of the original.
	kept.Meta = f.Meta
	for i, fld := range kept.Fields {
		fld.Config = f.Fields[i].Config
	}
	if kept.Rows() == 0 {
		kept.Meta.Notices = append(kept.Meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("service %q is not among the ranked candidates", pq.Service)})
	}
	return data.Frames{kept}, nil
}

// queryTopology passes the sidecar's Node Graph frames through.
func (d *Datasource) queryTopology(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	side, err := d.sidecarFor("the service topology")
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	if pq.Service != "" {
		params.Set("service", pq.Service)
	}
	if pq.Hops != nil {
		params.Set("hops", strconv.Itoa(*pq.Hops))
	}
	if pq.AnomalousOnly {
		params.Set("anomalousOnly", "true")
	}
	if to := q.TimeRange.To; !to.IsZero() && d.now().Sub(to) > liveTopologyLag {
		params.Set("at", strconv.FormatInt(to.Unix(), 10))
	}
	frames, err := side.sidecarFrames(ctx, "topology", params)
	if err != nil {
		return nil, err
	}
	nodes, edges := frameNamed(frames, "nodes"), frameNamed(frames, "edges")
	if nodes == nil || edges == nil {
		return nil, side.contractError("topology", "lacks the nodes or the edges frame")
	}
	problem := firstNonEmpty(
		requireFields(nodes, "id", "title", "subtitle", "mainstat", "secondarystat", "arc__anomalous", "arc__normal",
			"arc__unknown", "color", "state", "score", "anomalous", "onset", "rank"),
		requireFields(edges, "id", "source", "target", "mainstat", "secondarystat", "thickness", "color", "state", "score"),
	)
	if problem != "" {
		return nil, side.contractError("topology", problem)
	}
	executed := "GET " + sidecarAPIPrefix + "topology?" + params.Encode()
	for _, f := range []*data.Frame{nodes, edges} {
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		f.Meta.ExecutedQueryString = executed
	}
	// Grafana's Node Graph panel finds the frames by this hint as well.
	nodes.Meta.PreferredVisualization = data.VisTypeNodeGraph
	edges.Meta.PreferredVisualization = data.VisTypeNodeGraph
	return data.Frames{nodes, edges}, nil
}

// querySignal reads a canonical signal through the sidecar's adapters and
// returns it as alertable time series.
func (d *Datasource) querySignal(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	side, err := d.sidecarFor("a canonical signal")
	if err != nil {
		return nil, err
	}
	r, err := rangeOf(pq, q)
	if err != nil {
		return nil, err
	}
	target := targetOf(pq)
	params := url.Values{
		"scope":  {string(target.scope)},
		"signal": {target.signal},
		"from":   {strconv.FormatInt(r.start.Unix(), 10)},
		"to":     {strconv.FormatInt(r.end.Unix(), 10)},
		"step":   {strconv.FormatFloat(r.step.Seconds(), 'f', -1, 64)},
	}
	for _, kv := range [][2]string{{"service", target.service}, {"client", target.client}, {"server", target.server}} {
		if kv[1] != "" {
			params.Set(kv[0], kv[1])
		}
	}
	executed := "GET " + sidecarAPIPrefix + "signals?" + params.Encode()
	frames, err := side.sidecarFrames(ctx, "signals", params)
	if err != nil {
		return nil, err
	}
	spec, _ := models.LookupSignal(target.scope, target.signal) // validated by ParseQuery
	out := make(data.Frames, 0, len(frames))
	for _, f := range frames {
		series, err := signalSeries(f, target, spec, r.step, executed)
		if err != nil {
			return nil, side.contractError("signals", err.Error())
		}
		out = append(out, series)
	}
	if len(out) == 0 {
		return noDataFrames(multiMeta(executed), nil, fmt.Sprintf(
			"the sidecar read no %s for %s %q in this time range from any telemetry source", target.signal, target.scope, target.entity())), nil
	}
	return out, nil
}

// signalSeries turns one frame of the sidecar into a "timeseries-multi"
// frame: a non-null ascending Time field and one nullable value field with
// the target's labels, as Grafana's alerting reads it.
func signalSeries(f *data.Frame, target forecastTarget, spec models.SignalSpec, step time.Duration, executed string) (*data.Frame, error) {
	timeIdx, valueIdx := -1, -1
	for i, fld := range f.Fields {
		switch {
		case timeIdx < 0 && fld.Type() == data.FieldTypeNullableTime:
			timeIdx = i
		case valueIdx < 0 && fld.Type() == data.FieldTypeNullableFloat64:
			valueIdx = i
		}
	}
	if timeIdx < 0 || valueIdx < 0 {
		return nil, fmt.Errorf("has a signal frame %q without a time and a number field", f.Name)
	}
	type point struct {
		t time.Time
		v *float64
	}
	points := make([]point, 0, f.Rows())
	for i := range f.Rows() {
		t, _ := f.Fields[timeIdx].At(i).(*time.Time)
		if t == nil {
			return nil, fmt.Errorf("has a signal frame %q with a row without a time", f.Name)
		}
		v, _ := f.Fields[valueIdx].At(i).(*float64)
		points = append(points, point{*t, v})
	}
	sort.SliceStable(points, func(i, j int) bool { return points[i].t.Before(points[j].t) })
	times := make([]time.Time, len(points))
	values := make([]*float64, len(points))
	for i, p := range points {
		times[i], values[i] = p.t, p.v
	}

	src := f.Fields[valueIdx]
	labels := target.labels()
	for k, v := range src.Labels {
		labels[k] = v
	}
	value := data.NewField("value", labels, values)
	cfg := data.FieldConfig{}
	if src.Config != nil {
		cfg = *src.Config
	}
	if cfg.Unit == "" {
		cfg.Unit = spec.GrafanaUnit
	}
	if cfg.DisplayNameFromDS == "" {
		cfg.DisplayNameFromDS = target.entity() + " " + target.signal
		if source := labels["source"]; source != "" {
			cfg.DisplayNameFromDS += " (" + source + ")"
		}
	}
	value.Config = &cfg

	name := f.Name
	if name == "" {
		name = cfg.DisplayNameFromDS
	}
	out := data.NewFrame(name, timeField(times, step), value)
	out.Meta = multiMeta(executed)
	if f.Meta != nil {
		out.Meta.Notices = f.Meta.Notices
	}
	return out, nil
}

// queryServices lists services or call edges for template variables, from
// the seismo_* series in Prometheus.
func (d *Datasource) queryServices(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	start, end := q.TimeRange.From, q.TimeRange.To
	if !end.After(start) {
		end = d.now()
		start = end.Add(-defaultResourceWindow)
	}
	if pq.Scope == models.ScopeEdge {
		edges, err := d.knownEdges(ctx, start, end)
		if err != nil {
			return nil, err
		}
		clients, servers, ids := make([]string, len(edges)), make([]string, len(edges)), make([]string, len(edges))
		for i, e := range edges {
			clients[i], servers[i], ids[i] = e.Client, e.Server, e.Client+"->"+e.Server
		}
		f := data.NewFrame("edges",
			data.NewField("client", nil, clients),
			data.NewField("server", nil, servers),
			data.NewField("edge", nil, ids))
		f.Meta = tableMeta(knownEdgesMatch)
		return data.Frames{f}, nil
	}
	services, err := d.knownServices(ctx, start, end)
	if err != nil {
		return nil, err
	}
	f := data.NewFrame("services", data.NewField("service", nil, services))
	f.Meta = tableMeta(knownServicesMatch)
	return data.Frames{f}, nil
}
