package plugin

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// alertQuery is a query as Grafana's alert scheduler sends it: the saved
// model with literal values, intervalMs 1000 and maxDataPoints 43200, the
// rule's relative range resolved against the evaluation time, and no
// frontend in between.
func alertQuery(refID, model string, now time.Time, window time.Duration) backend.DataQuery {
	return backend.DataQuery{
		RefID:         refID,
		JSON:          []byte(`{"refId":"` + refID + `","datasource":{"type":"seismo-anomaly-datasource","uid":"seismo"},"intervalMs":1000,"maxDataPoints":43200,` + model[1:]),
		Interval:      time.Second,
		MaxDataPoints: 43200,
		TimeRange:     backend.TimeRange{From: now.Add(-window), To: now},
	}
}

// TestEveryNumericQueryTypeIsAlertable runs one alert-shaped request with
// every numeric query type and reads each answer the way Grafana's reduce
// and threshold expressions do.
func TestEveryNumericQueryTypeIsAlertable(t *testing.T) {
	now := fixedNow()
	// Alert evaluations use a one-second interval: over ten minutes the
	// start aligns to the range itself, so samples are whole seconds.
	n := float64(now.Unix())
	pt := func(offset float64, v string) [2]any { return [2]any{n + offset, v} }

	forecastOne := `max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"seismo_forecast_anomalous",scope="service",service="checkout",signal="latency_p95"})`
	forecastAll := `max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"seismo_forecast_actual|seismo_forecast_anomalous|seismo_forecast_interval_coverage|seismo_forecast_lower|seismo_forecast_mae|seismo_forecast_mape|seismo_forecast_mase|seismo_forecast_state|seismo_forecast_trust|seismo_forecast_upper|seismo_forecast_yhat",scope="service",service="checkout",signal="latency_p95"})`
	target := func(name string) map[string]string {
		return map[string]string{"__name__": name, "scope": "service", "service": "checkout", "signal": "latency_p95"}
	}
	entity := func(name, e string) map[string]string {
		return map[string]string{"__name__": name, "scope": "service", "entity": e}
	}
	answers := map[string]string{
		`max by (service) (seismo_service_anomaly_score)`: matrixBody(t,
			series{labels: map[string]string{"service": "checkout"}, points: [][2]any{pt(-2, "0.4"), pt(-1, "0.93")}},
			series{labels: map[string]string{"service": "cart"}, points: [][2]any{pt(-1, "0.1")}},
		),
		`max by (client, server) (seismo_edge_anomaly_score{client="frontend"})`: matrixBody(t,
			series{labels: map[string]string{"client": "frontend", "server": "checkout"}, points: [][2]any{pt(-1, "0.7")}},
		),
		forecastOne: matrixBody(t, series{labels: target("seismo_forecast_anomalous"), points: [][2]any{pt(-2, "0"), pt(-1, "1")}}),
		forecastAll: matrixBody(t,
			series{labels: target("seismo_forecast_actual"), points: [][2]any{pt(-1, "0.9")}},
			series{labels: target("seismo_forecast_yhat"), points: [][2]any{pt(-1, "0.3")}},
			series{labels: target("seismo_forecast_anomalous"), points: [][2]any{pt(-1, "1")}},
		),
		temperatureExpr: matrixBody(t, series{labels: map[string]string{}, points: [][2]any{pt(-1, "7.5")}}),
		engineExpr: matrixBody(t,
			series{labels: map[string]string{"__name__": "seismo_incident_severity"}, points: [][2]any{pt(-1, "2")}},
			series{labels: entity("seismo_incident_accumulator", "checkout"), points: [][2]any{pt(-1, "5")}},
			series{labels: entity("seismo_incident_accumulator", "cart"), points: [][2]any{pt(-1, "2.5")}},
		),
	}
	prom := promByQuery(t, &recorder{}, answers, nil)
	side := sidecarWith(t, &recorder{}, map[string]http.HandlerFunc{"/api/v1/signals": serveBody(fixture(t, "signals.json"))})
	d, _ := testDS(t, map[string]any{"prometheusUrl": prom, "sidecarUrl": side}, nil)

	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{
		alertQuery("score", `{"queryType":"anomalyScore"}`, now, 10*time.Minute),
		alertQuery("edge", `{"queryType":"edgeScore","client":"frontend"}`, now, 10*time.Minute),
		alertQuery("band", `{"queryType":"forecast","service":"checkout","quantity":"anomalous"}`, now, 10*time.Minute),
		alertQuery("forecast", `{"queryType":"forecast","service":"checkout"}`, now, 10*time.Minute),
		alertQuery("engine", `{"queryType":"incidents","incidentView":"timeline"}`, now, 10*time.Minute),
		alertQuery("signal", `{"queryType":"signal","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio"}`, now, 10*time.Minute),
	}}
	resp, err := d.QueryData(context.Background(), req)
	require.NoError(t, err)

	last := func(s alertSeries) float64 {
		require.NotNil(t, s.last, "series %s %v has no value", s.name, s.labels)
		return *s.last
	}
	byRef := map[string][]alertSeries{}
	for _, q := range req.Queries {
		r := resp.Responses[q.RefID]
		require.NoError(t, r.Error, q.RefID)
		byRef[q.RefID] = readAsAlerting(t, r.Frames)
	}

	require.Len(t, byRef["score"], 2)
	assert.Equal(t, data.Labels{"service": "cart"}, byRef["score"][0].labels)
	assert.Equal(t, 0.93, last(byRef["score"][1]))

	require.Len(t, byRef["edge"], 1)
	assert.Equal(t, data.Labels{"client": "frontend", "server": "checkout"}, byRef["edge"][0].labels)

	require.Len(t, byRef["band"], 1)
	assert.Equal(t, 1.0, last(byRef["band"][0]))

	require.Len(t, byRef["forecast"], 5, "all five quantities, told apart by their quantity label")
	assert.Equal(t, "actual", byRef["forecast"][0].labels["quantity"])
	assert.Nil(t, byRef["forecast"][2].last, "a quantity without samples is no data, not zero")

	engine := byRef["engine"]
	require.Len(t, engine, 3, "the temperature and one accumulator per entity")
	assert.Equal(t, "temperature", engine[0].name)
	assert.Equal(t, 7.5, last(engine[0]))
	assert.Equal(t, data.Labels{"scope": "service", "entity": "cart"}, engine[1].labels)

	require.Len(t, byRef["signal"], 2)
	assert.Equal(t, "obi", byRef["signal"][1].labels["source"])
}

