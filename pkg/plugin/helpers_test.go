package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"
)

// Run `go test ./pkg/plugin -run Golden -update` after an intended change to
// the frames, then review the diff of testdata/.
var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata/")

// fixedNow anchors resource ranges so that requests are reproducible.
func fixedNow() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

// captureLogger records every log call as text, formatting arguments the
// way a real logger would, so tests can look for leaked secrets.
type captureLogger struct {
	mu      *sync.Mutex
	entries *[]string
	with    []any
}

func newCaptureLogger() *captureLogger {
	return &captureLogger{mu: &sync.Mutex{}, entries: &[]string{}}
}

func (l *captureLogger) add(level, msg string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	all := append(append([]any{}, l.with...), args...)
	parts := []string{level, msg}
	for _, a := range all {
		parts = append(parts, fmt.Sprintf("%v", a), fmt.Sprintf("%+v", a), fmt.Sprintf("%#v", a))
	}
	*l.entries = append(*l.entries, strings.Join(parts, " "))
}

func (l *captureLogger) Debug(msg string, args ...any) { l.add("debug", msg, args) }
func (l *captureLogger) Info(msg string, args ...any)  { l.add("info", msg, args) }
func (l *captureLogger) Warn(msg string, args ...any)  { l.add("warn", msg, args) }
func (l *captureLogger) Error(msg string, args ...any) { l.add("error", msg, args) }
func (l *captureLogger) Level() log.Level              { return log.Debug }
func (l *captureLogger) FromContext(context.Context) log.Logger {
	return l
}
func (l *captureLogger) With(args ...any) log.Logger {
	return &captureLogger{mu: l.mu, entries: l.entries, with: append(append([]any{}, l.with...), args...)}
}

func (l *captureLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(*l.entries, "\n")
}

// testDS builds a datasource from jsonData and secrets the way Grafana
// would hand them over.
func testDS(t *testing.T, jsonData map[string]any, secure map[string]string) (*Datasource, *captureLogger) {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	require.NoError(t, err)
	logger := newCaptureLogger()
	d := newDatasource(backend.DataSourceInstanceSettings{
		Name: "Seismo", JSONData: raw, DecryptedSecureJSONData: secure,
	}, logger, fixedNow)
	t.Cleanup(d.Dispose)
	return d, logger
}

// recorder keeps what a fake upstream received.
type recorder struct {
	mu       sync.Mutex
	requests []*http.Request
}

func (r *recorder) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests = append(r.requests, req.Clone(context.Background()))
		r.mu.Unlock()
		h(w, req)
	}
}

func (r *recorder) all() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.requests...)
}

func (r *recorder) last(t *testing.T) *http.Request {
	t.Helper()
	all := r.all()
	require.NotEmpty(t, all, "upstream received no request")
	return all[len(all)-1]
}

// lastAt is the last request to one path.
func (r *recorder) lastAt(t *testing.T, path string) *http.Request {
	t.Helper()
	all := r.all()
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].URL.Path == path {
			return all[i]
		}
	}
	require.Failf(t, "no request", "upstream received no request to %s", path)
	return nil
}

func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// closedURL is an address where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}

func writeJSON200(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

func writeStatus(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// waitOrDone blocks until the client gives up or d passes, which is how a
// hung upstream looks to the backend.
func waitOrDone(r *http.Request, d time.Duration) {
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}

// series is one matrix entry for a fake query_range answer.
type series struct {
	labels map[string]string
	// points alternates unix seconds and value strings.
	points [][2]any
}

func matrixBody(t testing.TB, ss ...series) string {
	t.Helper()
	type item struct {
		Metric map[string]string `json:"metric"`
		Values [][2]any          `json:"values"`
	}
	items := []item{}
	for _, s := range ss {
		items = append(items, item{Metric: s.labels, Values: s.points})
	}
	b, err := json.Marshal(map[string]any{
		"status": "success",
		"data":   map[string]any{"resultType": "matrix", "result": items},
	})
	require.NoError(t, err)
	return string(b)
}

// promByQuery serves Prometheus's API: query_range answers come from
// answers, keyed by the exact PromQL expression, so that a test also pins
// the query the backend builds; other paths come from extra.
func promByQuery(t *testing.T, rec *recorder, answers map[string]string, extra map[string]http.HandlerFunc) string {
	t.Helper()
	return newServer(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := extra[r.URL.Path]; ok {
			h(w, r)
			return
		}
		if r.URL.Path != "/api/v1/query_range" {
			http.NotFound(w, r)
			return
		}
		expr := r.URL.Query().Get("query")
		body, ok := answers[expr]
		if !ok {
			t.Errorf("unexpected PromQL: %s", expr)
			writeStatus(w, 400, "application/json", `{"status":"error","errorType":"bad_data","error":"unexpected query in test"}`)
			return
		}
		writeJSON200(w, body)
	})).URL
}

