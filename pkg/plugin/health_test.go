package plugin

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const buildInfoOK = `{"status":"success","data":{"version":"2.53.1","revision":"abc","branch":"HEAD"}}`

const seismoSeriesOK = `{"status":"success","data":[{"__name__":"seismo_build_info","version":"0.3.1","instance":"sidecar-0"}]}`

func healthyProm(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/status/buildinfo":
		writeJSON200(w, buildInfoOK)
	case "/api/v1/series":
		writeJSON200(w, seismoSeriesOK)
	default:
		http.NotFound(w, r)
	}
}

const sidecarStatusOK = `{"version":"0.3.1","lastCycle":{"at":1772366385,"durationSeconds":1.2,"prometheusUp":true,"error":null},` +
	`"services":{"ok":40,"warmup":2},"stateRestoredFrom":"prometheus"}`

// sidecarServing answers /healthz and, with the right token, /api/v1/status.
func sidecarServing(token, status string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			writeJSON200(w, `{"status":"ok","version":"0.3.1"}`)
		case "/api/v1/status":
			if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
				writeStatus(w, 401, "application/json", `{"error":{"code":"unauthorized","message":"invalid bearer token: it does not match the token configured on the sidecar"}}`)
				return
			}
			writeJSON200(w, status)
		default:
			http.NotFound(w, r)
		}
	}
}

func healthySidecar(w http.ResponseWriter, r *http.Request) {
	sidecarServing("", sidecarStatusOK)(w, r)
}

