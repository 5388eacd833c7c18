package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fixed ten-minute window; 1772366400 is 2026-03-01T12:00:00Z.
var (
	testFrom = time.Unix(1772366400, 0).UTC()
	testTo   = testFrom.Add(10 * time.Minute)
)

func dataQuery(refID, model string) backend.DataQuery {
	return backend.DataQuery{
		RefID:         refID,
		JSON:          []byte(model),
		Interval:      time.Minute,
		MaxDataPoints: 1000,
		TimeRange:     backend.TimeRange{From: testFrom, To: testTo},
	}
}

func queryOne(t *testing.T, d *Datasource, q backend.DataQuery) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
	require.NoError(t, err)
	require.Len(t, resp.Responses, 1)
	res, ok := resp.Responses[q.RefID]
	require.True(t, ok)
	return res
}

// promWith serves query_range answers from fn and records requests; the
// lookups behind "unknown service" messages see a fixed set of services
// (cart, checkout, payment) and edges (frontend->cart, api->checkout).
func promWith(t *testing.T, rec *recorder, fn http.HandlerFunc) string {
	t.Helper()
	return newServer(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/query_range":
			fn(w, r)
		case "/api/v1/label/service/values":
			writeJSON200(w, `{"status":"success","data":["cart","checkout","payment"]}`)
		case "/api/v1/series":
			writeJSON200(w, `{"status":"success","data":[
				{"__name__":"seismo_edge_detector_state","client":"frontend","server":"cart","state":"warmup"},
				{"__name__":"seismo_edge_anomaly_score","client":"api","server":"checkout"}]}`)
		default:
			http.NotFound(w, r)
		}
	})).URL
}

func TestQueryDataGolden(t *testing.T) {
	t0 := float64(testFrom.Unix())
	tests := []struct {
		name      string
		model     string
		answer    func(t *testing.T) string
		wantQuery string
	}{
		{
			name:  "anomaly_score_one_service",
			model: `{"queryType":"anomalyScore","service":"checkout"}`,
			answer: func(t *testing.T) string {
				return matrixBody(t, series{
					labels: map[string]string{"service": "checkout"},
					points: [][2]any{{t0, "0.12"}, {t0 + 60, "0.5"}, {t0 + 120, "0.97"}},
				})
			},
			wantQuery: `max by (service) (seismo_service_anomaly_score{service="checkout"})`,
		},
		{
			name:  "anomaly_score_all_services",
			model: `{"queryType":"anomalyScore"}`,
			answer: func(t *testing.T) string {
				// Out of order on purpose: frames must come out sorted.
				return matrixBody(t,
					series{labels: map[string]string{"service": "payment"}, points: [][2]any{{t0, "0.3"}, {t0 + 60, "NaN"}}},
					series{labels: map[string]string{"service": "cart"}, points: [][2]any{{t0, "0.01"}, {t0 + 60, "0.02"}}},
				)
			},
			wantQuery: `max by (service) (seismo_service_anomaly_score)`,
		},
		{
			name:  "edge_score",
			model: `{"queryType":"edgeScore","client":"frontend","server":"cart"}`,
			answer: func(t *testing.T) string {
				return matrixBody(t, series{
					labels: map[string]string{"client": "frontend", "server": "cart"},
					points: [][2]any{{t0, "0.2"}, {t0 + 60, "0.8"}},
				})
			},
			wantQuery: `max by (client, server) (seismo_edge_anomaly_score{client="frontend",server="cart"})`,
		},
		{
			name:  "edge_score_no_data",
			model: `{"queryType":"edgeScore","server":"cart"}`,
			answer: func(t *testing.T) string {
				return matrixBody(t)
			},
			wantQuery: `max by (client, server) (seismo_edge_anomaly_score{server="cart"})`,
		},
		{
			name:  "anomaly_score_with_contributions",
			model: `{"queryType":"anomalyScore","service":"cart","contributions":true}`,
			answer: func(t *testing.T) string {
				return matrixBody(t,
					series{labels: map[string]string{"__name__": "seismo_service_signal_contribution", "service": "cart", "signal": "latency_p95"}, points: [][2]any{{t0, "0.6"}, {t0 + 60, "0.7"}}},
					series{labels: map[string]string{"__name__": "seismo_service_anomaly_score", "service": "cart"}, points: [][2]any{{t0, "0.8"}, {t0 + 60, "0.95"}}},
					series{labels: map[string]string{"__name__": "seismo_service_signal_contribution", "service": "cart", "signal": "error_ratio"}, points: [][2]any{{t0, "0.2"}, {t0 + 60, "0.1"}}},
				)
			},
			wantQuery: `max by (__name__, service, signal) ({__name__=~"seismo_service_anomaly_score|seismo_service_signal_contribution",service="cart"})`,
		},
		{
			name:  "anomaly_score_with_warnings",
			model: `{"queryType":"anomalyScore","service":"cart"}`,
			answer: func(t *testing.T) string {
				return `{"status":"success","warnings":["partial response: store-2 unavailable"],"infos":["PromQL info: sample"],` +
					`"data":{"resultType":"matrix","result":[{"metric":{"service":"cart"},"values":[[` + fmt.Sprint(t0) + `,"0.4"]]}]}}`
			},
			wantQuery: `max by (service) (seismo_service_anomaly_score{service="cart"})`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			u := promWith(t, &rec, func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, tc.answer(t)) })
			d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

			res := queryOne(t, d, dataQuery("A", tc.model))
			require.NoError(t, res.Error)

			got := rec.lastAt(t, "/api/v1/query_range").URL.Query()
			assert.Equal(t, tc.wantQuery, got.Get("query"))
			assert.Equal(t, "60", got.Get("step"))
			assert.Equal(t, "1772366400", got.Get("start"))
			assert.Equal(t, "1772367000", got.Get("end"))
			for _, f := range res.Frames {
				assert.Equal(t, tc.wantQuery, f.Meta.ExecutedQueryString)
			}
			experimental.CheckGoldenJSONResponse(t, "testdata", tc.name, &res, *updateGolden)
		})
	}
}

