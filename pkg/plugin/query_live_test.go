package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveSidecar serves the sidecar fixtures of every live view.
func liveSidecar(t *testing.T, rec *recorder) string {
	t.Helper()
	return sidecarWith(t, rec, map[string]http.HandlerFunc{
		"/api/v1/topology":  serveBody(fixture(t, "topology.json")),
		"/api/v1/rootcause": serveBody(fixture(t, "rootcause.json")),
		"/api/v1/incidents": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("format") == "frames" {
				writeJSON200(w, fixture(t, "incidents_frames.json"))
				return
			}
			writeJSON200(w, fixture(t, "incidents.json"))
		},
		"/api/v1/evaluations": serveBody(fixture(t, "tolerated.json")),
		"/api/v1/signals":     serveBody(fixture(t, "signals.json")),
	})
}

func liveDS(t *testing.T, rec *recorder) *Datasource {
	t.Helper()
	d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t), "sidecarUrl": liveSidecar(t, rec)},
		map[string]string{"sidecarToken": "side-token"})
	return d
}

func TestLiveViewsGolden(t *testing.T) {
	tests := []struct {
		name       string
		model      string
		wantPath   string
		wantParams map[string]string
	}{
		{
			name: "incidents_list", model: `{"queryType":"incidents","incidentView":"list"}`,
			wantPath:   "/api/v1/incidents",
			wantParams: map[string]string{"state": "all", "format": "frames", "from": "1772366400", "to": "1772367000"},
		},
		{
			name: "incidents_tolerated", model: `{"queryType":"incidents","incidentView":"tolerated"}`,
			wantPath:   "/api/v1/evaluations",
			wantParams: map[string]string{"kind": "tolerated", "format": "frames", "from": "1772366400", "to": "1772367000"},
		},
		{
			name: "incidents_annotations", model: `{"queryType":"incidents","incidentView":"annotations"}`,
			// The last request fetches the evidence of the one ranked incident.
			wantPath:   "/api/v1/rootcause",
			wantParams: map[string]string{"incidentId": "inc-1772366700"},
		},
		{
			name: "rootcause", model: `{"queryType":"rootCause","incidentId":"inc-1772366700"}`,
			wantPath:   "/api/v1/rootcause",
			wantParams: map[string]string{"incidentId": "inc-1772366700", "format": "frames"},
		},
		{
			name: "topology", model: `{"queryType":"topology","service":"cart","hops":1}`,
			wantPath: "/api/v1/topology",
			// The range ends after the test's "now": the latest graph.
			wantParams: map[string]string{"service": "cart", "hops": "1"},
		},
		{
			name: "signal", model: `{"queryType":"signal","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio"}`,
			wantPath: "/api/v1/signals",
			wantParams: map[string]string{"scope": "edge", "client": "frontend", "server": "cart", "signal": "error_ratio",
				"from": "1772366400", "to": "1772367000", "step": "60"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			d := liveDS(t, &rec)
			res := queryOne(t, d, dataQuery("A", tc.model))
			require.NoError(t, res.Error)
			experimental.CheckGoldenJSONResponse(t, "testdata", "live_"+tc.name, &res, *updateGolden)

			req := rec.lastAt(t, tc.wantPath)
			got := map[string]string{}
			for k := range req.URL.Query() {
				got[k] = req.URL.Query().Get(k)
			}
			assert.Equal(t, tc.wantParams, got)
			for _, r := range rec.all() {
				assert.Equal(t, "Bearer side-token", r.Header.Get("Authorization"))
			}
			for _, f := range res.Frames {
				assert.Equal(t, "A", f.RefID)
			}
		})
	}
}