// fixture reads a sidecar answer from testdata/sidecar.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sidecar", name))
	require.NoError(t, err)
	return string(b)
}

// sidecarWith serves the sidecar's API from handlers keyed by path.
func sidecarWith(t *testing.T, rec *recorder, routes map[string]http.HandlerFunc) string {
	t.Helper()
	return newServer(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
			return
		}
		writeStatus(w, 404, "application/json", `{"error":{"code":"not_found","message":"no route `+r.URL.Path+`"}}`)
	})).URL
}

func serveBody(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, body) }
}

// alertSeries is one series as Grafana's alerting would see it after a
// reduce expression: its labels identify the alert instance.
type alertSeries struct {
	name   string
	labels data.Labels
	last   *float64
}

// readAsAlerting reads frames as Grafana's alerting does and fails the
// test where Grafana would refuse them (see alertingRead).
func readAsAlerting(t *testing.T, frames data.Frames) []alertSeries {
	t.Helper()
	series, err := alertingRead(frames)
	require.NoError(t, err)
	return series
}

// alertingRead reads frames the way Grafana's server-side expressions and
// alert evaluation do: the first frame decides the type ("timeseries-multi",
// version 0.1); every typed frame contributes its first number field as one
// series next to a non-null, ascending time field; (name, labels) must be
// unique, and so must the labels alone, because alert instances are keyed
// by labels. A single frame without fields is the "no data" answer.
func alertingRead(frames data.Frames) ([]alertSeries, error) {
	if len(frames) == 0 {
		return nil, fmt.Errorf("an alert query must answer with at least one frame")
	}
	first := frames[0]
	if first.Meta == nil || first.Meta.Type != data.FrameTypeTimeSeriesMulti || first.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
		return nil, fmt.Errorf("the first frame must be typed timeseries-multi 0.1 for the dataplane reader")
	}
	if len(first.Fields) == 0 {
		if len(frames) != 1 {
			return nil, fmt.Errorf("a no-data answer is a single frame without fields")
		}
		return nil, nil
	}
	var out []alertSeries
	seenMetric := map[string]bool{}
	seenLabels := map[string]bool{}
	for i, f := range frames {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			return nil, fmt.Errorf("frame %d (%s) is not typed timeseries-multi", i, f.Name)
		}
		timeIdx, valueIdx := -1, -1
		for j, fld := range f.Fields {
			if timeIdx < 0 && fld.Type() == data.FieldTypeTime {
				timeIdx = j
			}
			if valueIdx < 0 && fld.Type().Numeric() {
				valueIdx = j
			}
		}
		if timeIdx < 0 || valueIdx < 0 {
			return nil, fmt.Errorf("frame %d (%s) needs a non-null time field and a number field", i, f.Name)
		}
		for row := 1; row < f.Rows(); row++ {
			if !f.Fields[timeIdx].At(row).(time.Time).After(f.Fields[timeIdx].At(row - 1).(time.Time)) {
				return nil, fmt.Errorf("frame %d (%s): time must ascend", i, f.Name)
			}
		}
		v := f.Fields[valueIdx]
		if metric := v.Name + "{" + v.Labels.String() + "}"; seenMetric[metric] {
			return nil, fmt.Errorf("duplicate metric %s", metric)
		} else {
			seenMetric[metric] = true
		}
		if seenLabels[v.Labels.String()] {
			return nil, fmt.Errorf("two series share the labels {%s}; alert instances would collide", v.Labels.String())
		}
		seenLabels[v.Labels.String()] = true
		s := alertSeries{name: v.Name, labels: v.Labels}
		for row := f.Rows() - 1; row >= 0; row-- {
			if fv, err := v.NullableFloatAt(row); err == nil && fv != nil {
				val := *fv
				s.last = &val
				break
			}
		}
		out = append(out, s)
	}
	return out, nil
}
