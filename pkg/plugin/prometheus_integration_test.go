package plugin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seismoHistory writes an hour of seismo_* series in OpenMetrics text, as two
// sidecar replicas would have exported them, ending at end.
func seismoHistory(end time.Time) string {
	var b strings.Builder
	types := map[string]string{}
	write := func(metric, labels string, value func(i int) float64) {
		if _, ok := types[metric]; !ok {
			types[metric] = "gauge"
			fmt.Fprintf(&b, "# TYPE %s gauge\n", metric)
		}
		for i := 0; i <= 120; i++ {
			ts := end.Add(-time.Duration(120-i) * 30 * time.Second)
			fmt.Fprintf(&b, "%s{%s} %g %d\n", metric, labels, value(i), ts.Unix())
		}
	}
	constant := func(v float64) func(int) float64 { return func(int) float64 { return v } }
	ramp := func(from, to float64) func(int) float64 {
		return func(i int) float64 { return from + (to-from)*float64(i)/120 }
	}
	// OpenMetrics wants all samples of one metric family together.
	write("seismo_build_info", `instance="a",version="0.3.1"`, constant(1))
	write("seismo_build_info", `instance="b",version="0.3.1"`, constant(1))
	write("seismo_service_anomaly_score", `instance="a",service="checkout"`, ramp(0.1, 0.9))
	write("seismo_service_anomaly_score", `instance="b",service="checkout"`, constant(0.2))
	write("seismo_service_anomaly_score", `instance="a",service="cart"`, constant(0.05))
	write("seismo_service_signal_contribution", `instance="a",service="checkout",signal="latency_p95"`, constant(0.7))
	write("seismo_edge_anomaly_score", `instance="a",client="frontend",server="checkout"`, constant(0.6))
	for _, q := range []struct {
		name  string
		value func(int) float64
	}{
		{"actual", ramp(0.2, 0.5)}, {"yhat", constant(0.21)}, {"lower", constant(0.15)}, {"upper", constant(0.3)},
		{"anomalous", func(i int) float64 { return map[bool]float64{true: 1}[i > 100] }},
		{"mae", constant(0.02)}, {"mase", constant(0.8)}, {"interval_coverage", constant(0.9)}, {"trust", constant(0.6)},
	} {
		write("seismo_forecast_"+q.name, `instance="a",scope="service",service="checkout",signal="latency_p95"`, q.value)
	}
	write("seismo_forecast_state", `instance="a",scope="service",service="checkout",signal="latency_p95",state="ok",model="ets"`, constant(1))
	write("seismo_incident_temperature", `instance="a"`, ramp(0, 4))
	write("seismo_incident_temperature", `instance="b"`, ramp(0, 3))
	write("seismo_incident_open_threshold", `instance="a"`, constant(6))
	write("seismo_incident_open_threshold", `instance="b"`, constant(6))
	write("seismo_incident_close_threshold", `instance="a"`, constant(2))
	write("seismo_incident_severity", `instance="a"`, func(i int) float64 { return map[bool]float64{true: 2}[i > 100] })
	write("seismo_incident_accumulator", `instance="a",scope="service",entity="checkout"`, ramp(0, 5))
	write("seismo_incident_accumulator", `instance="b",scope="service",entity="cart"`, constant(0.5))
	write("seismo_incident_entity_threshold", `instance="a",scope="service",entity="checkout"`, constant(3))
	write("seismo_incident_entity_threshold", `instance="b",scope="service",entity="cart"`, constant(3))
	b.WriteString("# EOF\n")
	return b.String()
}

// startPrometheus backfills history into a fresh TSDB with promtool and
// serves it with the Debian prometheus binary on a free loopback port.
func startPrometheus(t *testing.T, openMetrics string) string {
	t.Helper()
	prom, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus is not installed")
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed")
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "history.om")
	require.NoError(t, os.WriteFile(input, []byte(openMetrics), 0o600))
	dataDir := filepath.Join(dir, "data")
	out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", input, dataDir).CombinedOutput()
	require.NoError(t, err, string(out))
	config := filepath.Join(dir, "prometheus.yml")
	require.NoError(t, os.WriteFile(config, []byte("global:\n  scrape_interval: 1h\n"), 0o600))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	cmd := exec.Command(prom, "--config.file="+config, "--storage.tsdb.path="+dataDir,
		"--storage.tsdb.retention.time=30d", "--web.listen-address="+addr)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url + "/-/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus did not become ready: %s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAgainstRealPrometheus runs the history queries against a real
