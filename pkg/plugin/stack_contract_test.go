package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seismo/seismo/pkg/models"
)

// The real stack this test reads: the demo mesh under load with a delay
// fault on one edge, Prometheus scraping the mesh and the sidecar, and the
// sidecar process. tests/integration/datasource-stack.test.ts starts it and
// runs this test with these variables set; without them the test is skipped.
const (
	envStackPrometheusURL = "SEISMO_STACK_PROMETHEUS_URL"
	envStackSidecarURL    = "SEISMO_STACK_SIDECAR_URL"
	envStackSidecarToken  = "SEISMO_STACK_SIDECAR_TOKEN"
	envStackIncidentID    = "SEISMO_STACK_INCIDENT_ID"
	envStackFaultedEdge   = "SEISMO_STACK_FAULTED_EDGE"
	envStackServices      = "SEISMO_STACK_SERVICES"
)

// realStack is what the test knows about the running stack.
type realStack struct {
	prometheusURL, sidecarURL, token string
	// incidentID is an incident the fault opened; it may have closed since.
	incidentID     string
	client, server string
	// services are the mesh's services, from its topology.
	services []string
}

func realStackFromEnv(t *testing.T) realStack {
	t.Helper()
	if os.Getenv(envStackPrometheusURL) == "" {
		t.Skipf("%s is not set: tests/integration/datasource-stack.test.ts starts the stack and runs this test", envStackPrometheusURL)
	}
	s := realStack{
		prometheusURL: os.Getenv(envStackPrometheusURL),
		sidecarURL:    os.Getenv(envStackSidecarURL),
		token:         os.Getenv(envStackSidecarToken),
		incidentID:    os.Getenv(envStackIncidentID),
		services:      strings.Split(os.Getenv(envStackServices), ","),
	}
	var ok bool
	s.client, s.server, ok = strings.Cut(os.Getenv(envStackFaultedEdge), "->")
	require.Truef(t, ok, "%s must be client->server", envStackFaultedEdge)
	for name, v := range map[string]string{envStackSidecarURL: s.sidecarURL, envStackSidecarToken: s.token, envStackIncidentID: s.incidentID} {
		require.NotEmptyf(t, v, "%s is not set", name)
	}
	return s
}

func (s realStack) edgeID() string { return s.client + "->" + s.server }