func TestQueryDataAlertRule(t *testing.T) {
	// What Grafana's alert scheduler sends: literal values, no dashboard
	// variables, intervalMs 1000 and maxDataPoints 43200, no frontend involved.
	model := `{"refId":"A","datasource":{"type":"seismo-anomaly-datasource","uid":"seismo"},` +
		`"queryType":"anomalyScore","service":"checkout","intervalMs":1000,"maxDataPoints":43200}`
	tests := []struct {
		name     string
		window   time.Duration
		wantStep string
	}{
		{name: "ten minutes at the requested interval", window: 10 * time.Minute, wantStep: "1"},
		// 86400 points would exceed Prometheus's 11000-point limit; the step
		// grows instead of the rule failing.
		{name: "one day stays under the point limit", window: 24 * time.Hour, wantStep: "8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			now := time.Unix(1772366400, 0)
			u := promWith(t, &rec, func(w http.ResponseWriter, _ *http.Request) {
				writeJSON200(w, matrixBody(t,
					series{labels: map[string]string{"service": "checkout"}, points: [][2]any{{float64(now.Unix() - 2), "0.4"}, {float64(now.Unix() - 1), "0.93"}}},
				))
			})
			d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
			q := backend.DataQuery{
				RefID: "A", JSON: []byte(model), Interval: time.Second, MaxDataPoints: 43200,
				TimeRange: backend.TimeRange{From: now.Add(-tc.window), To: now},
			}
			res := queryOne(t, d, q)
			require.NoError(t, res.Error)
			got := readAsAlerting(t, res.Frames)
			require.Len(t, got, 1)
			assert.Equal(t, data.Labels{"service": "checkout"}, got[0].labels)
			require.NotNil(t, got[0].last)
			assert.Equal(t, 0.93, *got[0].last)

			sent := rec.last(t).URL.Query()
			assert.Equal(t, `max by (service) (seismo_service_anomaly_score{service="checkout"})`, sent.Get("query"))
			assert.Equal(t, tc.wantStep, sent.Get("step"))
		})
	}
}