// Prometheus: the PromQL this backend builds must select, aggregate and
// group the seismo_* series as the frames promise.
func TestAgainstRealPrometheus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus")
	}
	end := time.Now().UTC().Truncate(time.Minute).Add(-time.Minute)
	url := startPrometheus(t, seismoHistory(end))
	d := newDatasource(backend.DataSourceInstanceSettings{
		JSONData: []byte(`{"prometheusUrl":"` + url + `"}`),
	}, newCaptureLogger(), func() time.Time { return end.Add(time.Minute) })
	t.Cleanup(d.Dispose)

	health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Contains(t, health.Message, "Seismo series present (2 sidecar replica(s), version 0.3.1)")

	tr := backend.TimeRange{From: end.Add(-30 * time.Minute), To: end}
	query := func(ref, model string) backend.DataQuery {
		return backend.DataQuery{RefID: ref, JSON: []byte(model), Interval: time.Minute, MaxDataPoints: 1000, TimeRange: tr}
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("scores", `{"queryType":"anomalyScore","contributions":true}`),
		query("edges", `{"queryType":"edgeScore","server":"checkout"}`),
		query("forecast", `{"queryType":"forecast","service":"checkout"}`),
		query("timeline", `{"queryType":"incidents"}`),
		query("services", `{"queryType":"services"}`),
		query("typo", `{"queryType":"anomalyScore","service":"chekout"}`),
	}})
	require.NoError(t, err)
	for _, ref := range []string{"scores", "edges", "forecast", "timeline", "services"} {
		require.NoError(t, resp.Responses[ref].Error, ref)
	}
	lastOf := func(f *data.Frame, field string) float64 {
		t.Helper()
		fld, idx := f.FieldByName(field)
		require.GreaterOrEqual(t, idx, 0, "%s has no field %s", f.Name, field)
		for i := fld.Len() - 1; i >= 0; i-- {
			if v, err := fld.NullableFloatAt(i); err == nil && v != nil {
				return *v
			}
		}
		t.Fatalf("%s.%s has no value", f.Name, field)
		return 0
	}

	scores := resp.Responses["scores"].Frames
	series := readAsAlerting(t, scores)
	require.Len(t, series, 3, "cart and checkout scores, one contribution")
	checkout := frameNamed(scores, "checkout")
	// Two replicas exported checkout; the higher score wins.
	assert.InDelta(t, 0.9, lastOf(checkout, "score"), 1e-9)
	assert.Equal(t, data.Labels{"service": "checkout", "signal": "latency_p95"}, scores[2].Fields[1].Labels)

	edges := resp.Responses["edges"].Frames
	require.Len(t, edges, 1)
	assert.Equal(t, "frontend->checkout", edges[0].Name)

	forecast := resp.Responses["forecast"].Frames
	readAsAlerting(t, forecast)
	require.Len(t, forecast, 5)
	assert.InDelta(t, 0.5, lastOf(forecast[0], "actual"), 1e-9)
	assert.InDelta(t, 1, lastOf(forecast[4], "anomalous"), 1e-9)
	acc := forecast[0].Meta.Custom.(forecastAccuracy)
	require.NotNil(t, acc.MASE)
	assert.InDelta(t, 0.8, *acc.MASE, 1e-9)
	assert.Equal(t, "ets", *acc.Model)

	timeline := resp.Responses["timeline"].Frames
	readAsAlerting(t, timeline)
	require.Len(t, timeline, 3, "temperature, cart, checkout")
	// The global temperature is the sum over both replicas.
	assert.InDelta(t, 7, lastOf(timeline[0], "temperature"), 1e-9)
	assert.InDelta(t, 6, lastOf(timeline[0], "open_threshold"), 1e-9)
	assert.InDelta(t, 2, lastOf(timeline[0], "severity"), 1e-9)
	assert.InDelta(t, 5, lastOf(frameNamed(timeline, "checkout"), "accumulator"), 1e-9)
	assert.InDelta(t, 3, lastOf(frameNamed(timeline, "checkout"), "threshold"), 1e-9)

	services := resp.Responses["services"].Frames[0]
	assert.Equal(t, []string{"cart", "checkout"}, []string{services.Fields[0].At(0).(string), services.Fields[0].At(1).(string)})

	typo := resp.Responses["typo"]
	require.Error(t, typo.Error)
	assert.Contains(t, typo.Error.Error(), `service "chekout" is not known to Seismo in this time range (no seismo_service_* series); closest known services: "checkout"`)
}
