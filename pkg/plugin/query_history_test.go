package plugin

import (
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	forecastAllExpr = `max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"` +
		`seismo_forecast_actual|seismo_forecast_anomalous|seismo_forecast_interval_coverage|seismo_forecast_lower|` +
		`seismo_forecast_mae|seismo_forecast_mape|seismo_forecast_mase|seismo_forecast_state|seismo_forecast_trust|` +
		`seismo_forecast_upper|seismo_forecast_yhat",scope="service",service="checkout",signal="latency_p95"})`
	forecastEdgeAnomalousExpr = `max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"` +
		`seismo_forecast_anomalous",scope="edge",client="frontend",server="cart",signal="error_ratio"})`
	temperatureExpr = `sum(seismo_incident_temperature)`
	engineExpr      = `max by (__name__, scope, entity) ({__name__=~"seismo_incident_accumulator|seismo_incident_close_threshold|` +
		`seismo_incident_entity_threshold|seismo_incident_open_threshold|seismo_incident_severity"})`
	incidentOpenExpr = `max(seismo_incident_open{incident_id="inc-1772366700"})`
)

// forecastAnswer is a forecast target's series over the test window, with a
// gap in the actuals and a state change from warm-up to ok.
func forecastAnswer(t *testing.T) string {
	t0 := float64(testFrom.Unix())
	target := func(name string, extra ...string) map[string]string {
		l := map[string]string{"__name__": name, "scope": "service", "service": "checkout", "signal": "latency_p95"}
		for i := 0; i+1 < len(extra); i += 2 {
			l[extra[i]] = extra[i+1]
		}
		return l
	}
	return matrixBody(t,
		series{labels: target("seismo_forecast_actual"), points: [][2]any{{t0, "0.21"}, {t0 + 60, "0.25"}, {t0 + 180, "0.9"}}},
		series{labels: target("seismo_forecast_yhat"), points: [][2]any{{t0, "0.2"}, {t0 + 60, "0.22"}, {t0 + 120, "0.23"}, {t0 + 180, "0.24"}}},
		series{labels: target("seismo_forecast_lower"), points: [][2]any{{t0, "0.15"}, {t0 + 60, "0.16"}, {t0 + 120, "0.17"}, {t0 + 180, "0.18"}}},
		series{labels: target("seismo_forecast_upper"), points: [][2]any{{t0, "0.3"}, {t0 + 60, "0.31"}, {t0 + 120, "0.32"}, {t0 + 180, "0.33"}}},
		series{labels: target("seismo_forecast_anomalous"), points: [][2]any{{t0, "0"}, {t0 + 60, "0"}, {t0 + 180, "1"}}},
		series{labels: target("seismo_forecast_mae"), points: [][2]any{{t0, "0.02"}, {t0 + 180, "0.03"}}},
		series{labels: target("seismo_forecast_mase"), points: [][2]any{{t0 + 180, "0.8"}}},
		series{labels: target("seismo_forecast_interval_coverage"), points: [][2]any{{t0 + 180, "0.94"}}},
		series{labels: target("seismo_forecast_trust"), points: [][2]any{{t0 + 180, "0.7"}, {t0 + 240, "NaN"}}},
		series{labels: target("seismo_forecast_state", "state", "warmup", "model", "band"), points: [][2]any{{t0, "1"}, {t0 + 60, "1"}}},
		series{labels: target("seismo_forecast_state", "state", "ok", "model", "ets"), points: [][2]any{{t0 + 120, "1"}, {t0 + 180, "1"}}},
	)
}