func TestCheckHealth(t *testing.T) {
	type upstreamCase struct {
		handler http.HandlerFunc
		down    bool // use an address where nothing listens
		absent  bool // leave the URL empty (sidecar only)
	}
	tests := []struct {
		name       string
		prom       upstreamCase
		sidecar    upstreamCase
		settings   map[string]any
		secure     map[string]string
		wantStatus backend.HealthStatus
		// wantProm and wantSidecar are fragments of each component message.
		wantProm    []string
		wantSidecar []string
		wantPromVer string
	}{
		{
			name:        "both healthy",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: healthySidecar},
			wantStatus:  backend.HealthStatusOk,
			wantProm:    []string{"OK, version 2.53.1 at http://127.0.0.1:", "; Seismo series present (1 sidecar replica(s), version 0.3.1)"},
			wantSidecar: []string{"OK, version 0.3.1 at http://127.0.0.1:", ", token accepted; last detection cycle 15s ago, services: 40 ok, 2 warmup"},
			wantPromVer: "2.53.1",
		},
		{
			name: "Prometheus without the sidecar's series",
			prom: upstreamCase{handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/v1/series" {
					assert.Equal(t, "seismo_build_info", r.URL.Query().Get("match[]"))
					writeJSON200(w, `{"status":"success","data":[]}`)
					return
				}
				healthyProm(w, r)
			}},
			sidecar:    upstreamCase{handler: healthySidecar},
			wantStatus: backend.HealthStatusError,
			wantProm: []string{"reachable (version 2.53.1 at http://127.0.0.1:",
				"but it holds no seismo_build_info series from the last 15m0s: check that this Prometheus scrapes the sidecar's /metrics"},
			wantSidecar: []string{"OK"},
		},
		{
			name:        "sidecar API refuses the token",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: sidecarServing("right-token", sidecarStatusOK)},
			secure:      map[string]string{"sidecarToken": "wrong-token"},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"reachable (version 0.3.1 at http://127.0.0.1:", "but its API refused the token: sidecar at", "HTTP 401; check that sidecarToken matches", "invalid bearer token"},
		},
		{
			name:        "sidecar needs a token none is set",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: sidecarServing("right-token", sidecarStatusOK)},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"but its API refused the token", "check sidecarToken: it is empty but the sidecar requires a token"},
		},
		{
			name: "sidecar without API v1",
			prom: upstreamCase{handler: healthyProm},
			sidecar: upstreamCase{handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/healthz" {
					writeJSON200(w, `{"status":"ok","version":"0.0.9"}`)
					return
				}
				http.NotFound(w, r)
			}},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"reachable (version 0.0.9 at", "but it does not serve /api/v1/status (HTTP 404); this plugin needs the sidecar's API v1"},
		},
		{
			name: "sidecar cannot read its Prometheus",
			prom: upstreamCase{handler: healthyProm},
			sidecar: upstreamCase{handler: sidecarServing("", `{"version":"0.3.1","lastCycle":{"at":1772366385,"prometheusUp":false,`+
				`"error":"Prometheus is unreachable at http://prometheus:9090 (connect ECONNREFUSED)"},"services":{"unknown":42}}`)},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"the token is accepted, but its last detection cycle could not read Prometheus: Prometheus is unreachable at http://prometheus:9090 (connect ECONNREFUSED)"},
		},
		{
			name:        "sidecar still starting",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: sidecarServing("", `{"version":"0.3.1","lastCycle":null,"services":{}}`)},
			wantStatus:  backend.HealthStatusOk,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"token accepted; no detection cycle has completed yet (the sidecar is starting)"},
		},
		{
			name:        "sidecar not configured is fine",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{absent: true},
			wantStatus:  backend.HealthStatusOk,
			wantProm:    []string{"OK, version 2.53.1"},
			wantSidecar: []string{"not configured (optional; only the live views need it"},
		},
		{
			name:        "Prometheus down",
			prom:        upstreamCase{down: true},
			sidecar:     upstreamCase{handler: healthySidecar},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"Prometheus is unreachable at http://127.0.0.1:", "connection refused", "localhost means the Grafana host"},
			wantSidecar: []string{"OK, version 0.3.1"},
		},
		{
			name:        "Prometheus 401 with bearer auth",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 401, "text/plain", "Unauthorized") }},
			sidecar:     upstreamCase{handler: healthySidecar},
			settings:    map[string]any{"prometheusAuth": "bearer"},
			secure:      map[string]string{"prometheusBearerToken": "t0k3n"},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"rejected the request with HTTP 401; check prometheusBearerToken"},
			wantSidecar: []string{"OK"},
		},
		{
			name:        "Prometheus 403 with basic auth",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 403, "text/plain", "Forbidden") }},
			sidecar:     upstreamCase{absent: true},
			settings:    map[string]any{"prometheusAuth": "basic", "prometheusUser": "grafana"},
			secure:      map[string]string{"prometheusPassword": "pw"},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"HTTP 403; check prometheusUser and prometheusPassword"},
			wantSidecar: []string{"not configured"},
		},
		{
			name:        "Prometheus 401 without auth configured",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 401, "text/plain", "") }},
			sidecar:     upstreamCase{absent: true},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{`check prometheusAuth: it is "none" but Prometheus requires credentials`},
			wantSidecar: []string{"not configured"},
		},
		{
			name:        "Prometheus 500",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 500, "text/plain", "storage\nis on fire") }},
			sidecar:     upstreamCase{handler: healthySidecar},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"answered HTTP 500: storage is on fire"},
			wantSidecar: []string{"OK"},
		},
		{
			name: "Prometheus URL points at a web page",
			prom: upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 200, "text/html; charset=utf-8", "<html>Grafana login</html>")
			}},
			sidecar:     upstreamCase{handler: healthySidecar},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"answered HTTP 200 with text/html instead of JSON; is this the right URL"},
			wantSidecar: []string{"OK"},
		},
		{
			name:        "Prometheus path unknown (404 text)",
			prom:        upstreamCase{handler: http.NotFound},
			sidecar:     upstreamCase{absent: true},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"answered HTTP 404 with text/plain instead of JSON"},
			wantSidecar: []string{"not configured"},
		},
		{
			name:        "Prometheus slow",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) }},
			sidecar:     upstreamCase{handler: healthySidecar},
			settings:    map[string]any{"timeoutSeconds": 1},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"did not answer within 1s; raise timeoutSeconds"},
			wantSidecar: []string{"OK"},
		},
		{
			name:        "sidecar down",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{down: true},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"sidecar is unreachable at http://127.0.0.1:", "connection refused"},
		},
		{
			name: "sidecar rejects the token",
			prom: upstreamCase{handler: healthyProm},
			sidecar: upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 401, "application/json", `{"error":"bad token"}`)
			}},
			secure:      map[string]string{"sidecarToken": "wrong"},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"HTTP 401; check that sidecarToken matches the token configured on the sidecar"},
		},
		{
			name:        "sidecar wants a token none is set",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 403, "text/plain", "") }},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"HTTP 403; check sidecarToken: it is empty"},
		},
		{
			name:        "sidecar answers plain text",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 200, "text/plain", "ok") }},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"answered HTTP 200 with text/plain instead of JSON; is this the right URL", ": ok"},
		},
		{
			name: "sidecar reports unhealthy",
			prom: upstreamCase{handler: healthyProm},
			sidecar: upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 503, "application/json", `{"status":"degraded","version":"0.3.1","message":"model not loaded"}`)
			}},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"reports it is unhealthy (HTTP 503): model not loaded"},
		},
		{
			name:        "sidecar 502 from a proxy",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 502, "text/html", "<h1>Bad Gateway</h1>") }},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"answered HTTP 502: <h1>Bad Gateway</h1>"},
		},
		{
			name:        "sidecar slow",
			prom:        upstreamCase{handler: healthyProm},
			sidecar:     upstreamCase{handler: func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) }},
			settings:    map[string]any{"timeoutSeconds": 1},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"OK"},
			wantSidecar: []string{"sidecar at http://127.0.0.1:", "did not answer within 1s"},
		},
		{
			name:        "both broken, each says why",
			prom:        upstreamCase{handler: func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 401, "text/plain", "") }},
			sidecar:     upstreamCase{down: true},
			wantStatus:  backend.HealthStatusError,
			wantProm:    []string{"HTTP 401"},
			wantSidecar: []string{"unreachable"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			settings := map[string]any{}
			for k, v := range tc.settings {
				settings[k] = v
			}
			urlFor := func(c upstreamCase) string {
				switch {
				case c.absent:
					return ""
				case c.down:
					return closedURL(t)
				default:
					return newServer(t, c.handler).URL
				}
			}
			settings["prometheusUrl"] = urlFor(tc.prom)
			if u := urlFor(tc.sidecar); u != "" {
				settings["sidecarUrl"] = u
			}
			d, _ := testDS(t, settings, tc.secure)

			start := time.Now()
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			require.NoError(t, err)
			assert.Less(t, time.Since(start), 4*time.Second, "health check must not wait for a hung upstream")
			assert.Equal(t, tc.wantStatus, res.Status, res.Message)

			var details healthDetails
			require.NoError(t, json.Unmarshal(res.JSONDetails, &details))
			for _, f := range tc.wantProm {
				assert.Contains(t, details.Prometheus.Message, f)
				assert.Contains(t, res.Message, f)
			}
			for _, f := range tc.wantSidecar {
				assert.Contains(t, details.Sidecar.Message, f)
				assert.Contains(t, res.Message, f)
			}
			assert.True(t, strings.HasPrefix(res.Message, "Prometheus: "), res.Message)
			assert.Contains(t, res.Message, ". Sidecar: ")
			if tc.wantPromVer != "" {
				assert.Equal(t, tc.wantPromVer, details.Prometheus.Version)
			}
			if tc.sidecar.absent {
				assert.Equal(t, statusNotConfigured, details.Sidecar.Status)
			}
		})
	}
}