func TestAnnotationsFrame(t *testing.T) {
	d := liveDS(t, &recorder{})
	res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents","incidentView":"annotations"}`))
	require.NoError(t, res.Error)
	require.Len(t, res.Frames, 1)
	f := res.Frames[0]
	var names []string
	for _, fld := range f.Fields {
		names = append(names, fld.Name)
	}
	assert.Equal(t, []string{"time", "timeEnd", "title", "text", "tags", "id"}, names)
	require.Equal(t, 2, f.Rows())

	// Oldest first; the closed incident has an end, the open one none.
	assert.Equal(t, "SEV2 incident inc-1772366460", f.Fields[2].At(0))
	end := f.Fields[1].At(0).(*time.Time)
	require.NotNil(t, end)
	assert.Equal(t, time.Unix(1772366580, 0).UTC(), *end)
	assert.Nil(t, f.Fields[1].At(1).(*time.Time))

	assert.Equal(t, "SEV1 incident inc-1772366700", f.Fields[2].At(1))
	text := f.Fields[3].At(1).(string)
	assert.Contains(t, text, "SEV1 incident inc-1772366700 (opened as SEV2), open, peak temperature 7.5.")
	assert.Contains(t, text, "Affected: cart, frontend->cart.")
	assert.Contains(t, text, "Probable root cause: cart (cart: latency_p95 6.2x the edge of normal from 12:05, before its callers).")
	assert.Contains(t, f.Fields[3].At(0).(string), "No root cause ranked yet.")

	var tags []string
	require.NoError(t, json.Unmarshal(f.Fields[4].At(1).(json.RawMessage), &tags))
	assert.Equal(t, []string{"seismo", "SEV1", "cart"}, tags)
	require.NoError(t, json.Unmarshal(f.Fields[4].At(0).(json.RawMessage), &tags))
	assert.Equal(t, []string{"seismo", "SEV2"}, tags)
}

func TestAnnotationsSurviveMissingEvidence(t *testing.T) {
	side := sidecarWith(t, &recorder{}, map[string]http.HandlerFunc{
		"/api/v1/incidents": serveBody(fixture(t, "incidents.json")),
		"/api/v1/rootcause": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 404, "application/json", `{"error":{"code":"not_found","message":"no ranking for inc-1772366700"}}`)
		},
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t), "sidecarUrl": side}, nil)
	res := queryOne(t, d, dataQuery("A", `{"queryType":"incidents","incidentView":"annotations"}`))
	require.NoError(t, res.Error)
	f := res.Frames[0]
	assert.Contains(t, f.Fields[3].At(1).(string), "Probable root cause: cart.")
	require.Len(t, f.Meta.Notices, 1)
	assert.Contains(t, f.Meta.Notices[0].Text, "root-cause evidence could not be read for 1 incident(s)")
	assert.Contains(t, f.Meta.Notices[0].Text, "no ranking for inc-1772366700")
}

func TestTopologyFrames(t *testing.T) {
	var rec recorder
	d := liveDS(t, &rec)
	q := dataQuery("A", `{"queryType":"topology","anomalousOnly":true,"hops":0}`)
	// A range ending now asks for the latest graph, not a past cycle.
	q.TimeRange = backend.TimeRange{From: fixedNow().Add(-time.Hour), To: fixedNow()}
	res := queryOne(t, d, q)
	require.NoError(t, res.Error)
	assert.Equal(t, "anomalousOnly=true&hops=0", rec.lastAt(t, "/api/v1/topology").URL.RawQuery)

	require.Len(t, res.Frames, 2)
	nodes, edges := res.Frames[0], res.Frames[1]
	assert.Equal(t, "nodes", nodes.Name)
	assert.Equal(t, "edges", edges.Name)
	assert.Equal(t, data.VisTypeNodeGraph, string(nodes.Meta.PreferredVisualization))
	custom, ok := nodes.Meta.Custom.(map[string]any)
	require.True(t, ok, "meta.custom passes through")
	assert.Equal(t, "inc-1772366700", custom["incidentId"])

	_, idx := nodes.FieldByName("onset")
	onset := nodes.Fields[idx].At(1).(*time.Time)
	require.NotNil(t, onset)
	assert.Equal(t, time.UnixMilli(1772366700000).UTC(), *onset)
	_, idx = nodes.FieldByName("anomalous")
	assert.Nil(t, nodes.Fields[idx].At(2).(*bool), "unknown stays null")
	_, idx = nodes.FieldByName("contributions")
	raw := nodes.Fields[idx].At(1).(*json.RawMessage)
	require.NotNil(t, raw)
	assert.JSONEq(t, `{"latency_p95":0.62,"error_ratio":0.2}`, string(*raw))

	// A range that ended in the past replays the graph of that time.
	q.TimeRange = backend.TimeRange{From: fixedNow().Add(-2 * time.Hour), To: fixedNow().Add(-time.Hour)}
	res = queryOne(t, d, q)
	require.NoError(t, res.Error)
	assert.Equal(t, "1772362800", rec.lastAt(t, "/api/v1/topology").URL.Query().Get("at"))
}