// TestAlertRuleWithoutData: a rule over a service that has no score yet gets
// the dataplane's no-data answer, which Grafana maps to the rule's no-data
// state instead of an error.
func TestAlertRuleWithoutData(t *testing.T) {
	now := fixedNow()
	prom := promWith(t, &recorder{}, func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, matrixBody(t)) })
	d, _ := testDS(t, map[string]any{"prometheusUrl": prom}, nil)
	res := queryOne(t, d, alertQuery("A", `{"queryType":"anomalyScore","service":"checkout"}`, now, 5*time.Minute))
	require.NoError(t, res.Error)
	assert.Empty(t, readAsAlerting(t, res.Frames))
}

// TestAlertingReadRefusesWhatGrafanaRefuses keeps the checker above honest.
func TestAlertingReadRefusesWhatGrafanaRefuses(t *testing.T) {
	t0 := testFrom
	frame := func(name string, labels data.Labels, times ...time.Time) *data.Frame {
		values := make([]float64, len(times))
		f := data.NewFrame(name, data.NewField("Time", nil, times), data.NewField("score", labels, values))
		f.Meta = multiMeta("")
		return f
	}
	wide := frame("wide", nil, t0)
	wide.Meta.Type = data.FrameTypeTimeSeriesWide
	nullableTime := data.NewFrame("x", data.NewField("Time", nil, []*time.Time{&t0}), data.NewField("v", nil, []float64{1}))
	nullableTime.Meta = multiMeta("")
	tests := map[string]struct {
		frames data.Frames
		want   string
	}{
		"nothing":             {frames: data.Frames{}, want: "at least one frame"},
		"untyped":             {frames: data.Frames{data.NewFrame("x")}, want: "typed timeseries-multi 0.1"},
		"wide":                {frames: data.Frames{wide}, want: "typed timeseries-multi 0.1"},
		"same labels":         {frames: data.Frames{frame("a", data.Labels{"service": "a"}, t0), frame("b", data.Labels{"service": "a"}, t0)}, want: "duplicate metric"},
		"labels shared":       {frames: data.Frames{frame("a", nil, t0), frame("b", nil, t0)}, want: "duplicate metric"},
		"time going back":     {frames: data.Frames{frame("a", nil, t0, t0.Add(-time.Minute))}, want: "time must ascend"},
		"nullable time":       {frames: data.Frames{nullableTime}, want: "needs a non-null time field"},
		"no-data with extras": {frames: data.Frames{noDataFrames(multiMeta(""), nil, "x")[0], frame("a", nil, t0)}, want: "single frame without fields"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := alertingRead(tc.frames)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Different names with the same labels: Grafana's reader accepts them,
	// alert instances would not.
	a, b := frame("a", data.Labels{"x": "1"}, t0), frame("b", data.Labels{"x": "1"}, t0)
	b.Fields[1].Name = "other"
	_, err := alertingRead(data.Frames{a, b})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "alert instances would collide")
}