func TestCheckHealthSendsEachUpstreamItsOwnCredentials(t *testing.T) {
	var promRec, sideRec recorder
	prom := newServer(t, promRec.wrap(healthyProm))
	side := newServer(t, sideRec.wrap(healthySidecar))

	t.Run("bearer", func(t *testing.T) {
		d, _ := testDS(t, map[string]any{
			"prometheusUrl": prom.URL, "sidecarUrl": side.URL, "prometheusAuth": "bearer",
		}, map[string]string{"prometheusBearerToken": "prom-token", "sidecarToken": "side-token"})
		res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		require.NoError(t, err)
		require.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
		assert.Equal(t, "Bearer prom-token", promRec.last(t).Header.Get("Authorization"))
		assert.Equal(t, "Bearer side-token", sideRec.last(t).Header.Get("Authorization"))
	})
	t.Run("basic", func(t *testing.T) {
		d, _ := testDS(t, map[string]any{
			"prometheusUrl": prom.URL, "sidecarUrl": side.URL, "prometheusAuth": "basic", "prometheusUser": "grafana",
		}, map[string]string{"prometheusPassword": "pw"})
		_, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		require.NoError(t, err)
		user, pass, ok := promRec.last(t).BasicAuth()
		assert.True(t, ok)
		assert.Equal(t, "grafana", user)
		assert.Equal(t, "pw", pass)
		// No sidecar token configured: nothing is sent, and Prometheus
		// credentials never travel to the sidecar.
		assert.Empty(t, sideRec.last(t).Header.Get("Authorization"))
	})
}

func TestCheckHealthInvalidSettings(t *testing.T) {
	d, _ := testDS(t, map[string]any{"prometheusUrl": "localhost:9090", "timeoutSeconds": 0}, nil)
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, `prometheusUrl: "localhost:9090" is not an absolute http(s) URL; use e.g. http://prometheus:9090`)
	var details healthDetails
	require.NoError(t, json.Unmarshal(res.JSONDetails, &details))
	require.Len(t, details.Settings, 2)
	assert.Contains(t, details.Settings[0], "prometheusUrl: ")
	assert.Contains(t, details.Settings[1], "timeoutSeconds: ")
}

func TestCheckHealthTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(healthyProm))
	t.Cleanup(srv.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	tests := []struct {
		name   string
		json   map[string]any
		secure map[string]string
		want   string
		ok     bool
	}{
		{name: "unknown CA is reported with what to do", want: "for a private CA paste it into tlsCACert, or enable tlsSkipVerify"},
		{name: "CA certificate from secure settings", secure: map[string]string{"tlsCACert": caPEM}, ok: true},
		{name: "skip verify", json: map[string]any{"tlsSkipVerify": true}, ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			settings := map[string]any{"prometheusUrl": srv.URL}
			for k, v := range tc.json {
				settings[k] = v
			}
			d, _ := testDS(t, settings, tc.secure)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			require.NoError(t, err)
			if tc.ok {
				assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
				return
			}
			assert.Equal(t, backend.HealthStatusError, res.Status)
			assert.Contains(t, res.Message, "Prometheus is unreachable at https://127.0.0.1:")
			assert.Contains(t, res.Message, tc.want)
		})
	}
}