func TestForecastQuery(t *testing.T) {
	var rec recorder
	u := promByQuery(t, &rec, map[string]string{forecastAllExpr: forecastAnswer(t)}, nil)
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"forecast","service":"checkout"}`))
	require.NoError(t, res.Error)
	experimental.CheckGoldenJSONResponse(t, "testdata", "forecast_service", &res, *updateGolden)

	require.Len(t, res.Frames, 5)
	for i, name := range []string{"actual", "yhat", "lower", "upper", "anomalous"} {
		f := res.Frames[i]
		assert.Equal(t, name, f.Name)
		assert.Equal(t, name, f.Fields[1].Name)
		assert.Equal(t, 11, f.Rows(), "every quantity is on the same 11-point grid")
		assert.Equal(t, data.Labels{"scope": "service", "service": "checkout", "signal": "latency_p95", "quantity": name}, f.Fields[1].Labels)
	}
	// The gap at 12:02 stays a gap.
	gap, err := res.Frames[0].Fields[1].NullableFloatAt(2)
	require.NoError(t, err)
	assert.Nil(t, gap)
	assert.Equal(t, "s", res.Frames[1].Fields[1].Config.Unit, "the signal's unit")
	assert.Empty(t, res.Frames[4].Fields[1].Config.Unit, "anomalous is a flag")

	acc, ok := res.Frames[0].Meta.Custom.(forecastAccuracy)
	require.True(t, ok)
	require.NotNil(t, acc.MAE)
	assert.Equal(t, 0.03, *acc.MAE, "the latest value in the range")
	assert.Nil(t, acc.MAPE, "not exported: null")
	require.NotNil(t, acc.Trust)
	assert.Equal(t, 0.7, *acc.Trust, "a trailing NaN is not the latest value")
	require.NotNil(t, acc.State)
	assert.Equal(t, "ok", *acc.State, "the newest state series wins")
	assert.Equal(t, "ets", *acc.Model)
	for _, f := range res.Frames[1:] {
		assert.Nil(t, f.Meta.Custom, "only the actual frame carries the accuracy")
	}
}

func TestForecastQueryOneQuantityForAlerting(t *testing.T) {
	t0 := float64(testFrom.Unix())
	answer := matrixBody(t, series{
		labels: map[string]string{"__name__": "seismo_forecast_anomalous", "scope": "edge", "client": "frontend", "server": "cart", "signal": "error_ratio"},
		points: [][2]any{{t0, "0"}, {t0 + 60, "1"}},
	})
	u := promByQuery(t, &recorder{}, map[string]string{forecastEdgeAnomalousExpr: answer}, nil)
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"forecast","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio","quantity":"anomalous"}`))
	require.NoError(t, res.Error)
	got := readAsAlerting(t, res.Frames)
	require.Len(t, got, 1)
	assert.Equal(t, "anomalous", got[0].name)
	assert.Equal(t, data.Labels{"scope": "edge", "client": "frontend", "server": "cart", "signal": "error_ratio", "quantity": "anomalous"}, got[0].labels)
	require.NotNil(t, got[0].last)
	assert.Equal(t, 1.0, *got[0].last)
	assert.Nil(t, res.Frames[0].Meta.Custom)
}

func TestForecastQueryWithoutData(t *testing.T) {
	empty := matrixBody(t)
	tests := []struct {
		name      string
		model     string
		expr      string
		wantError string
		wantHint  string
	}{
		{
			name:     "known service without a forecast target",
			model:    `{"queryType":"forecast","service":"checkout"}`,
			expr:     forecastAllExpr,
			wantHint: `no forecast of latency_p95 for service "checkout" in this time range; the sidecar forecasts only its configured targets`,
		},
		{
			name:      "unknown service",
			model:     `{"queryType":"forecast","service":"chekout"}`,
			expr:      `max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"seismo_forecast_actual|seismo_forecast_anomalous|seismo_forecast_interval_coverage|seismo_forecast_lower|seismo_forecast_mae|seismo_forecast_mape|seismo_forecast_mase|seismo_forecast_state|seismo_forecast_trust|seismo_forecast_upper|seismo_forecast_yhat",scope="service",service="chekout",signal="latency_p95"})`,
			wantError: `service "chekout" is not known to Seismo in this time range (no seismo_service_* series); closest known services: "checkout", "cart", "payment"`,
		},
		{
			name:      "unknown edge",
			model:     `{"queryType":"forecast","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio","quantity":"anomalous"}`,
			expr:      forecastEdgeAnomalousExpr,
			wantError: `no call edge from "frontend" to "cart" is known to Seismo in this time range`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			known := map[string]http.HandlerFunc{
				"/api/v1/label/service/values": serveBody(`{"status":"success","data":["cart","checkout","payment"]}`),
				"/api/v1/series":               serveBody(`{"status":"success","data":[{"__name__":"seismo_edge_anomaly_score","client":"api","server":"checkout"}]}`),
			}
			u := promByQuery(t, &recorder{}, map[string]string{tc.expr: empty}, known)
			d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
			res := queryOne(t, d, dataQuery("A", tc.model))
			if tc.wantError != "" {
				require.Error(t, res.Error)
				assert.Equal(t, backend.StatusNotFound, res.Status)
				assert.Contains(t, res.Error.Error(), tc.wantError)
				return
			}
			require.NoError(t, res.Error)
			assert.Empty(t, readAsAlerting(t, res.Frames), "no data, as alert rules expect it")
			require.Len(t, res.Frames[0].Meta.Notices, 1)
			assert.Contains(t, res.Frames[0].Meta.Notices[0].Text, tc.wantHint)
		})
	}
}

