package plugin

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretsNeverLeak drives every entry point against upstreams that echo
// the credentials they receive back in their error bodies (as some proxies
// and debug servers do) and checks that no secret, in clear or encoded, shows
// up in anything a user or an operator can see.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		password    = "prom-password-7c1e"
		bearer      = "prom-bearer-9d2f"
		sidecarTok  = "sidecar-token-4a8b"
		user        = "grafana"
		notACert    = "-----BEGIN NOT A CERT-----" // only used for the invalid-settings case
		invalidBear = "Bearer inline-secret-5e6f"
	)
	basicEncoded := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))

	echo := func(status int, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			body := "echo " + auth + " " + strings.TrimPrefix(auth, "Bearer ")
			if u, p, ok := r.BasicAuth(); ok {
				body += " user=" + u + " pass=" + p
			}
			if contentType == "application/json" {
				body = `{"status":"error","errorType":"bad_data","error":"` + body + `"}`
			}
			writeStatus(w, status, contentType, body)
		}
	}

	secretsIn := func(t *testing.T, where, text string) {
		t.Helper()
		for _, s := range []string{password, bearer, sidecarTok, basicEncoded, "inline-secret-5e6f"} {
			assert.NotContains(t, text, s, "%s leaks a secret", where)
		}
	}

	cases := []struct {
		name     string
		auth     string
		promH    http.HandlerFunc
		sideH    http.HandlerFunc
		settings map[string]any
	}{
		{name: "basic auth, JSON error echo", auth: "basic", promH: echo(400, "application/json"), sideH: echo(503, "text/plain")},
		{name: "bearer auth, text error echo", auth: "bearer", promH: echo(500, "text/plain"), sideH: echo(200, "text/html")},
		{name: "bearer auth, 200 non-JSON echo", auth: "bearer", promH: echo(200, "text/plain"), sideH: echo(503, "application/json")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prom := newServer(t, tc.promH)
			side := newServer(t, tc.sideH)
			d, logs := testDS(t, map[string]any{
				"prometheusUrl": prom.URL, "sidecarUrl": side.URL,
				"prometheusAuth": tc.auth, "prometheusUser": user,
			}, map[string]string{
				"prometheusPassword": password, "prometheusBearerToken": bearer, "sidecarToken": sidecarTok,
			})

			health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			require.NoError(t, err)
			require.Equal(t, backend.HealthStatusError, health.Status)
			secretsIn(t, "health message", health.Message)
			secretsIn(t, "health details", string(health.JSONDetails))
			// The echo really happened; otherwise this test would prove nothing.
			assert.Contains(t, health.Message, "[redacted]")

			// Every upstream path: Prometheus history, sidecar views, the
			// annotations' fan-out.
			resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
				dataQuery("A", `{"queryType":"anomalyScore","service":"cart"}`),
				dataQuery("B", `{"queryType":"topology"}`),
				dataQuery("C", `{"queryType":"incidents","incidentView":"annotations"}`),
				dataQuery("D", `{"queryType":"signal","service":"cart","signal":"cpu_usage"}`),
				dataQuery("E", `{"queryType":"rootCause","incidentId":"inc-1"}`),
			}})
			require.NoError(t, err)
			for ref, r := range resp.Responses {
				require.Error(t, r.Error, ref)
				secretsIn(t, "query error "+ref, r.Error.Error())
			}

			for _, path := range []string{"services", "sidecar/status", "sidecar/models/m/onnx"} {
				res := callResource(t, d, http.MethodGet, path)
				secretsIn(t, "resource answer "+path, res.raw)
			}
			res := callResourceAs(t, d, http.MethodPost, "feedback", []byte(`{"kind":"expected"}`), &backend.User{Login: "alice", Role: "Editor"})
			secretsIn(t, "feedback answer", res.raw)

			secretsIn(t, "logs", logs.text())
			assert.NotEmpty(t, logs.text(), "failures should have been logged")
		})
	}

	t.Run("invalid settings", func(t *testing.T) {
		d, logs := testDS(t, map[string]any{
			"prometheusUrl":  "http://" + user + ":" + password + "@prometheus:9090",
			"prometheusAuth": "bearer",
		}, map[string]string{
			"prometheusBearerToken": invalidBear, "sidecarToken": sidecarTok + " x", "tlsCACert": notACert,
		})
		health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		require.NoError(t, err)
		require.Equal(t, backend.HealthStatusError, health.Status)
		assert.Contains(t, health.Message, "prometheusUrl: must not contain credentials")
		assert.Contains(t, health.Message, "prometheusBearerToken: starts with \"Bearer \"")
		secretsIn(t, "health message", health.Message)
		secretsIn(t, "health details", string(health.JSONDetails))
		secretsIn(t, "logs", logs.text())
	})
}