func TestRootCauseOfOneService(t *testing.T) {
	d := liveDS(t, &recorder{})
	res := queryOne(t, d, dataQuery("A", `{"queryType":"rootCause","service":"frontend"}`))
	require.NoError(t, res.Error)
	f := res.Frames[0]
	require.Equal(t, 1, f.Rows())
	_, idx := f.FieldByName("rank")
	rank := f.Fields[idx].At(0).(*float64)
	assert.Equal(t, 2.0, *rank, "ranks keep their numbers")

	res = queryOne(t, d, dataQuery("A", `{"queryType":"rootCause","service":"redis"}`))
	require.NoError(t, res.Error)
	assert.Equal(t, 0, res.Frames[0].Rows())
	assert.Contains(t, res.Frames[0].Meta.Notices[0].Text, `service "redis" is not among the ranked candidates`)
}

func TestRootCauseWithoutAnyIncident(t *testing.T) {
	side := sidecarWith(t, &recorder{}, map[string]http.HandlerFunc{
		"/api/v1/rootcause": func(w http.ResponseWriter, _ *http.Request) {
			writeStatus(w, 404, "application/json", `{"error":{"code":"not_found","message":"no incident has opened yet"}}`)
		},
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": closedURL(t), "sidecarUrl": side}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"rootCause"}`))
	require.NoError(t, res.Error, "no incident is not an error")
	require.Len(t, res.Frames, 1)
	assert.Equal(t, "rootcause", res.Frames[0].Name)
	assert.Contains(t, res.Frames[0].Meta.Notices[0].Text, "no incident has a root-cause ranking yet: no incident has opened yet")

	res = queryOne(t, d, dataQuery("A", `{"queryType":"rootCause","incidentId":"inc-1"}`))
	require.Error(t, res.Error, "a named incident that has no ranking is")
	assert.Equal(t, backend.StatusNotFound, res.Status)
}

func TestSignalFramesAreAlertable(t *testing.T) {
	d := liveDS(t, &recorder{})
	res := queryOne(t, d, dataQuery("A", `{"queryType":"signal","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio"}`))
	require.NoError(t, res.Error)
	got := readAsAlerting(t, res.Frames)
	require.Len(t, got, 2)
	assert.Equal(t, "istio", got[0].labels["source"])
	require.NotNil(t, got[0].last, "rows were sorted by time, so the last one is 12:02")
	assert.Equal(t, 0.03, *got[0].last)
	// The sidecar's unit wins; the canonical one fills in where it sent none.
	assert.Equal(t, "percentunit", res.Frames[1].Fields[1].Config.Unit)
	assert.Equal(t, "frontend->cart error_ratio (obi)", res.Frames[1].Fields[1].Config.DisplayNameFromDS)
}

func TestServicesQuery(t *testing.T) {
	var rec recorder
	u := promAPI(t, &rec)
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	res := queryOne(t, d, dataQuery("A", `{"queryType":"services"}`))
	require.NoError(t, res.Error)
	experimental.CheckGoldenJSONResponse(t, "testdata", "services", &res, *updateGolden)
	q := rec.lastAt(t, "/api/v1/label/service/values").URL.Query()
	assert.Equal(t, "1772366400", q.Get("start"), "the query's own range")

	res = queryOne(t, d, dataQuery("A", `{"queryType":"services","scope":"edge"}`))
	require.NoError(t, res.Error)
	experimental.CheckGoldenJSONResponse(t, "testdata", "services_edges", &res, *updateGolden)
}

func TestLiveViewErrors(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		down       bool
		noSidecar  bool
		settings   map[string]any
		model      string
		wantStatus backend.Status
		want       []string
	}{
		{
			name: "sidecar not configured", noSidecar: true,
			model:      `{"queryType":"incidents","incidentView":"list"}`,
			wantStatus: backend.StatusBadRequest,
			want:       []string{"the incident list comes from the Seismo sidecar, and this datasource has no sidecar URL; set sidecarUrl"},
		},
		{
			name: "sidecar down", down: true,
			model:      `{"queryType":"topology"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{"sidecar is unreachable at http://127.0.0.1:", "connection refused"},
		},
		{
			name: "token rejected",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 401, "application/json", `{"error":{"code":"unauthorized","message":"invalid bearer token: it does not match the token configured on the sidecar"}}`)
			},
			model:      `{"queryType":"rootCause"}`,
			wantStatus: backend.StatusUnauthorized,
			want: []string{"sidecar at http://127.0.0.1:", "rejected the request with HTTP 401; check that sidecarToken matches the token configured on the sidecar",
				"(the sidecar says: invalid bearer token"},
		},
		{
			name: "sidecar fails",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 500, "application/json", `{"error":{"code":"internal","message":"topology is not built yet; retry after the first cycle"}}`)
			},
			model:      `{"queryType":"topology"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{"failed to answer (HTTP 500, internal): topology is not built yet; retry after the first cycle"},
		},
		{
			name: "proxy error page",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 502, "text/html", "<html>bad gateway</html>")
			},
			model:      `{"queryType":"topology"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{"answered HTTP 502: <html>bad gateway</html>"},
		},
		{
			name:       "malformed JSON",
			handler:    func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, `{"frames":[{"schema":`) },
			model:      `{"queryType":"incidents","incidentView":"tolerated"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{"the answer of /api/v1/evaluations could not be read", "same API version"},
		},
		{
			name: "frame without a promised field",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeJSON200(w, strings.Replace(fixture(t, "incidents_frames.json"), `"root_cause"`, `"rootCause"`, 1))
			},
			model:      `{"queryType":"incidents","incidentView":"list"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{`has a "incidents" frame without the fields [root_cause]`},
		},
		{
			name: "field of an unknown type",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeJSON200(w, strings.Replace(fixture(t, "topology.json"), `"name": "kind", "type": "string"`, `"name": "kind", "type": "enum"`, 1))
			},
			model:      `{"queryType":"topology"}`,
			wantStatus: backend.StatusBadGateway,
			want:       []string{`frame "nodes": field "kind": type "enum" is not one of time, number, string, boolean, other`},
		},
		{
			name: "unknown focus service",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 404, "application/json", `{"error":{"code":"not_found","message":"service \"crat\" is not monitored; did you mean cart?"}}`)
			},
			model:      `{"queryType":"topology","service":"crat"}`,
			wantStatus: backend.StatusNotFound,
			want:       []string{`the sidecar found nothing to answer with (HTTP 404, not_found): service "crat" is not monitored; did you mean cart?`},
		},
		{
			name: "range too large for the sidecar",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 400, "application/json", `{"error":{"code":"range_too_long","message":"the range of 2678400 s is longer than the limit of 604800 s (api.maxRangeSeconds); narrow start..end"}}`)
			},
			model:      `{"queryType":"signal","service":"cart","signal":"cpu_usage"}`,
			wantStatus: backend.StatusBadRequest,
			want:       []string{"the sidecar rejected the request (HTTP 400, range_too_long): the range of 2678400 s is longer than the limit"},
		},
		{
			name:       "slow sidecar hits the timeout",
			handler:    func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) },
			settings:   map[string]any{"timeoutSeconds": 1},
			model:      `{"queryType":"incidents","incidentView":"annotations"}`,
			wantStatus: backend.StatusTimeout,
			want:       []string{"sidecar at http://127.0.0.1:", "did not answer within 1s; raise timeoutSeconds"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			settings := map[string]any{"prometheusUrl": closedURL(t)}
			for k, v := range tc.settings {
				settings[k] = v
			}
			switch {
			case tc.noSidecar:
			case tc.down:
				settings["sidecarUrl"] = closedURL(t)
			default:
				settings["sidecarUrl"] = newServer(t, tc.handler).URL
			}
			d, _ := testDS(t, settings, map[string]string{"sidecarToken": "side-token"})
			res := queryOne(t, d, dataQuery("A", tc.model))
			require.Error(t, res.Error)
			assert.Empty(t, res.Frames)
			assert.Equal(t, tc.wantStatus, res.Status, res.Error.Error())
			assert.Equal(t, backend.ErrorSourceDownstream, res.ErrorSource)
			for _, w := range tc.want {
				assert.Contains(t, res.Error.Error(), w)
			}
		})
	}
}