func TestQueryDataFramesAreAlertable(t *testing.T) {
	t0 := float64(testFrom.Unix())
	u := promWith(t, &recorder{}, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON200(w, matrixBody(t,
			series{labels: map[string]string{"service": "b"}, points: [][2]any{{t0, "0.1"}, {t0 + 60, "+Inf"}}},
			series{labels: map[string]string{"service": "a"}, points: [][2]any{{t0, "0.2"}}},
		))
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
	res := queryOne(t, d, dataQuery("A", `{"queryType":"anomalyScore"}`))
	require.NoError(t, res.Error)
	readAsAlerting(t, res.Frames)
	assert.Equal(t, "a", res.Frames[0].Fields[1].Config.DisplayNameFromDS)
	assert.Equal(t, "b", res.Frames[1].Fields[1].Config.DisplayNameFromDS)
}

func TestQueryDataErrors(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		down       bool
		model      string
		settings   map[string]any
		tr         *backend.TimeRange
		wantStatus backend.Status
		wantSource backend.ErrorSource
		want       []string
		noRequest  bool
	}{
		{
			name: "Prometheus rejects the query with its message",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 400, "application/json", `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:10: parse error"}`)
			},
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want: []string{`Prometheus rejected the query (HTTP 400, bad_data): invalid parameter "query": 1:10: parse error`},
		},
		{
			name: "execution error",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 422, "application/json", `{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}`)
			},
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want: []string{"(HTTP 422, execution): many-to-many matching not allowed"},
		},
		{
			name: "Prometheus's own query timeout",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 503, "application/json", `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`)
			},
			wantStatus: backend.StatusTimeout, wantSource: backend.ErrorSourceDownstream,
			want: []string{"Prometheus gave up on the query (its own query timeout): query timed out in expression evaluation; query a shorter time range"},
		},
		{
			name: "store with a stricter point limit",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 400, "application/json", `{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}`)
			},
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want: []string{"exceeded maximum resolution", "query a shorter time range or set a larger step"},
		},
		{
			name:       "malformed JSON",
			handler:    func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, `{"status":"success","data":`) },
			wantStatus: backend.StatusBadGateway, wantSource: backend.ErrorSourceDownstream,
			want: []string{"answered HTTP 200 with application/json instead of JSON"},
		},
		{
			name: "JSON of the wrong shape",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeJSON200(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
			},
			wantStatus: backend.StatusBadGateway, wantSource: backend.ErrorSourceDownstream,
			want: []string{`the query_range data could not be read (resultType is "vector", expected matrix); is this a Prometheus-compatible API?`},
		},
		{
			name: "sample value that is not a number",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeJSON200(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"high"]]}]}}`)
			},
			wantStatus: backend.StatusBadGateway, wantSource: backend.ErrorSourceDownstream,
			want: []string{`a sample value could not be read (value "high" is not a number)`},
		},
		{
			name: "HTML error page from a proxy",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeStatus(w, 502, "text/html", "<html>upstream down</html>")
			},
			wantStatus: backend.StatusBadGateway, wantSource: backend.ErrorSourceDownstream,
			want: []string{"Prometheus at http://127.0.0.1:", "answered HTTP 502: <html>upstream down</html>"},
		},
		{
			name:       "unauthorized",
			handler:    func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, 401, "text/plain", "") },
			wantStatus: backend.StatusUnauthorized, wantSource: backend.ErrorSourceDownstream,
			want: []string{"rejected the request with HTTP 401; check prometheusAuth"},
		},
		{
			name:       "unreachable",
			down:       true,
			wantStatus: backend.StatusBadGateway, wantSource: backend.ErrorSourceDownstream,
			want: []string{"Prometheus is unreachable at http://127.0.0.1:", "connection refused"},
		},
		{
			name:       "slow Prometheus hits the configured timeout",
			handler:    func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) },
			settings:   map[string]any{"timeoutSeconds": 1},
			wantStatus: backend.StatusTimeout, wantSource: backend.ErrorSourceDownstream,
			want: []string{"did not answer within 1s; raise timeoutSeconds"},
		},
		{
			name:       "unknown query type lists the valid ones",
			model:      `{"queryType":"magic"}`,
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want:      []string{`queryType "magic" is unknown; valid query types: anomalyScore, edgeScore, forecast, incidents, rootCause, topology, signal, services`},
			noRequest: true,
		},
		{
			name:       "promql is not a query type",
			model:      `{"queryType":"promql","expr":"up"}`,
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want:      []string{"does not run arbitrary PromQL"},
			noRequest: true,
		},
		{
			name:       "fixed step over too long a range",
			model:      `{"queryType":"anomalyScore","step":"15s"}`,
			tr:         &backend.TimeRange{From: testFrom.Add(-30 * 24 * time.Hour), To: testFrom},
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want:      []string{"time range too large for step 15s: 30d needs 172802 points per series, Prometheus returns at most 11000; use a step of at least 5m or a shorter time range"},
			noRequest: true,
		},
		{
			name:       "reversed time range",
			tr:         &backend.TimeRange{From: testTo, To: testFrom},
			wantStatus: backend.StatusBadRequest, wantSource: backend.ErrorSourceDownstream,
			want:      []string{"the time range is empty or reversed"},
			noRequest: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			settings := map[string]any{}
			for k, v := range tc.settings {
				settings[k] = v
			}
			if tc.down {
				settings["prometheusUrl"] = closedURL(t)
			} else {
				h := tc.handler
				if h == nil {
					h = func(w http.ResponseWriter, _ *http.Request) { writeJSON200(w, matrixBody(t)) }
				}
				settings["prometheusUrl"] = promWith(t, &rec, h)
			}
			d, _ := testDS(t, settings, nil)
			model := tc.model
			if model == "" {
				model = `{"queryType":"anomalyScore","service":"cart"}`
			}
			q := dataQuery("A", model)
			if tc.tr != nil {
				q.TimeRange = *tc.tr
			}
			res := queryOne(t, d, q)
			require.Error(t, res.Error)
			assert.Empty(t, res.Frames)
			assert.Equal(t, tc.wantStatus, res.Status)
			assert.Equal(t, tc.wantSource, res.ErrorSource)
			for _, w := range tc.want {
				assert.Contains(t, res.Error.Error(), w)
			}
			if tc.noRequest {
				assert.Empty(t, rec.all(), "an invalid query must not reach Prometheus")
			}
		})
	}
}

func TestQueryDataOneBadQueryAmongGood(t *testing.T) {
	t0 := float64(testFrom.Unix())
	u := promWith(t, &recorder{}, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Query().Get("query"), `"broken"`) {
			writeStatus(w, 422, "application/json", `{"status":"error","errorType":"execution","error":"out of memory"}`)
			return
		}
		writeJSON200(w, matrixBody(t, series{labels: map[string]string{"service": "cart"}, points: [][2]any{{t0, "0.1"}}}))
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("good1", `{"queryType":"anomalyScore","service":"cart"}`),
		dataQuery("unknown", `{"queryType":"nope"}`),
		dataQuery("no sidecar", `{"queryType":"topology"}`),
		dataQuery("upstream", `{"queryType":"anomalyScore","service":"broken"}`),
		dataQuery("malformed", `{"queryType":`),
		dataQuery("good2", `{"queryType":"edgeScore"}`),
	}}
	resp, err := d.QueryData(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, resp.Responses, 6)

	for _, ok := range []string{"good1", "good2"} {
		assert.NoError(t, resp.Responses[ok].Error, ok)
		assert.NotEmpty(t, resp.Responses[ok].Frames, ok)
	}
	wants := map[string]string{
		"unknown":    `queryType "nope" is unknown`,
		"no sidecar": "the service topology comes from the Seismo sidecar, and this datasource has no sidecar URL",
		"upstream":   "out of memory",
		"malformed":  "query JSON could not be read",
	}
	for ref, w := range wants {
		assert.Empty(t, resp.Responses[ref].Frames, ref)
		require.Error(t, resp.Responses[ref].Error, ref)
		assert.Contains(t, resp.Responses[ref].Error.Error(), w, ref)
	}
}

func TestQueryDataBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	u := promWith(t, &recorder{}, func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
		inFlight.Add(-1)
		writeJSON200(w, matrixBody(t))
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)
	var queries []backend.DataQuery
	for i := range 12 {
		queries = append(queries, dataQuery(fmt.Sprintf("Q%d", i), `{"queryType":"anomalyScore"}`))
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: queries})
	require.NoError(t, err)
	require.Len(t, resp.Responses, 12)
	for ref, r := range resp.Responses {
		assert.NoError(t, r.Error, ref)
	}
	assert.LessOrEqual(t, peak.Load(), int32(maxConcurrentQueries))
	assert.Greater(t, peak.Load(), int32(1), "queries should run concurrently")
}

func TestQueryDataHonoursCancellation(t *testing.T) {
	started := make(chan struct{}, 16)
	release := make(chan struct{})
	defer close(release)
	u := promWith(t, &recorder{}, func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil)

	ctx, cancel := context.WithCancel(context.Background())
	var queries []backend.DataQuery
	// More queries than the concurrency bound, so some are still waiting for
	// a slot when the request is cancelled.
	for i := range maxConcurrentQueries + 3 {
		queries = append(queries, dataQuery(fmt.Sprintf("Q%d", i), `{"queryType":"anomalyScore"}`))
	}
	var (
		resp *backend.QueryDataResponse
		err  error
		wg   sync.WaitGroup
	)
	wg.Go(func() { resp, err = d.QueryData(ctx, &backend.QueryDataRequest{Queries: queries}) })
	<-started
	cancel()
	start := time.Now()
	wg.Wait()
	assert.Less(t, time.Since(start), 2*time.Second, "QueryData must return promptly once cancelled")
	require.NoError(t, err)
	require.Len(t, resp.Responses, len(queries))
	for ref, r := range resp.Responses {
		require.Error(t, r.Error, ref)
		assert.Contains(t, r.Error.Error(), "cancelled", ref)
	}
}

func TestQueryDataDeadlineFromGrafana(t *testing.T) {
	u := promWith(t, &recorder{}, func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) })
	d, _ := testDS(t, map[string]any{"prometheusUrl": u}, nil) // default 30s timeout
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", `{"queryType":"anomalyScore"}`)}})
	require.NoError(t, err)
	r := resp.Responses["A"]
	require.Error(t, r.Error)
	assert.Equal(t, backend.StatusTimeout, r.Status)
	assert.Contains(t, r.Error.Error(), "did not answer within")
}

func TestQueryDataInvalidSettings(t *testing.T) {
	d, _ := testDS(t, map[string]any{"prometheusUrl": "prometheus:9090"}, nil)
	res := queryOne(t, d, dataQuery("A", `{"queryType":"anomalyScore"}`))
	require.Error(t, res.Error)
	assert.Contains(t, res.Error.Error(), `prometheusUrl: "prometheus:9090" is not an absolute http(s) URL`)
}

func TestResolveRange(t *testing.T) {
	from := time.Unix(1000, 0)
	tests := []struct {
		name      string
		span      time.Duration
		interval  time.Duration
		maxPoints int64
		fixed     time.Duration
		wantStep  time.Duration
		wantStart int64
	}{
		{name: "interval wins when small ranges", span: 10 * time.Minute, interval: 15 * time.Second, maxPoints: 1000, wantStep: 15 * time.Second, wantStart: 990},
		{name: "max data points coarsen the step", span: 24 * time.Hour, interval: time.Second, maxPoints: 100, wantStep: 865 * time.Second, wantStart: 865},
		{name: "sub-second interval rounds to one second", span: time.Minute, interval: 10 * time.Millisecond, maxPoints: 1000, wantStep: time.Second, wantStart: 1000},
		{name: "no max data points still respects Prometheus's limit", span: 7 * 24 * time.Hour, interval: time.Second, wantStep: 55 * time.Second, wantStart: 990},
		{name: "fixed step is used as given", span: time.Hour, interval: time.Second, maxPoints: 10, fixed: time.Minute, wantStep: time.Minute, wantStart: 960},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, end, step, err := resolveRange(backend.TimeRange{From: from, To: from.Add(tc.span)}, tc.interval, tc.maxPoints, tc.fixed)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStep, step)
			assert.Equal(t, tc.wantStart, start.Unix())
			assert.Equal(t, from.Add(tc.span).Unix(), end.Unix())
			assert.LessOrEqual(t, int64(end.Sub(start)/step)+1, int64(maxPointsPerSeries))
		})
	}
}

func TestSelectorEscapesLiterals(t *testing.T) {
	assert.Equal(t, `m{service="a\"b\\c"}`, selector("m", "service", `a"b\c`))
	assert.Equal(t, `m{server="x"}`, selector("m", "client", "", "server", "x"))
	assert.Equal(t, "m", selector("m", "service", ""))
	// A value that looks like a matcher stays inside the string literal.
	got := selector("m", "service", `x"} or vector(1) or m{service="`)
	assert.Equal(t, `m{service="x\"} or vector(1) or m{service=\""}`, got)
	var decoded string
	require.NoError(t, json.Unmarshal([]byte(got[len(`m{service=`):len(got)-1]), &decoded))
	assert.Equal(t, `x"} or vector(1) or m{service="`, decoded)
}
