package plugin

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResourceSignals(t *testing.T) {
	d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t)}, nil)

	got := callResource(t, d, http.MethodGet, "signals")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	signals := got.body["signals"].([]any)
	assert.Len(t, signals, 12)
	assert.Equal(t, map[string]any{
		"name": "request_rate", "scope": "service", "unit": "requests/second", "grafanaUnit": "reqps",
		"description": "Requests received by the service per second (all callers, all replicas).",
	}, signals[0])

	got = callResource(t, d, http.MethodGet, "signals?scope=edge")
	require.Equal(t, http.StatusOK, got.status, got.raw)
	assert.Len(t, got.body["signals"], 3)

	got = callResource(t, d, http.MethodGet, "signals?scope=pod")
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, `scope="pod" is unknown; use service or edge`, got.body["error"])
}

// proxySidecarFake answers the sidecar routes the proxy tests use.
func proxySidecarFake(t *testing.T, rec *recorder) string {
	t.Helper()
	return sidecarWith(t, rec, map[string]http.HandlerFunc{
		"/api/v1/status":             serveBody(`{"version":"0.3.1"}`),
		"/api/v1/services/cart east": serveBody(`{"service":"cart east"}`),
		"/api/v1/forecasts/target":   serveBody(`{"target":{"scope":"service"},"frames":[]}`),
		"/api/v1/models/ae-v2/onnx": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 200, "application/octet-stream", "\x08\x07onnx-bytes\x00")
		},
		"/api/v1/incidents/inc-9": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 404, "application/json", `{"error":{"code":"not_found","message":"unknown incident inc-9; the newest is inc-1772366700"}}`)
		},
		"/api/v1/edges": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 401, "application/json", `{"error":{"code":"unauthorized","message":"invalid bearer token"}}`)
		},
		"/api/v1/topology": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 500, "application/json", `{"error":{"code":"internal","message":"graph build failed"}}`)
		},
		"/api/v1/window": func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) },
		"/api/v1/evaluations": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 200, "text/html", "<html>Sign in</html>")
		},
	})
}