// TestAgainstRealStack runs every query type, the health check and the
// resources the app pages use through the datasource's public handlers,
// against the real sidecar and Prometheus, and checks each answer against
// docs/frames.md.
func TestAgainstRealStack(t *testing.T) {
	stack := realStackFromEnv(t)
	ctx := context.Background()
	instance, err := NewDatasource(ctx, backend.DataSourceInstanceSettings{
		Name:                    "Seismo",
		JSONData:                []byte(fmt.Sprintf(`{"prometheusUrl":%q,"sidecarUrl":%q,"timeoutSeconds":20}`, stack.prometheusURL, stack.sidecarURL)),
		DecryptedSecureJSONData: map[string]string{models.KeySidecarToken: stack.token},
	})
	require.NoError(t, err)
	ds := instance.(*Datasource)
	t.Cleanup(ds.Dispose)
	// The stack has existed for a few minutes: a dashboard's "last 15 minutes".
	now := time.Now()
	q := stackQuerier{handler: ds, timeRange: backend.TimeRange{From: now.Add(-15 * time.Minute), To: now}}

	t.Run("CheckHealth", func(t *testing.T) {
		res, err := ds.CheckHealth(ctx, &backend.CheckHealthRequest{})
		require.NoError(t, err)
		assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
		var details healthDetails
		require.NoError(t, json.Unmarshal(res.JSONDetails, &details))
		assert.Equal(t, statusOK, details.Prometheus.Status, details.Prometheus.Message)
		assert.Equal(t, statusOK, details.Sidecar.Status, details.Sidecar.Message)
		assert.NotEmpty(t, details.Sidecar.Version, "the sidecar's /healthz names its version")
		assert.Contains(t, details.Sidecar.Message, "token accepted")
	})

	t.Run("anomalyScore", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"anomalyScore"}`)
		scored := map[string]bool{}
		for _, f := range frames {
			value := requireSeries(t, f, seriesSpec{value: "score", labels: []string{"service"}, unit: "percentunit"})
			service := value.Labels["service"]
			assert.Equal(t, service, f.Name, "frame name is the service")
			assert.Contains(t, stack.services, service)
			require.NotNil(t, value.Config.Min)
			assert.Equal(t, 0.0, float64(*value.Config.Min))
			assert.Equal(t, 1.0, float64(*value.Config.Max))
			for _, v := range numbers(t, value) {
				assert.True(t, v >= 0 && v <= 1, "score %v of %s outside [0, 1]", v, service)
			}
			scored[service] = len(numbers(t, value)) > 0
		}
		assert.True(t, scored[stack.client] && scored[stack.server], "both ends of the faulted edge have scores: %v", scored)

		frames = q.frames(t, fmt.Sprintf(`{"queryType":"anomalyScore","service":%q,"contributions":true}`, stack.client))
		var contributions int
		for _, f := range frames {
			if _, idx := f.FieldByName("contribution"); idx >= 0 {
				value := requireSeries(t, f, seriesSpec{value: "contribution", labels: []string{"service", "signal"}})
				_, known := models.LookupSignal(models.ScopeService, value.Labels["signal"])
				assert.True(t, known, "contribution of a canonical signal, got %q", value.Labels["signal"])
				contributions++
			} else {
				requireSeries(t, f, seriesSpec{value: "score", labels: []string{"service"}, unit: "percentunit"})
			}
			assert.Equal(t, stack.client, f.Name)
		}
		assert.Positive(t, contributions, "contributions of %s: %s", stack.client, frameNames(frames))
	})

	t.Run("edgeScore", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"edgeScore"}`)
		assert.GreaterOrEqual(t, len(frames), 10, "the mesh's call edges are scored: %s", frameNames(frames))
		frames = q.frames(t, fmt.Sprintf(`{"queryType":"edgeScore","client":%q,"server":%q}`, stack.client, stack.server))
		require.Len(t, frames, 1, "the faulted edge's score frame")
		value := requireSeries(t, frames[0], seriesSpec{value: "score", labels: []string{"client", "server"}, unit: "percentunit"})
		assert.Equal(t, stack.edgeID(), frames[0].Name)
		assert.Equal(t, data.Labels{"client": stack.client, "server": stack.server}, value.Labels)
		assert.NotEmpty(t, numbers(t, value))
	})

	t.Run("forecast", func(t *testing.T) {
		frames := q.frames(t, fmt.Sprintf(`{"queryType":"forecast","service":%q}`, stack.client))
		require.Len(t, frames, 5, frameNames(frames))
		for i, qty := range models.ForecastQuantities() {
			f := frames[i]
			assert.Equal(t, string(qty), f.Name)
			unit := "s"
			if qty == models.QuantityAnomalous {
				unit = ""
			}
			value := requireSeries(t, f, seriesSpec{value: string(qty), labels: []string{"quantity", "scope", "service", "signal"}, unit: unit})
			assert.Equal(t, data.Labels{"quantity": string(qty), "scope": "service", "service": stack.client, "signal": "latency_p95"}, value.Labels)
			if qty == models.QuantityAnomalous {
				for _, v := range numbers(t, value) {
					assert.Contains(t, []float64{0, 1}, v)
				}
			}
		}
		assert.NotEmpty(t, numbers(t, fieldOf(t, frames[0], "actual")), "actuals are exported from the first evaluation")
		accuracy := customMap(t, frames[0])
		requireKeys(t, "the actual frame's meta.custom", accuracy, "mae", "mape", "mase", "coverage", "trust", "state", "model")
		if state, ok := accuracy["state"].(string); ok {
			requireOneOf(t, "forecast state", []string{state}, "warmup", "ok", "fallback")
		}

		// The demo forecasts services only: an edge target is "no data" with the reason.
		frames = q.frames(t, fmt.Sprintf(`{"queryType":"forecast","scope":"edge","client":%q,"server":%q}`, stack.client, stack.server))
		requireNoData(t, frames, "the sidecar forecasts only its configured targets")
	})

	t.Run("incidents/timeline", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"incidents"}`)
		temperature := frames[0]
		require.Equal(t, "temperature", temperature.Name, notices(frames))
		requireSeries(t, temperature, seriesSpec{value: "temperature"})
		requireColumns(t, temperature, columns("Time:time", "temperature:number", "open_threshold:number", "close_threshold:number", "severity:number"))
		assert.NotEmpty(t, numbers(t, fieldOf(t, temperature, "temperature")))
		for _, sev := range numbers(t, fieldOf(t, temperature, "severity")) {
			assert.Contains(t, []float64{0, 1, 2}, sev)
		}
		entities := map[string]string{}
		for _, f := range frames[1:] {
			value := requireSeries(t, f, seriesSpec{value: "accumulator", labels: []string{"entity", "scope"}})
			requireColumns(t, f, columns("threshold:number"))
			assert.Equal(t, value.Labels["entity"], f.Name, "entity frames are named after the entity")
			entities[value.Labels["entity"]] = value.Labels["scope"]
		}
		assert.Equal(t, "edge", entities[stack.edgeID()], "the faulted edge's accumulator")
		assert.Equal(t, "service", entities[stack.server])

		frames = q.frames(t, fmt.Sprintf(`{"queryType":"incidents","incidentId":%q}`, stack.incidentID))
		require.Equal(t, "temperature", frames[0].Name, notices(frames))
		require.GreaterOrEqual(t, len(frames), 2, "the incident's affected entities; %s", notices(frames))
		for _, f := range frames[1:] {
			requireSeries(t, f, seriesSpec{value: "accumulator", labels: []string{"entity", "scope"}})
		}
	})

	t.Run("incidents/list", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"incidents","incidentView":"list"}`)
		require.Len(t, frames, 1)
		f := frames[0]
		assert.Equal(t, "incidents", f.Name)
		requireColumns(t, f, columns("id:string", "opened:time", "closed:time", "state:string", "severity:string",
			"opened_severity:string", "peak_temperature:number", "affected:string", "root_cause:string", "rule:string", "summary:string"))
		assert.Contains(t, stringsOf(fieldOf(t, f, "id")), stack.incidentID)
		requireOneOf(t, "state", stringsOf(fieldOf(t, f, "state")), "open", "closed")
		requireOneOf(t, "severity", stringsOf(fieldOf(t, f, "severity")), "SEV1", "SEV2")
		requireOneOf(t, "opened_severity", stringsOf(fieldOf(t, f, "opened_severity")), "SEV1", "SEV2")
		assert.Len(t, times(fieldOf(t, f, "opened")), f.Rows(), "every incident has an opening time")
	})

	t.Run("incidents/tolerated", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"incidents","incidentView":"tolerated"}`)
		require.Len(t, frames, 1)
		assert.Equal(t, "tolerated", frames[0].Name)
		requireColumns(t, frames[0], columns("time:time", "entity:string", "scope:string", "peak:number",
			"threshold:number", "temperature:number", "reason:string"))
		requireOneOf(t, "scope", stringsOf(fieldOf(t, frames[0], "scope")), "service", "edge")
	})

	t.Run("incidents/annotations", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"incidents","incidentView":"annotations"}`)
		require.Len(t, frames, 1)
		f := frames[0]
		requireColumns(t, f, columns("time:time", "timeEnd:time", "title:string", "text:string", "tags:other", "id:string"))
		row := slices.Index(stringsOf(fieldOf(t, f, "id")), stack.incidentID)
		require.GreaterOrEqual(t, row, 0, "an annotation for %s", stack.incidentID)
		title := stringsOf(fieldOf(t, f, "title"))[row]
		assert.Regexp(t, `^SEV[12] incident `+stack.incidentID+`$`, title)
		raw, ok := fieldOf(t, f, "tags").At(row).(json.RawMessage)
		require.True(t, ok, "tags are JSON")
		var tags []string
		require.NoError(t, json.Unmarshal(raw, &tags))
		require.GreaterOrEqual(t, len(tags), 2)
		assert.Equal(t, "seismo", tags[0])
		assert.Equal(t, strings.Fields(title)[0], tags[1], "the severity tag matches the title")
	})

	t.Run("rootCause", func(t *testing.T) {
		frames := q.frames(t, fmt.Sprintf(`{"queryType":"rootCause","incidentId":%q}`, stack.incidentID))
		require.Len(t, frames, 1)
		f := frames[0]
		assert.Equal(t, "rootcause", f.Name)
		requireColumns(t, f, columns("rank:number", "service:string", "score:number", "channel:string", "onset:time",
			"explained_by:string", "evidence:string", "signals:string"))
		require.Positive(t, f.Rows(), "the incident's ranking has candidates")
		ranks := numbers(t, fieldOf(t, f, "rank"))
		for i, r := range ranks {
			assert.Equal(t, float64(i+1), r, "ranks count from 1 in order")
		}
		requireOneOf(t, "channel", stringsOf(fieldOf(t, f, "channel")), "resource", "symptom", "silence", "none")
		for _, s := range stringsOf(fieldOf(t, f, "service")) {
			assert.Contains(t, stack.services, s)
		}
		custom := customMap(t, f)
		requireKeys(t, "the ranking's meta.custom", custom, "incidentId", "alertTime", "notes")
		assert.Equal(t, stack.incidentID, custom["incidentId"])
		alertTime, _ := custom["alertTime"].(float64)
		assert.InDelta(t, float64(time.Now().UnixMilli()), alertTime, float64(15*time.Minute/time.Millisecond), "alertTime is epoch milliseconds")

		one := q.frames(t, fmt.Sprintf(`{"queryType":"rootCause","incidentId":%q,"service":%q}`, stack.incidentID, stack.server))
		require.Len(t, one, 1)
		assert.Equal(t, []string{stack.server}, stringsOf(fieldOf(t, one[0], "service")), "one service's row")
	})

	t.Run("topology", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"topology"}`)
		require.Len(t, frames, 2)
		nodes, edges := frames[0], frames[1]
		assert.Equal(t, "nodes", nodes.Name)
		assert.Equal(t, "edges", edges.Name)
		requireColumns(t, nodes, columns("id:string", "title:string", "subtitle:string", "mainstat:number", "secondarystat:number",
			"arc__anomalous:number", "arc__normal:number", "arc__unknown:number", "color:string", "detail__state:string",
			"detail__detector:string", "detail__top_signals:string", "kind:string", "score:number", "threshold:number",
			"state:string", "anomalous:boolean", "onset:time", "rank:number", "rootcause_score:number", "contributions:other",
			"namespace:string", "team:string"))
		requireColumns(t, edges, columns("id:string", "source:string", "target:string", "mainstat:number", "secondarystat:number",
			"thickness:number", "color:string", "detail__error_ratio:number", "detail__sources:string", "score:number",
			"state:string", "anomalous:boolean", "onset:time", "request_rate:number", "error_ratio:number", "latency_p95:number",
			"contributions:other"))
		for _, f := range frames {
			assert.Equal(t, data.VisTypeNodeGraph, string(f.Meta.PreferredVisualization))
		}
		ids := stringsOf(fieldOf(t, nodes, "id"))
		for _, s := range stack.services {
			assert.Contains(t, ids, s, "every service of the mesh is a node")
		}
		requireOneOf(t, "node state", stringsOf(fieldOf(t, nodes, "state")), "ok", "warmup", "stale", "unknown", "fallback")
		requireOneOf(t, "node kind", stringsOf(fieldOf(t, nodes, "kind")), "service", "external", "unknown")
		// The Node Graph panel draws the arcs as shares of one ring.
		arcs := [3]*data.Field{fieldOf(t, nodes, "arc__anomalous"), fieldOf(t, nodes, "arc__normal"), fieldOf(t, nodes, "arc__unknown")}
		for row := range nodes.Rows() {
			var sum float64
			for _, arc := range arcs {
				v, err := arc.NullableFloatAt(row)
				require.NoError(t, err)
				require.NotNilf(t, v, "%s of node %s", arc.Name, ids[row])
				sum += *v
			}
			assert.InDeltaf(t, 1, sum, 1e-9, "the arcs of node %s fill the ring", ids[row])
		}
		mainstat := fieldOf(t, nodes, "mainstat")
		require.NotNil(t, mainstat.Config)
		assert.Equal(t, "percentunit", mainstat.Config.Unit)
		assert.Equal(t, "score", mainstat.Config.DisplayName)
		assert.Equal(t, "s", fieldOf(t, edges, "mainstat").Config.Unit)
		assert.Contains(t, stringsOf(fieldOf(t, edges, "id")), stack.edgeID())
		for _, th := range numbers(t, fieldOf(t, edges, "thickness")) {
			assert.True(t, th >= 1 && th <= 8, "thickness %v", th)
		}
		custom := customMap(t, nodes)
		requireKeys(t, "the nodes frame's meta.custom", custom, "at", "incidentId", "rootCause", "states")

		focused := q.frames(t, fmt.Sprintf(`{"queryType":"topology","service":%q,"hops":1}`, stack.server))
		require.Len(t, focused, 2)
		focusIDs := stringsOf(fieldOf(t, focused[0], "id"))
		assert.Contains(t, focusIDs, stack.server)
		assert.Contains(t, focusIDs, stack.client, "the caller is within one hop")
		assert.Less(t, len(focusIDs), len(ids), "the focus view is smaller than the graph")
	})

	t.Run("signal", func(t *testing.T) {
		frames := q.frames(t, fmt.Sprintf(`{"queryType":"signal","service":%q,"signal":"latency_p95"}`, stack.client))
		require.NotEmpty(t, frames)
		for _, f := range frames {
			value := requireSeries(t, f, seriesSpec{value: "value", labels: []string{"scope", "service", "signal", "source"}, unit: "s"})
			assert.Equal(t, stack.client, value.Labels["service"])
			assert.NotEmpty(t, numbers(t, value), "%s latency from %s", stack.client, value.Labels["source"])
		}
		frames = q.frames(t, fmt.Sprintf(`{"queryType":"signal","scope":"edge","client":%q,"server":%q,"signal":"latency_p95"}`, stack.client, stack.server))
		require.NotEmpty(t, frames)
		for _, f := range frames {
			value := requireSeries(t, f, seriesSpec{value: "value", labels: []string{"client", "scope", "server", "signal", "source"}, unit: "s"})
			latencies := numbers(t, value)
			require.NotEmpty(t, latencies)
			// The delay fault adds 400 ms to every call on the edge.
			assert.Greater(t, slices.Max(latencies), 0.3, "the faulted edge's p95 from %s shows the delay", value.Labels["source"])
		}
	})

	t.Run("services", func(t *testing.T) {
		frames := q.frames(t, `{"queryType":"services"}`)
		require.Len(t, frames, 1)
		requireColumns(t, frames[0], columns("service:string"))
		assert.ElementsMatch(t, stack.services, stringsOf(fieldOf(t, frames[0], "service")))

		frames = q.frames(t, `{"queryType":"services","scope":"edge"}`)
		require.Len(t, frames, 1)
		requireColumns(t, frames[0], columns("client:string", "server:string", "edge:string"))
		assert.Contains(t, stringsOf(fieldOf(t, frames[0], "edge")), stack.edgeID())
	})

	// Grafana's alerting sends each rule's queries with FromAlert set, a
	// relative range, 1-s interval and 43,200 max data points; the numeric
	// types must answer with series its dataplane reader accepts.
	t.Run("alert rules", func(t *testing.T) {
		alert := stackQuerier{handler: ds, timeRange: backend.TimeRange{From: now.Add(-10 * time.Minute), To: now}, fromAlert: true}
		for _, model := range []string{
			`{"queryType":"anomalyScore"}`,
			fmt.Sprintf(`{"queryType":"anomalyScore","service":%q}`, stack.server),
			fmt.Sprintf(`{"queryType":"edgeScore","client":%q,"server":%q}`, stack.client, stack.server),
			fmt.Sprintf(`{"queryType":"forecast","service":%q,"quantity":"anomalous"}`, stack.client),
			fmt.Sprintf(`{"queryType":"forecast","service":%q,"signal":"request_rate"}`, stack.client),
			`{"queryType":"incidents"}`,
			fmt.Sprintf(`{"queryType":"signal","scope":"edge","client":%q,"server":%q,"signal":"error_ratio"}`, stack.client, stack.server),
		} {
			series := readAsAlerting(t, alert.frames(t, model))
			assert.NotEmpty(t, series, "alert series of %s", model)
			for _, s := range series {
				assert.NotNil(t, s.last, "%s {%s} has a value to reduce", s.name, s.labels)
			}
		}
	})

	t.Run("errors a user can act on", func(t *testing.T) {
		typo := stack.server[:len(stack.server)-1]
		res := q.response(t, fmt.Sprintf(`{"queryType":"anomalyScore","service":%q}`, typo))
		require.Error(t, res.Error)
		assert.Equal(t, backend.StatusNotFound, res.Status)
		assert.Contains(t, res.Error.Error(), fmt.Sprintf("closest known services: %q", stack.server))

		res = q.response(t, fmt.Sprintf(`{"queryType":"topology","service":%q}`, typo))
		require.Error(t, res.Error)
		assert.Equal(t, backend.StatusNotFound, res.Status)
		assert.Contains(t, res.Error.Error(), "not in the call graph")

		res = q.response(t, fmt.Sprintf(`{"queryType":"signal","service":%q,"signal":"latency_p95"}`, typo))
		require.Error(t, res.Error)
		assert.Equal(t, backend.StatusNotFound, res.Status)
	})

	t.Run("resources", func(t *testing.T) {
		get := func(t *testing.T, path string) (int, http.Header, []byte) {
			t.Helper()
			return getResource(t, ds, path)
		}
		object := func(t *testing.T, path string, keys ...string) map[string]any {
			t.Helper()
			status, header, body := get(t, path)
			require.Equalf(t, http.StatusOK, status, "%s: %s", path, body)
			assert.Equal(t, "application/json", strings.Split(header.Get("Content-Type"), ";")[0], path)
			var obj map[string]any
			require.NoErrorf(t, json.Unmarshal(body, &obj), "%s answers a JSON object", path)
			requireKeys(t, path, obj, keys...)
			return obj
		}
		list := func(t *testing.T, obj map[string]any, key string) []map[string]any {
			t.Helper()
			raw, ok := obj[key].([]any)
			require.Truef(t, ok, "%q is an array", key)
			out := make([]map[string]any, len(raw))
			for i, item := range raw {
				out[i], ok = item.(map[string]any)
				require.Truef(t, ok, "%q[%d] is an object", key, i)
			}
			return out
		}

		services := object(t, "services", "services")
		assert.Len(t, services["services"], len(stack.services))
		edges := object(t, "edges", "edges")
		assert.Contains(t, edges["edges"], map[string]any{"client": stack.client, "server": stack.server})
		object(t, "signals?scope=edge", "signals")

		status := object(t, "sidecar/status", "version", "lastCycle", "services", "edges")
		lastCycle, _ := status["lastCycle"].(map[string]any)
		requireKeys(t, "lastCycle", lastCycle, "at", "durationSeconds", "prometheusUp")
		assert.Equal(t, true, lastCycle["prometheusUp"])

		for _, s := range list(t, object(t, "sidecar/services", "at", "services"), "services") {
			requireKeys(t, "a service", s, "service", "state", "detector", "score", "anomalous", "trust", "accumulator", "topContributions")
		}
		object(t, "sidecar/services/"+url.PathEscape(stack.server), "service", "state", "signals", "callers", "callees")
		var seen bool
		for _, e := range list(t, object(t, "sidecar/edges", "at", "edges"), "edges") {
			requireKeys(t, "an edge", e, "client", "server", "state", "score", "requestRate", "latencyP95", "sources", "agreement")
			seen = seen || e["id"] == stack.edgeID()
		}
		assert.True(t, seen, "the faulted edge is listed")
		topology := object(t, "sidecar/topology", "frames")
		assert.Len(t, topology["frames"], 2)

		incidents := list(t, object(t, "sidecar/incidents?state=all&from=now-24h", "incidents"), "incidents")
		require.NotEmpty(t, incidents)
		for _, inc := range incidents {
			requireKeys(t, "an incident", inc, "id", "state", "openedAt", "closedAt", "openedSeverity", "severity",
				"peakTemperature", "affectedEntities", "rootCause", "summary")
		}
		detail := object(t, "sidecar/incidents/"+url.PathEscape(stack.incidentID), "id", "rule", "timeline", "explanation", "rootCause")
		assert.Equal(t, stack.incidentID, detail["id"])
		object(t, "sidecar/rootcause?incidentId="+url.QueryEscape(stack.incidentID), "incidentId", "candidates")
		object(t, "sidecar/evaluations?kind=all", "evaluations")

		models := list(t, object(t, "sidecar/models", "models"), "models")
		require.NotEmpty(t, models)
		modelID, _ := models[0]["modelId"].(string)
		require.NotEmpty(t, modelID)
		manifest := object(t, "sidecar/models/"+url.PathEscape(modelID)+"/manifest", "model_id", "window", "signals", "calibration")
		assert.Equal(t, modelID, manifest["model_id"])
		code, header, onnx := get(t, "sidecar/models/"+url.PathEscape(modelID)+"/onnx")
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, "application/octet-stream", header.Get("Content-Type"))
		assert.Greater(t, len(onnx), 1000, "the model's ONNX bytes")

		forecasts := list(t, object(t, "sidecar/forecasts", "enabled", "maxTargets", "targets"), "targets")
		require.NotEmpty(t, forecasts)
		object(t, fmt.Sprintf("sidecar/forecasts/target?scope=service&service=%s&signal=latency_p95", url.QueryEscape(stack.client)), "target", "frames")
		object(t, fmt.Sprintf("sidecar/signals?scope=service&service=%s&signal=request_rate", url.QueryEscape(stack.client)), "frames")
		object(t, "sidecar/selection", "overrides", "rules", "services")

		// The shipped model does not fit the stack's 2-s steps, so the window
		// cannot be scored; the sidecar's reason must reach the inspector
		// with its status.
		code, _, body := get(t, "sidecar/window?service="+url.QueryEscape(stack.client))
		if code != http.StatusOK {
			assert.Equal(t, http.StatusUnprocessableEntity, code, string(body))
			var e map[string]string
			require.NoError(t, json.Unmarshal(body, &e))
			assert.Contains(t, e["error"], "the window cannot be scored")
		}

		// The incident page's feedback and the services page's selection
		// are written through the datasource on behalf of an Editor.
		editor := &backend.User{Login: "oncall@example.org", Role: "Editor"}
		feedback, err := json.Marshal(map[string]any{
			"kind": "false_positive", "scope": "edge", "entity": stack.edgeID(), "incidentId": stack.incidentID,
			"from": now.Add(-2 * time.Minute).Unix(), "to": now.Add(-time.Minute).Unix(), "note": "contract test",
		})
		require.NoError(t, err)
		reply := callResourceAs(t, ds, http.MethodPost, "feedback", feedback, editor)
		require.Equal(t, http.StatusCreated, reply.status, reply.raw)
		assert.Equal(t, "oncall@example.org", reply.body["author"], "the author is the Grafana user")
		stored := list(t, object(t, "sidecar/feedback", "feedback"), "feedback")
		assert.Condition(t, func() bool {
			return slices.ContainsFunc(stored, func(f map[string]any) bool { return f["id"] == reply.body["id"] })
		}, "the feedback is listed")
		reply = callResourceAs(t, ds, http.MethodPut, "selection", []byte(`{"include":[],"exclude":[]}`), editor)
		require.Equal(t, http.StatusOK, reply.status, reply.raw)
		requireKeys(t, "the new selection", reply.body, "overrides", "services")
		reply = callResourceAs(t, ds, http.MethodPost, "feedback", feedback, &backend.User{Login: "viewer", Role: "Viewer"})
		assert.Equal(t, http.StatusForbidden, reply.status, "a Viewer cannot teach the detectors")

		code, _, body = get(t, "sidecar/services/"+url.PathEscape(stack.server[:len(stack.server)-1]))
		assert.Equal(t, http.StatusNotFound, code, "an unknown service stays 404: %s", body)
		code, _, _ = get(t, "sidecar/config")
		assert.Equal(t, http.StatusNotFound, code, "the sidecar's config is not reachable through the datasource")
	})
}

// stackQuerier sends one query per request, as a panel or an alert rule does.
type stackQuerier struct {
	handler   backend.QueryDataHandler
	timeRange backend.TimeRange
	fromAlert bool
}

func (q stackQuerier) response(t *testing.T, model string) backend.DataResponse {
	t.Helper()
	query := backend.DataQuery{RefID: "A", JSON: []byte(model), TimeRange: q.timeRange, Interval: time.Second, MaxDataPoints: 1000}
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{query}}
	if q.fromAlert {
		query.MaxDataPoints = 43200
		req.Queries[0] = query
		req.Headers = map[string]string{"FromAlert": "true"}
	}
	resp, err := q.handler.QueryData(context.Background(), req)
	require.NoError(t, err)
	res, ok := resp.Responses["A"]
	require.True(t, ok, "an answer for refId A")
	return res
}

// frames runs a query that must succeed and checks what holds for every
// answer: refId set, frames that survive the Arrow encoding.
func (q stackQuerier) frames(t *testing.T, model string) data.Frames {
	t.Helper()
	res := q.response(t, model)
	require.NoErrorf(t, res.Error, "query %s", model)
	require.NotEmptyf(t, res.Frames, "query %s", model)
	for _, f := range res.Frames {
		assert.Equal(t, "A", f.RefID)
	}
	requireArrow(t, res.Frames)
	return res.Frames
}

// getResource performs GET <path> as Grafana's resource API passes it on
// for a Viewer; path may carry a query string.
func getResource(t *testing.T, d *Datasource, path string) (int, http.Header, []byte) {
	t.Helper()
	reply := callResourceAs(t, d, http.MethodGet, path, nil, &backend.User{Login: "viewer", Role: "Viewer"})
	return reply.status, http.Header(reply.headers), []byte(reply.raw)
}
