package models

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func intPtr(i int) *int { return &i }

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		queryType string // backend.DataQuery.QueryType
		want      *ParsedQuery
		wantErr   string
	}{
		{
			name: "anomaly score for one service",
			json: `{"refId":"A","queryType":"anomalyScore","service":"checkout","intervalMs":1000,"maxDataPoints":43200}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Service: "checkout"}},
		},
		{
			name: "anomaly score for all services with contributions",
			json: `{"queryType":"anomalyScore","contributions":true}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Contributions: true}},
		},
		{
			name:      "queryType from the DataQuery when the model lacks it",
			json:      `{"service":"cart"}`,
			queryType: "anomalyScore",
			want:      &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Service: "cart"}},
		},
		{
			name: "edge score with a fixed step",
			json: `{"queryType":"edgeScore","client":"frontend","server":"cart","step":"1m"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeEdgeScore, Client: "frontend", Server: "cart", Step: "1m"}, FixedStep: time.Minute},
		},
		{
			name: "Prometheus-style day step",
			json: `{"queryType":"anomalyScore","step":"1d"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Step: "1d"}, FixedStep: 24 * time.Hour},
		},
		{
			name: "label values with quotes are taken literally",
			json: `{"queryType":"anomalyScore","service":"we\"ird\\name"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Service: `we"ird\name`}},
		},
		{
			name: "forecast defaults to service scope and latency_p95",
			json: `{"queryType":"forecast","service":"checkout"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeForecast, Scope: ScopeService, Service: "checkout", Signal: "latency_p95"}},
		},
		{
			name: "edge forecast of one quantity",
			json: `{"queryType":"forecast","scope":"edge","client":"frontend","server":"cart","signal":"error_ratio","quantity":"anomalous"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeForecast, Scope: ScopeEdge, Client: "frontend", Server: "cart", Signal: "error_ratio", Quantity: QuantityAnomalous}},
		},
		{
			name: "incidents default to the timeline",
			json: `{"queryType":"incidents"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeIncidents, IncidentView: IncidentViewTimeline}},
		},
		{
			name: "incident annotations",
			json: `{"queryType":"incidents","incidentView":"annotations"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeIncidents, IncidentView: IncidentViewAnnotations}},
		},
		{
			name: "root cause of one incident",
			json: `{"queryType":"rootCause","incidentId":"inc-1700000450"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeRootCause, IncidentID: "inc-1700000450"}},
		},
		{
			name: "topology focus with hops",
			json: `{"queryType":"topology","service":"cart","hops":2}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeTopology, Service: "cart", Hops: intPtr(2)}},
		},
		{
			name: "topology anomalous only with zero hops",
			json: `{"queryType":"topology","anomalousOnly":true,"hops":0}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeTopology, AnomalousOnly: true, Hops: intPtr(0)}},
		},
		{
			name: "topology with null hops is the whole graph",
			json: `{"queryType":"topology","hops":null}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeTopology}},
		},
		{
			name: "signal of a service",
			json: `{"queryType":"signal","service":"cart","signal":"cpu_usage"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeSignal, Scope: ScopeService, Service: "cart", Signal: "cpu_usage"}},
		},
		{
			name: "services default to service scope",
			json: `{"queryType":"services"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeServices, Scope: ScopeService}},
		},
		{name: "missing queryType", json: `{}`, wantErr: "queryType is missing; valid query types: anomalyScore, edgeScore, forecast, incidents, rootCause, topology, signal, services"},
		{name: "unknown queryType", json: `{"queryType":"magic"}`, wantErr: `queryType "magic" is unknown; valid query types: anomalyScore, edgeScore, forecast`},
		{name: "promql passthrough refused", json: `{"queryType":"promql","expr":"up"}`, wantErr: "does not run arbitrary PromQL"},
		{name: "malformed JSON", json: `{"queryType":`, wantErr: "query JSON could not be read"},
		{name: "wrong field type", json: `{"queryType":"anomalyScore","service":42}`, wantErr: "query JSON could not be read"},
		{name: "hops as text", json: `{"queryType":"topology","service":"a","hops":"2"}`, wantErr: "query JSON could not be read"},
		{name: "bad step", json: `{"queryType":"anomalyScore","step":"fast"}`, wantErr: `step "fast" is not a duration`},
		{name: "zero step", json: `{"queryType":"anomalyScore","step":"0s"}`, wantErr: `step "0s" is not a duration`},
		{name: "uninterpolated variable", json: `{"queryType":"anomalyScore","service":"$service"}`, wantErr: "uninterpolated template variable"},
		{name: "control characters", json: `{"queryType":"edgeScore","client":"a\nb"}`, wantErr: "client contains control characters"},
		{name: "padded name", json: `{"queryType":"edgeScore","server":" cart"}`, wantErr: "server \" cart\" has leading or trailing spaces"},
		{name: "overlong name", json: `{"queryType":"anomalyScore","service":"` + strings.Repeat("x", MaxLabelValueLength+1) + `"}`, wantErr: "longer than 256"},
		{name: "forecast without a target", json: `{"queryType":"forecast"}`, wantErr: `forecast with scope service needs a service`},
		{name: "edge forecast with one end", json: `{"queryType":"forecast","scope":"edge","client":"a"}`, wantErr: "forecast with scope edge needs both client and server"},
		{name: "forecast of an unknown signal", json: `{"queryType":"forecast","service":"a","signal":"latency"}`, wantErr: `signal "latency" is not a canonical service signal; use one of request_rate, error_ratio, latency_p50`},
		{name: "edge signal that only services have", json: `{"queryType":"forecast","scope":"edge","client":"a","server":"b","signal":"cpu_usage"}`, wantErr: "use one of request_rate, error_ratio, latency_p95"},
		{name: "forecast quantity unknown", json: `{"queryType":"forecast","service":"a","quantity":"band"}`, wantErr: `quantity "band" is unknown`},
		{name: "unknown scope", json: `{"queryType":"services","scope":"pod"}`, wantErr: `scope "pod" is unknown; use service or edge`},
		{name: "signal without a signal", json: `{"queryType":"signal","service":"a"}`, wantErr: "signal is missing; use one of request_rate"},
		{name: "signal variable left in", json: `{"queryType":"signal","service":"$svc","signal":"cpu_usage"}`, wantErr: "uninterpolated template variable"},
		{name: "unknown incident view", json: `{"queryType":"incidents","incidentView":"graph"}`, wantErr: `incidentView "graph" is unknown`},
		{name: "incident id with a variable", json: `{"queryType":"rootCause","incidentId":"${incident}"}`, wantErr: "incidentId \"${incident}\" looks like an uninterpolated template variable"},
		{name: "hops out of range", json: `{"queryType":"topology","service":"a","hops":11}`, wantErr: "hops 11 is out of range; use 0 to 10"},
		{name: "negative hops", json: `{"queryType":"topology","service":"a","hops":-1}`, wantErr: "hops -1 is out of range"},
		{name: "hops without a focus", json: `{"queryType":"topology","hops":2}`, wantErr: "hops counts from a focus service or from the anomalous nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuery(backend.DataQuery{RefID: "A", QueryType: tc.queryType, JSON: []byte(tc.json)})
			if tc.wantErr != "" {
				require.Error(t, err)
				var qe *QueryError
				require.True(t, errors.As(err, &qe))
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestQueryModelContract fails when the Go query model drifts from the shared
// contract file that the TypeScript side checks as well.
func TestQueryModelContract(t *testing.T) {
	raw, err := os.ReadFile("testdata/query_contract.json")
	require.NoError(t, err)
	var contract struct {
		CommonFields []string `json:"commonFields"`
		QueryTypes   map[string]struct {
			Fields []string        `json:"fields"`
			Valid  json.RawMessage `json:"valid"`
		} `json:"queryTypes"`
		Enums map[string][]string `json:"enums"`
	}
	require.NoError(t, json.Unmarshal(raw, &contract))

	var types []string
	fields := map[string]bool{}
	for _, f := range contract.CommonFields {
		fields[f] = true
	}
	for name, qt := range contract.QueryTypes {
		types = append(types, name)
		for _, f := range qt.Fields {
			fields[f] = true
		}
	}
	assert.ElementsMatch(t, types, typeNames(QueryTypes()))

	var goFields []string
	rt := reflect.TypeFor[Query]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		goFields = append(goFields, name)
	}
	var contractFields []string
	for f := range fields {
		contractFields = append(contractFields, f)
	}
	sort.Strings(contractFields)
	assert.ElementsMatch(t, contractFields, goFields)

	assert.Equal(t, contract.Enums["scope"], stringsOf(Scopes()))
	assert.Equal(t, contract.Enums["incidentView"], stringsOf(IncidentViews()))
	assert.Equal(t, contract.Enums["quantity"], stringsOf(ForecastQuantities()))

	for name, qt := range contract.QueryTypes {
		// The example query of each type parses, uses only the type's own
		// fields, and keeps every value it set.
		_, err := ParseQuery(backend.DataQuery{JSON: qt.Valid})
		assert.NoError(t, err, name)
		var example map[string]any
		require.NoError(t, json.Unmarshal(qt.Valid, &example))
		allowed := append(append([]string{}, contract.CommonFields...), qt.Fields...)
		for key := range example {
			assert.Contains(t, allowed, key, "%s example sets %s, which the type does not read", name, key)
		}
	}
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// TestCanonicalSignalsMatchTheSidecar compares the Go signal table with the
// JSON file that the datasource's Jest test compares with the sidecar's own
// table; together they keep all three equal.
func TestCanonicalSignalsMatchTheSidecar(t *testing.T) {
	raw, err := os.ReadFile("testdata/canonical_signals.json")
	require.NoError(t, err)
	var file struct {
		Signals map[Scope][]SignalSpec `json:"signals"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.Len(t, file.Signals, 2)
	for _, scope := range Scopes() {
		want := file.Signals[scope]
		for i := range want {
			want[i].Scope = scope
		}
		assert.Equal(t, want, CanonicalSignals(scope), scope)
	}
	assert.Empty(t, CanonicalSignals("pod"))

	s, ok := LookupSignal(ScopeEdge, "latency_p95")
	require.True(t, ok)
	assert.Equal(t, "s", s.GrafanaUnit)
	_, ok = LookupSignal(ScopeEdge, "cpu_usage")
	assert.False(t, ok, "cpu_usage is a service signal only")

	// Callers get copies: changing one cannot change the table.
	CanonicalSignals(ScopeService)[0].Name = "changed"
	assert.Equal(t, "request_rate", CanonicalSignals(ScopeService)[0].Name)
}

func typeNames(ts []QueryType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}
