package plugin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// A typical Seismo overview dashboard: six hours at a 30 s step (721 points
// per series) over a mesh of 20 services and 30 edges.
const (
	benchServices = 20
	benchEdges    = 30
	benchSpan     = 6 * time.Hour
	benchStep     = 30 * time.Second
)

// benchMatrix renders one query_range answer with a series per label set.
func benchMatrix(b *testing.B, start time.Time, labelSets ...map[string]string) string {
	b.Helper()
	points := int(benchSpan/benchStep) + 1
	ss := make([]series, 0, len(labelSets))
	for _, l := range labelSets {
		s := series{labels: l}
		for p := range points {
			s.points = append(s.points, [2]any{
				float64(start.Add(time.Duration(p) * benchStep).Unix()),
				strconv.FormatFloat(float64(p%100)/100, 'f', -1, 64),
			})
		}
		ss = append(ss, s)
	}
	return matrixBody(b, ss...)
}

func benchLabels(n int, f func(i int) map[string]string) []map[string]string {
	out := make([]map[string]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// BenchmarkQueryDataDashboard measures one dashboard refresh against fake
// upstreams on loopback: 8 queries (scores of every service, one service's
// scores with contributions, every edge's score, two forecasts, the incident
// timeline, the incident list and the root-cause ranking), including the
// Arrow encoding that carries the frames to Grafana. Run with
// `go test ./pkg/plugin -run '^$' -bench Dashboard -benchmem`.
func BenchmarkQueryDataDashboard(b *testing.B) {
	end := time.Unix(1772366400, 0).UTC()
	start := end.Add(-benchSpan)
	svc := func(i int) string { return fmt.Sprintf("service-%02d", i%benchServices) }

	var forecastSets []map[string]string
	for _, q := range []string{"actual", "yhat", "lower", "upper", "anomalous", "mae", "mase", "interval_coverage", "trust"} {
		forecastSets = append(forecastSets, map[string]string{
			"__name__": "seismo_forecast_" + q, "scope": "service", "service": "service-00", "signal": "latency_p95",
		})
	}
	answers := map[string]string{
		`max by (service) (seismo_service_anomaly_score)`: benchMatrix(b, start, benchLabels(benchServices, func(i int) map[string]string {
			return map[string]string{"service": svc(i)}
		})...),
		`max by (__name__, service, signal) ({__name__=~"seismo_service_anomaly_score|seismo_service_signal_contribution",service="service-00"})`: benchMatrix(b, start,
			map[string]string{"__name__": "seismo_service_anomaly_score", "service": "service-00"},
			map[string]string{"__name__": "seismo_service_signal_contribution", "service": "service-00", "signal": "latency_p95"},
			map[string]string{"__name__": "seismo_service_signal_contribution", "service": "service-00", "signal": "error_ratio"},
			map[string]string{"__name__": "seismo_service_signal_contribution", "service": "service-00", "signal": "cpu_usage"},
		),
		`max by (client, server) (seismo_edge_anomaly_score)`: benchMatrix(b, start, benchLabels(benchEdges, func(i int) map[string]string {
			return map[string]string{"client": svc(i), "server": svc(i + 1 + i/benchServices)}
		})...),
		`max by (__name__, scope, service, client, server, signal, state, model) ({__name__=~"seismo_forecast_actual|seismo_forecast_anomalous|seismo_forecast_interval_coverage|seismo_forecast_lower|seismo_forecast_mae|seismo_forecast_mape|seismo_forecast_mase|seismo_forecast_state|seismo_forecast_trust|seismo_forecast_upper|seismo_forecast_yhat",scope="service",service="service-00",signal="latency_p95"})`: benchMatrix(b, start, forecastSets...),
		temperatureExpr: benchMatrix(b, start, map[string]string{}),
		engineExpr: benchMatrix(b, start, benchLabels(2*benchServices, func(i int) map[string]string {
			name := "seismo_incident_accumulator"
			if i >= benchServices {
				name = "seismo_incident_entity_threshold"
			}
			return map[string]string{"__name__": name, "scope": "service", "entity": svc(i)}
		})...),
	}
	incidents, rootcause := fixture(b, "incidents_frames.json"), fixture(b, "rootcause.json")

	prom := newServer(b, func(w http.ResponseWriter, r *http.Request) {
		body, ok := answers[r.URL.Query().Get("query")]
		if !ok {
			b.Errorf("unexpected query %s", r.URL.Query().Get("query"))
		}
		writeJSON200(w, body)
	})
	side := newServer(b, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/incidents" {
			writeJSON200(w, incidents)
			return
		}
		writeJSON200(w, rootcause)
	})
	d := newDatasource(backend.DataSourceInstanceSettings{
		JSONData: []byte(`{"prometheusUrl":"` + prom.URL + `","sidecarUrl":"` + side.URL + `"}`),
	}, newCaptureLogger(), func() time.Time { return end })
	b.Cleanup(d.Dispose)

	tr := backend.TimeRange{From: start, To: end}
	query := func(ref, model string) backend.DataQuery {
		return backend.DataQuery{RefID: ref, JSON: []byte(model), Interval: benchStep, MaxDataPoints: 1500, TimeRange: tr}
	}
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("scores", `{"queryType":"anomalyScore"}`),
		query("explained", `{"queryType":"anomalyScore","service":"service-00","contributions":true}`),
		query("edges", `{"queryType":"edgeScore"}`),
		query("forecast", `{"queryType":"forecast","service":"service-00"}`),
		query("forecast2", `{"queryType":"forecast","service":"service-00"}`),
		query("timeline", `{"queryType":"incidents"}`),
		query("list", `{"queryType":"incidents","incidentView":"list"}`),
		query("rootcause", `{"queryType":"rootCause"}`),
	}}

	b.ReportAllocs()
	for b.Loop() {
		resp, err := d.QueryData(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		for ref, r := range resp.Responses {
			if r.Error != nil {
				b.Fatalf("%s: %v", ref, r.Error)
			}
			if _, err := r.Frames.MarshalArrow(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