func TestResourceSidecarProxy(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantBody    string // raw answer for successes
		wantType    string
		wantError   string
		wantUpPath  string // path the sidecar received; empty: no request
		wantUpQuery string
	}{
		{name: "status", path: "sidecar/status", wantStatus: 200, wantBody: `{"version":"0.3.1"}`, wantType: "application/json",
			wantUpPath: "/api/v1/status"},
		{name: "a service with a space", path: "sidecar/services/cart%20east", wantStatus: 200, wantBody: `{"service":"cart east"}`,
			wantType: "application/json", wantUpPath: "/api/v1/services/cart east"},
		{name: "query string passed through", path: "sidecar/forecasts/target?scope=service&service=cart&signal=latency_p95",
			wantStatus: 200, wantType: "application/json", wantBody: `{"target":{"scope":"service"},"frames":[]}`,
			wantUpPath: "/api/v1/forecasts/target", wantUpQuery: "scope=service&service=cart&signal=latency_p95"},
		{name: "binary model", path: "sidecar/models/ae-v2/onnx", wantStatus: 200, wantBody: "\x08\x07onnx-bytes\x00",
			wantType: "application/octet-stream", wantUpPath: "/api/v1/models/ae-v2/onnx"},
		{name: "404 stays 404", path: "sidecar/incidents/inc-9", wantStatus: 404,
			wantError:  "the sidecar found nothing to answer with (HTTP 404, not_found): unknown incident inc-9; the newest is inc-1772366700",
			wantUpPath: "/api/v1/incidents/inc-9"},
		{name: "token rejected is a gateway problem, not an expired login", path: "sidecar/edges", wantStatus: 502,
			wantError: "rejected the request with HTTP 401; check that sidecarToken matches", wantUpPath: "/api/v1/edges"},
		{name: "sidecar failure", path: "sidecar/topology", wantStatus: 502,
			wantError: "failed to answer (HTTP 500, internal): graph build failed", wantUpPath: "/api/v1/topology"},
		{name: "slow sidecar", path: "sidecar/window?service=cart", wantStatus: 504,
			wantError: "did not answer within 1s", wantUpPath: "/api/v1/window", wantUpQuery: "service=cart"},
		{name: "a web page instead of the API", path: "sidecar/evaluations", wantStatus: 502,
			wantError: "answered HTTP 200 with text/html instead of JSON; is this the right URL", wantUpPath: "/api/v1/evaluations"},
		{name: "route outside the allow-list", path: "sidecar/config", wantStatus: 404,
			wantError: `sidecar path "config" is not available through the datasource; allowed: status, services, services/<name>`},
		{name: "sub-route outside the allow-list", path: "sidecar/services/cart/scores", wantStatus: 404,
			wantError: `sidecar path "services/cart/scores" is not available`},
		{name: "no path", path: "sidecar", wantStatus: 404, wantError: "name a sidecar path after sidecar/"},
		{name: "dot-dot segment", path: "sidecar/../config", wantStatus: 400, wantError: `path segment ".." is not allowed`},
		{name: "encoded traversal", path: "sidecar/services/..%2F..%2Fconfig", wantStatus: 400, wantError: `path segment "..%2F..%2Fconfig" is not allowed`},
		{name: "encoded dots", path: "sidecar/services/%2e%2e", wantStatus: 400, wantError: `path segment "%2e%2e" is not allowed`},
		{name: "encoded slash", path: "sidecar/services/a%2Fb", wantStatus: 400, wantError: `path segment "a%2Fb" is not allowed`},
		{name: "double encoding", path: "sidecar/services/a%252Fb", wantStatus: 400, wantError: `path segment "a%252Fb" is not allowed`},
		{name: "empty segment", path: "sidecar//status", wantStatus: 400, wantError: `path segment "" is not allowed`},
		{name: "control character", path: "sidecar/services/a%0Ab", wantStatus: 400, wantError: `path segment "a%0Ab" is not allowed`},
		{name: "writes are not proxied", method: http.MethodPost, path: "sidecar/selection", wantStatus: 405,
			wantError: "method POST is not allowed on /sidecar/selection; use GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t), "sidecarUrl": proxySidecarFake(t, &rec), "timeoutSeconds": 1},
				map[string]string{"sidecarToken": "side-token"})
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			got := callResourceAs(t, d, method, tc.path, nil, &backend.User{Login: "alice", Role: "Viewer"})
			assert.Equal(t, tc.wantStatus, got.status, got.raw)
			if tc.wantError != "" {
				require.NotNil(t, got.body, "errors are JSON: %s", got.raw)
				assert.Contains(t, got.body["error"], tc.wantError)
			} else {
				assert.Equal(t, tc.wantBody, got.raw)
				assert.Equal(t, []string{tc.wantType}, got.headers["Content-Type"])
			}
			if tc.wantUpPath == "" {
				assert.Empty(t, rec.all(), "a refused path must not reach the sidecar")
				return
			}
			up := rec.last(t)
			assert.Equal(t, http.MethodGet, up.Method)
			assert.Equal(t, tc.wantUpPath, up.URL.Path)
			assert.Equal(t, tc.wantUpQuery, up.URL.RawQuery)
			assert.Equal(t, "Bearer side-token", up.Header.Get("Authorization"))
		})
	}
}

func TestResourceSidecarNotConfigured(t *testing.T) {
	d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t)}, nil)
	got := callResource(t, d, http.MethodGet, "sidecar/status")
	assert.Equal(t, http.StatusServiceUnavailable, got.status)
	assert.Contains(t, got.body["error"], "this datasource has no sidecar URL; set sidecarUrl")

	got = callResource(t, d, http.MethodGet, "sidecar/status/")
	assert.Equal(t, http.StatusServiceUnavailable, got.status, "a trailing slash names the same route")

	got = callResourceAs(t, d, http.MethodPut, "selection", []byte(`{"include":[]}`), &backend.User{Login: "root", Role: "Admin"})
	assert.Equal(t, http.StatusServiceUnavailable, got.status)
}

