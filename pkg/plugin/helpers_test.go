package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
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

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
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

func matrixBody(t *testing.T, ss ...series) string {
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
