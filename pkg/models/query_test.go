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

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		queryType string // backend.DataQuery.QueryType
		want      *ParsedQuery
		wantErr   string
		notImpl   bool
	}{
		{
			name: "anomaly score for one service",
			json: `{"refId":"A","queryType":"anomalyScore","service":"checkout","intervalMs":1000,"maxDataPoints":43200}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore, Service: "checkout"}},
		},
		{
			name: "anomaly score for all services",
			json: `{"queryType":"anomalyScore"}`,
			want: &ParsedQuery{Query: Query{QueryType: QueryTypeAnomalyScore}},
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
		{name: "missing queryType", json: `{}`, wantErr: "queryType is missing; valid query types: anomalyScore, edgeScore"},
		{name: "unknown queryType", json: `{"queryType":"magic"}`, wantErr: `queryType "magic" is unknown; valid query types: anomalyScore, edgeScore`},
		{name: "promql passthrough refused", json: `{"queryType":"promql","expr":"up"}`, wantErr: "does not run arbitrary PromQL"},
		{name: "forecast not yet", json: `{"queryType":"forecast"}`, wantErr: `queryType "forecast" is not available in this version of the backend yet; valid query types: anomalyScore, edgeScore`, notImpl: true},
		{name: "incidents not yet", json: `{"queryType":"incidents"}`, wantErr: "not available", notImpl: true},
		{name: "rootCause not yet", json: `{"queryType":"rootCause"}`, wantErr: "not available", notImpl: true},
		{name: "topology not yet", json: `{"queryType":"topology"}`, wantErr: "not available", notImpl: true},
		{name: "signal not yet", json: `{"queryType":"signal"}`, wantErr: "not available", notImpl: true},
		{name: "services not yet", json: `{"queryType":"services"}`, wantErr: "not available", notImpl: true},
		{name: "malformed JSON", json: `{"queryType":`, wantErr: "query JSON could not be read"},
		{name: "wrong field type", json: `{"queryType":"anomalyScore","service":42}`, wantErr: "query JSON could not be read"},
		{name: "bad step", json: `{"queryType":"anomalyScore","step":"fast"}`, wantErr: `step "fast" is not a duration`},
		{name: "zero step", json: `{"queryType":"anomalyScore","step":"0s"}`, wantErr: `step "0s" is not a duration`},
		{name: "uninterpolated variable", json: `{"queryType":"anomalyScore","service":"$service"}`, wantErr: "uninterpolated template variable"},
		{name: "control characters", json: `{"queryType":"edgeScore","client":"a\nb"}`, wantErr: "client contains control characters"},
		{name: "padded name", json: `{"queryType":"edgeScore","server":" cart"}`, wantErr: "server \" cart\" has leading or trailing spaces"},
		{name: "overlong name", json: `{"queryType":"anomalyScore","service":"` + strings.Repeat("x", MaxLabelValueLength+1) + `"}`, wantErr: "longer than 256"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuery(backend.DataQuery{RefID: "A", QueryType: tc.queryType, JSON: []byte(tc.json)})
			if tc.wantErr != "" {
				require.Error(t, err)
				var qe *QueryError
				require.True(t, errors.As(err, &qe))
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Equal(t, tc.notImpl, qe.NotImplemented)
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
			Status string   `json:"status"`
			Fields []string `json:"fields"`
		} `json:"queryTypes"`
	}
	require.NoError(t, json.Unmarshal(raw, &contract))

	var implemented, reserved []string
	fields := map[string]bool{}
	for _, f := range contract.CommonFields {
		fields[f] = true
	}
	for name, qt := range contract.QueryTypes {
		switch qt.Status {
		case "implemented":
			implemented = append(implemented, name)
		case "reserved":
			reserved = append(reserved, name)
		default:
			t.Fatalf("query type %s has unknown status %q", name, qt.Status)
		}
		for _, f := range qt.Fields {
			fields[f] = true
		}
	}

	assert.ElementsMatch(t, implemented, typeNames(ImplementedQueryTypes()))
	assert.ElementsMatch(t, reserved, typeNames(ReservedQueryTypes()))

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

	// Every implemented type must parse with exactly its contract fields.
	for _, name := range implemented {
		m := map[string]string{"queryType": name}
		for _, f := range contract.QueryTypes[name].Fields {
			m[f] = "x"
		}
		b, _ := json.Marshal(m)
		_, err := ParseQuery(backend.DataQuery{JSON: b})
		assert.NoError(t, err, name)
	}
}

func typeNames(ts []QueryType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}