func TestResourceWrites(t *testing.T) {
	type upstreamCall struct {
		method, path, contentType string
		body                      map[string]any
	}
	feedback := `{"kind":"false_positive","scope":"service","entity":"cart","from":1772366400,"to":1772366700,"author":"mallory","note":"deploy"}`
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		user       *backend.User
		answer     func(w http.ResponseWriter)
		wantStatus int
		wantRaw    string
		wantError  string
		wantCall   *upstreamCall
	}{
		{
			name: "feedback from an editor, with the Grafana login as author", method: http.MethodPost, path: "feedback",
			body: feedback, user: &backend.User{Login: "alice", Role: "Editor"},
			answer:     func(w http.ResponseWriter) { writeStatus(w, 201, "application/json", `{"id":"fb-1"}`) },
			wantStatus: 201, wantRaw: `{"id":"fb-1"}`,
			wantCall: &upstreamCall{method: http.MethodPost, path: "/api/v1/feedback", contentType: "application/json", body: map[string]any{
				"kind": "false_positive", "scope": "service", "entity": "cart", "from": 1772366400.0, "to": 1772366700.0,
				"author": "alice", "note": "deploy",
			}},
		},
		{
			name: "selection from an admin", method: http.MethodPut, path: "selection",
			body: `{"include":["cart"],"exclude":["redis"]}`, user: &backend.User{Login: "root", Role: "Admin"},
			answer:     func(w http.ResponseWriter) { writeJSON200(w, `{"overrides":{"include":["cart"],"exclude":["redis"]}}`) },
			wantStatus: 200, wantRaw: `{"overrides":{"include":["cart"],"exclude":["redis"]}}`,
			wantCall: &upstreamCall{method: http.MethodPut, path: "/api/v1/selection", contentType: "application/json",
				body: map[string]any{"include": []any{"cart"}, "exclude": []any{"redis"}}},
		},
		{
			name: "the sidecar's validation message reaches the user", method: http.MethodPost, path: "feedback",
			body: `{"kind":"maybe"}`, user: &backend.User{Login: "alice", Role: "Editor"},
			answer: func(w http.ResponseWriter) {
				writeStatus(w, 400, "application/json", `{"error":{"code":"invalid_feedback","message":"kind must be expected or false_positive"}}`)
			},
			wantStatus: 400, wantError: "the sidecar rejected the request (HTTP 400, invalid_feedback): kind must be expected or false_positive",
			wantCall: &upstreamCall{method: http.MethodPost, path: "/api/v1/feedback", contentType: "application/json",
				body: map[string]any{"kind": "maybe", "author": "alice"}},
		},
		{name: "viewers cannot change the selection", method: http.MethodPut, path: "selection", body: `{}`,
			user: &backend.User{Login: "bob", Role: "Viewer"}, wantStatus: 403,
			wantError: "changing the monitored services needs the Editor or Admin role"},
		{name: "no user, no feedback", method: http.MethodPost, path: "feedback", body: feedback, wantStatus: 403,
			wantError: "changing feedback needs the Editor or Admin role"},
		{name: "body that is not JSON", method: http.MethodPost, path: "feedback", body: `kind=expected`,
			user: &backend.User{Login: "alice", Role: "Editor"}, wantStatus: 400, wantError: "the request body must be a JSON object"},
		{name: "body that is an array", method: http.MethodPut, path: "selection", body: `["cart"]`,
			user: &backend.User{Login: "alice", Role: "Editor"}, wantStatus: 400, wantError: "the request body must be a JSON object"},
		{name: "oversized body", method: http.MethodPost, path: "feedback", body: `{"note":"` + strings.Repeat("x", maxWriteBodyBytes) + `"}`,
			user: &backend.User{Login: "alice", Role: "Editor"}, wantStatus: 413, wantError: "the request body is larger than 256 KiB"},
		{name: "wrong method", method: http.MethodGet, path: "feedback", wantStatus: 405, wantError: "method GET is not allowed on /feedback; use POST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []upstreamCall
			side := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				raw, _ := io.ReadAll(r.Body)
				call := upstreamCall{method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type")}
				require.NoError(t, json.Unmarshal(raw, &call.body))
				calls = append(calls, call)
				tc.answer(w)
			})
			d, logs := testDS(t, map[string]any{"prometheusUrl": closedURL(t), "sidecarUrl": side.URL}, nil)
			got := callResourceAs(t, d, tc.method, tc.path, []byte(tc.body), tc.user)
			assert.Equal(t, tc.wantStatus, got.status, got.raw)
			if tc.wantError != "" {
				assert.Contains(t, got.body["error"], tc.wantError)
			} else {
				assert.Equal(t, tc.wantRaw, got.raw)
			}
			if tc.wantCall == nil {
				assert.Empty(t, calls, "a refused write must not reach the sidecar")
				return
			}
			require.Len(t, calls, 1)
			assert.Equal(t, *tc.wantCall, calls[0])
			assert.Contains(t, logs.text(), "forwarded a change to the sidecar", "writes are logged with who made them")
		})
	}
}
