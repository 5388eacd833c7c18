package plugin

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// forecastAccuracy is the `actual` frame's meta.custom (docs/frames.md): the
// latest accuracy of the forecaster in the time range; null where the
// sidecar exports nothing (MAPE is undefined for actuals ≤ 0).
type forecastAccuracy struct {
	MAE      *float64 `json:"mae"`
	MAPE     *float64 `json:"mape"`
	MASE     *float64 `json:"mase"`
	Coverage *float64 `json:"coverage"`
	Trust    *float64 `json:"trust"`
	State    *string  `json:"state"`
	Model    *string  `json:"model"`
}

// accuracyMetrics maps the accuracy fields to their metric suffixes.
func accuracyMetrics() map[string]func(*forecastAccuracy) **float64 {
	return map[string]func(*forecastAccuracy) **float64{
		"mae":               func(a *forecastAccuracy) **float64 { return &a.MAE },
		"mape":              func(a *forecastAccuracy) **float64 { return &a.MAPE },
		"mase":              func(a *forecastAccuracy) **float64 { return &a.MASE },
		"interval_coverage": func(a *forecastAccuracy) **float64 { return &a.Coverage },
		"trust":             func(a *forecastAccuracy) **float64 { return &a.Trust },
	}
}

// forecastTarget is what one forecast query is about.
type forecastTarget struct {
	scope                           models.Scope
	service, client, server, signal string
}

func targetOf(pq *models.ParsedQuery) forecastTarget {
	t := forecastTarget{scope: pq.Scope, signal: pq.Signal}
	if pq.Scope == models.ScopeEdge {
		t.client, t.server = pq.Client, pq.Server
	} else {
		t.service = pq.Service
	}
	return t
}

func (t forecastTarget) matchers() []string {
	return []string{"scope", string(t.scope), "service", t.service, "client", t.client, "server", t.server, "signal", t.signal}
}

func (t forecastTarget) labels() data.Labels {
	l := data.Labels{"scope": string(t.scope), "signal": t.signal}
	if t.scope == models.ScopeEdge {
		l["client"], l["server"] = t.client, t.server
	} else {
		l["service"] = t.service
	}
	return l
}

func (t forecastTarget) entity() string {
	if t.scope == models.ScopeEdge {
		return t.client + "->" + t.server
	}
	return t.service
}

// queryForecast reads a forecast target's actual, forecast, interval and
// anomaly flag from Prometheus: one frame per quantity, each on the same
// step grid with nulls where nothing was exported.
func (d *Datasource) queryForecast(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	r, err := rangeOf(pq, q)
	if err != nil {
		return nil, err
	}
	target := targetOf(pq)
	spec, _ := models.LookupSignal(target.scope, target.signal) // validated by ParseQuery

	quantities := models.ForecastQuantities()
	if pq.Quantity != "" {
		quantities = []models.ForecastQuantity{pq.Quantity}
	}
	withAccuracy := pq.Quantity == "" || pq.Quantity == models.QuantityActual
	var names []string
	for _, qty := range quantities {
		names = append(names, metricForecastPrefix+string(qty))
	}
	if withAccuracy {
		for suffix := range accuracyMetrics() {
			names = append(names, metricForecastPrefix+suffix)
		}
		names = append(names, metricForecastState)
	}
	slices.Sort(names)
	expr := "max by (__name__, scope, service, client, server, signal, state, model) (" +
		namesSelector(names, target.matchers()...) + ")"

	series, res, err := d.prom.queryRange(ctx, expr, r.start, r.end, r.step)
	if err != nil {
		return nil, err
	}
	byName := map[string]*promSeries{}
	var states []*promSeries
	for i := range series {
		s := &series[i]
		name := s.labels["__name__"]
		if name == metricForecastState {
			states = append(states, s)
			continue
		}
		if _, dup := byName[name]; !dup {
			byName[name] = s
		}
	}
	found := false
	for _, qty := range quantities {
		if byName[metricForecastPrefix+string(qty)] != nil {
			found = true
		}
	}
	if !found {
		if err := d.checkTargetKnown(ctx, target, r); err != nil {
			return nil, err
		}
		hint := fmt.Sprintf("no forecast of %s for %s %q in this time range; the sidecar forecasts only its configured targets (the sidecar's forecasts list shows them), and exports a target's series from its first evaluation on",
			target.signal, target.scope, target.entity())
		return noDataFrames(multiMeta(expr), promNotices(res), hint), nil
	}

	grid := r.grid()
	times := grid.times()
	frames := make(data.Frames, 0, len(quantities))
	for _, qty := range quantities {
		labels := target.labels()
		// The quantity label keeps the five series apart for Grafana's
		// alerting, which identifies series by labels alone.
		labels["quantity"] = string(qty)
		value := data.NewField(string(qty), labels, grid.fill(byName[metricForecastPrefix+string(qty)]))
		display := target.entity() + " " + target.signal + " " + string(qty)
		if qty == models.QuantityAnomalous {
			value.Config = unitConfig(display, "", 0, 1)
		} else {
			value.Config = unitConfig(display, spec.GrafanaUnit)
		}
		f := data.NewFrame(string(qty), timeField(times, r.step), value)
		f.Meta = multiMeta(expr)
		if qty == models.QuantityActual && withAccuracy {
			f.Meta.Custom = latestAccuracy(byName, states)
		}
		frames = append(frames, f)
	}
	frames[0].Meta.Notices = promNotices(res)
	return frames, nil
}

// latestAccuracy takes the last value of each accuracy series in the range
// and the state and model of the newest state series.
func latestAccuracy(byName map[string]*promSeries, states []*promSeries) forecastAccuracy {
	var acc forecastAccuracy
	for suffix, field := range accuracyMetrics() {
		if v, ok := lastValue(byName[metricForecastPrefix+suffix]); ok {
			*field(&acc) = &v
		}
	}
	var newest *promSeries
	for _, s := range states {
		v, ok := lastValue(s)
		if !ok || v != 1 {
			continue
		}
		if newest == nil || s.times[len(s.times)-1].After(newest.times[len(newest.times)-1]) {
			newest = s
		}
	}
	if newest != nil {
		if st := newest.labels["state"]; st != "" {
			acc.State = &st
		}
		if m := newest.labels["model"]; m != "" {
			acc.Model = &m
		}
	}
	return acc
}

// lastValue is the last sample of a series that is a number.
func lastValue(s *promSeries) (float64, bool) {
	if s == nil {
		return 0, false
	}
	for i := len(s.values) - 1; i >= 0; i-- {
		if v := s.values[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
	}
	return 0, false
}

// checkTargetKnown reports a forecast target whose service or edge Seismo
// does not know at all.
func (d *Datasource) checkTargetKnown(ctx context.Context, t forecastTarget, r queryRange) error {
	if t.scope == models.ScopeEdge {
		return d.checkEdgeKnown(ctx, t.client, t.server, r)
	}
	return d.checkServiceKnown(ctx, t.service, r)
}