// timelineAnswers is an engine with two replicas' temperatures (summed by
// PromQL, so one series here), two entities, and incident
// inc-1772366700 open from 12:03 to 12:05.
func timelineAnswers(t *testing.T) map[string]string {
	t0 := float64(testFrom.Unix())
	global := func(name string) map[string]string { return map[string]string{"__name__": name} }
	entity := func(name, scope, e string) map[string]string {
		return map[string]string{"__name__": name, "scope": scope, "entity": e}
	}
	return map[string]string{
		temperatureExpr: matrixBody(t, series{labels: map[string]string{}, points: [][2]any{
			{t0, "0.5"}, {t0 + 60, "1.5"}, {t0 + 180, "6.5"}, {t0 + 240, "7"}, {t0 + 300, "4"},
		}}),
		engineExpr: matrixBody(t,
			series{labels: global("seismo_incident_open_threshold"), points: [][2]any{{t0, "6"}, {t0 + 300, "6"}}},
			series{labels: global("seismo_incident_close_threshold"), points: [][2]any{{t0, "2"}, {t0 + 300, "2"}}},
			series{labels: global("seismo_incident_severity"), points: [][2]any{{t0, "0"}, {t0 + 180, "2"}, {t0 + 240, "2"}, {t0 + 300, "2"}}},
			series{labels: entity("seismo_incident_accumulator", "service", "cart"), points: [][2]any{{t0, "0.5"}, {t0 + 180, "5"}, {t0 + 240, "5.5"}}},
			series{labels: entity("seismo_incident_entity_threshold", "service", "cart"), points: [][2]any{{t0, "3"}, {t0 + 240, "3"}}},
			series{labels: entity("seismo_incident_accumulator", "edge", "frontend->cart"), points: [][2]any{{t0 + 180, "1.5"}, {t0 + 240, "1.5"}}},
			series{labels: entity("seismo_incident_entity_threshold", "edge", "frontend->cart"), points: [][2]any{{t0, "2"}, {t0 + 240, "2"}}},
			series{labels: entity("seismo_incident_accumulator", "service", "payment"), points: [][2]any{{t0, "4"}, {t0 + 60, "1"}}},
			series{labels: entity("seismo_incident_entity_threshold", "service", "payment"), points: [][2]any{{t0, "3"}}},
		),
		incidentOpenExpr: matrixBody(t, series{labels: map[string]string{}, points: [][2]any{{t0 + 180, "1"}, {t0 + 240, "1"}, {t0 + 300, "1"}}}),
	}
}

func TestIncidentTimeline(t *testing.T) {
	var rec recorder
	u := promByQuery(t, &rec, timelineAnswers(t), nil)
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents"}`))
	require.NoError(t, res.Error)
	experimental.CheckGoldenJSONResponse(t, "testdata", "incidents_timeline", &res, *updateGolden)

	require.Len(t, res.Frames, 4)
	temp := res.Frames[0]
	assert.Equal(t, "temperature", temp.Name)
	var names []string
	for _, f := range temp.Fields {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"Time", "temperature", "open_threshold", "close_threshold", "severity"}, names)
	var entities []string
	for _, f := range res.Frames[1:] {
		entities = append(entities, f.Name)
		assert.Equal(t, []string{"accumulator", "threshold"}, []string{f.Fields[1].Name, f.Fields[2].Name})
	}
	assert.ElementsMatch(t, []string{"cart", "frontend->cart", "payment"}, entities)
	cart := frameNamed(res.Frames, "cart")
	for row := range cart.Rows() {
		v, _ := cart.Fields[2].NullableFloatAt(row)
		require.NotNil(t, v)
		assert.Equal(t, 3.0, *v, "the threshold is constant")
	}
	// The three requests ran; none for an incident window without incidentId.
	assert.Len(t, rec.all(), 2)

	got := readAsAlerting(t, res.Frames)
	require.Len(t, got, 4, "temperature and one accumulator per entity")
	assert.Equal(t, "temperature", got[0].name)
	assert.Empty(t, got[0].labels)
}

func TestIncidentTimelineOfOneIncident(t *testing.T) {
	u := promByQuery(t, &recorder{}, timelineAnswers(t), nil)
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents","incidentView":"timeline","incidentId":"inc-1772366700"}`))
	require.NoError(t, res.Error)
	var entities []string
	for _, f := range res.Frames[1:] {
		entities = append(entities, f.Name)
	}
	// payment was over its threshold only before the incident opened, and
	// frontend->cart never reached its own.
	assert.Equal(t, []string{"cart"}, entities)
	require.NotEmpty(t, res.Frames[0].Meta.Notices)
	assert.Contains(t, res.Frames[0].Meta.Notices[0].Text,
		"while incident inc-1772366700 was open (2026-03-01T12:03:00Z to 2026-03-01T12:05:00Z)")
}

func TestIncidentTimelineWithoutData(t *testing.T) {
	t.Run("no engine series", func(t *testing.T) {
		u := promByQuery(t, &recorder{}, map[string]string{temperatureExpr: matrixBody(t), engineExpr: matrixBody(t)}, nil)
		d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
		res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents"}`))
		require.NoError(t, res.Error)
		assert.Empty(t, readAsAlerting(t, res.Frames))
		assert.Contains(t, res.Frames[0].Meta.Notices[0].Text, "no incident-engine series")
	})
	t.Run("incident not open in the range", func(t *testing.T) {
		answers := timelineAnswers(t)
		answers[incidentOpenExpr] = matrixBody(t)
		u := promByQuery(t, &recorder{}, answers, nil)
		d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
		res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents","incidentId":"inc-1772366700"}`))
		require.NoError(t, res.Error)
		assert.Empty(t, readAsAlerting(t, res.Frames))
		assert.Contains(t, res.Frames[0].Meta.Notices[0].Text, `incident "inc-1772366700" was not open in this time range`)
	})
}
