package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type resourceReply struct {
	status  int
	headers map[string][]string
	body    map[string]any
	raw     string
}

func callResource(t *testing.T, d *Datasource, method, path string) resourceReply {
	t.Helper()
	return callResourceAs(t, d, method, path, nil, nil)
}

// callResourceAs calls a resource with a body on behalf of a Grafana user;
// JSON answers are decoded into body, others are left in raw.
func callResourceAs(t *testing.T, d *Datasource, method, path string, body []byte, user *backend.User) resourceReply {
	t.Helper()
	var got resourceReply
	sender := backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got.status = r.Status
		got.headers = r.Headers
		got.raw += string(r.Body)
		return nil
	})
	// Grafana passes the path without the query string and the full URL.
	p, _, _ := strings.Cut(path, "?")
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{
		Method: method, Path: p, URL: path, Body: body,
		PluginContext: backend.PluginContext{User: user},
	}, sender)
	require.NoError(t, err)
	if got.raw != "" && strings.HasPrefix(strings.Join(got.headers["Content-Type"], ""), "application/json") {
		require.NoError(t, json.Unmarshal([]byte(got.raw), &got.body), got.raw)
	}
	return got
}

func promAPI(t *testing.T, rec *recorder) string {
	t.Helper()
	return newServer(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/label/service/values":
			writeJSON200(w, `{"status":"success","data":["payment","cart","checkout"]}`)
		case "/api/v1/series":
			writeJSON200(w, `{"status":"success","data":[
				{"__name__":"seismo_edge_anomaly_score","client":"frontend","server":"cart","instance":"a"},
				{"__name__":"seismo_edge_anomaly_score","client":"frontend","server":"cart","instance":"b"},
				{"__name__":"seismo_edge_contribution","client":"cart","server":"redis","signal":"latency"},
				{"__name__":"seismo_edge_anomaly_score","client":"api","server":"checkout"}]}`)
		default:
			http.NotFound(w, r)
		}
	})).URL
}

func TestResourceServices(t *testing.T) {
	var rec recorder
	d, _ := testDS(t, map[string]any{"prometheusUrl": promAPI(t, &rec)}, nil)

	got := callResource(t, d, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	assert.Equal(t, map[string]any{"services": []any{"cart", "checkout", "payment"}}, got.body)

	req := rec.last(t)
	assert.Equal(t, `{__name__=~"seismo_.+",service!=""}`, req.URL.Query().Get("match[]"))
	// Default window: the 24 hours before now.
	assert.Equal(t, "1772280000", req.URL.Query().Get("start"))
	assert.Equal(t, "1772366400", req.URL.Query().Get("end"))
}

func TestResourceServicesWithRange(t *testing.T) {
	var rec recorder
	d, _ := testDS(t, map[string]any{"prometheusUrl": promAPI(t, &rec)}, nil)
	got := callResource(t, d, http.MethodGet, "services?from=1772362800000&to=1772366400000")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	assert.Equal(t, "1772362800", rec.last(t).URL.Query().Get("start"))
	assert.Equal(t, "1772366400", rec.last(t).URL.Query().Get("end"))
}

func TestResourceEdges(t *testing.T) {
	var rec recorder
	d, _ := testDS(t, map[string]any{"prometheusUrl": promAPI(t, &rec)}, nil)
	got := callResource(t, d, http.MethodGet, "/edges")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	assert.Equal(t, map[string]any{"edges": []any{
		map[string]any{"client": "api", "server": "checkout"},
		map[string]any{"client": "cart", "server": "redis"},
		map[string]any{"client": "frontend", "server": "cart"},
	}}, got.body)
	assert.Equal(t, `{__name__=~"seismo_edge_.+",client!="",server!=""}`, rec.last(t).URL.Query().Get("match[]"))
}

func TestResourceErrors(t *testing.T) {
	var rec recorder
	good := promAPI(t, &rec)
	failing := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeStatus(w, 503, "text/plain", "overloaded")
	}).URL
	tests := []struct {
		name       string
		promURL    string
		method     string
		path       string
		wantStatus int
		wantError  string
		wantAllow  string
	}{
		{name: "unknown path", promURL: good, method: "GET", path: "metrics", wantStatus: 404,
			wantError: `unknown resource "/metrics"; available: GET /edges, GET /services, GET /sidecar/<path>, GET /signals, POST /feedback, PUT /selection`},
		{name: "wrong method", promURL: good, method: "POST", path: "services", wantStatus: 405,
			wantError: "method POST is not allowed on /services; use GET", wantAllow: "GET"},
		{name: "wrong method on edges", promURL: good, method: "DELETE", path: "edges", wantStatus: 405,
			wantError: "method DELETE is not allowed on /edges", wantAllow: "GET"},
		{name: "bad from", promURL: good, method: "GET", path: "services?from=yesterday", wantStatus: 400,
			wantError: `from="yesterday" is not a time in epoch milliseconds`},
		{name: "reversed range", promURL: good, method: "GET", path: "edges?from=2000&to=1000", wantStatus: 400,
			wantError: "to must be after from"},
		{name: "Prometheus failing", promURL: failing, method: "GET", path: "services", wantStatus: 502,
			wantError: "answered HTTP 503: overloaded"},
		{name: "Prometheus unreachable", promURL: closedURL(t), method: "GET", path: "edges", wantStatus: 502,
			wantError: "Prometheus is unreachable"},
		{name: "invalid settings", promURL: "prometheus", method: "GET", path: "services", wantStatus: 500,
			wantError: "prometheusUrl: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := testDS(t, map[string]any{"prometheusUrl": tc.promURL}, nil)
			got := callResource(t, d, tc.method, tc.path)
			assert.Equal(t, tc.wantStatus, got.status, got.raw)
			assert.Equal(t, []string{"application/json"}, got.headers["Content-Type"])
			require.NotNil(t, got.body, "errors must be JSON")
			assert.Contains(t, got.body["error"], tc.wantError)
			if tc.wantAllow != "" {
				assert.Equal(t, []string{tc.wantAllow}, got.headers["Allow"])
			}
		})
	}
}
