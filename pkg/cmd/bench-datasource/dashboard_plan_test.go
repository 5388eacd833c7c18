package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readDashboard(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "dashboards", name))
	require.NoError(t, err)
	return raw
}

func kinds(plan dashboardPlan) []string {
	var out []string
	for _, r := range plan.Requests {
		out = append(out, requestKind(r))
	}
	return out
}

func TestPlanOfTheShippedDashboards(t *testing.T) {
	overview, err := planDashboard(readDashboard(t, "seismo-overview.json"), nil, 1920)
	require.NoError(t, err)
	assert.Equal(t, "Seismo / Overview", overview.Title)
	assert.Equal(t, time.Hour, overview.Span)
	// The Prometheus panels (stats, bar gauge, tables) are not Seismo's.
	assert.Equal(t, []string{"incidents/timeline", "topology", "anomalyScore", "incidents/list", "rootCause",
		"incidents/tolerated", "incidents/annotations"}, kinds(overview))
	// A half-width panel on a 1920-px dashboard is 960 px wide.
	assert.Equal(t, int64(960), overview.Requests[0].MaxDataPoints)
	assert.Equal(t, int64(1920), overview.Requests[6].MaxDataPoints)

	service, err := planDashboard(readDashboard(t, "seismo-service.json"), map[string]string{"service": "frontend"}, 1920)
	require.NoError(t, err)
	assert.Equal(t, 3*time.Hour, service.Span)
	assert.Equal(t, []string{"anomalyScore", "forecast", "forecast", "signal", "signal", "signal", "edgeScore",
		"topology", "incidents/annotations"}, kinds(service))
	// The mixed panel sends only its Seismo target; the edges panel sends both of its targets.
	assert.Len(t, service.Requests[0].Queries, 1)
	assert.Len(t, service.Requests[6].Queries, 2)
	var model map[string]any
	require.NoError(t, json.Unmarshal(service.Requests[7].Queries[0].Model, &model))
	assert.Equal(t, "frontend", model["service"], "$service is substituted")
	assert.Equal(t, 1.0, model["hops"])
	assert.Equal(t, "A", service.Requests[7].Queries[0].RefID)
}

func TestPlanRefusesWhatItCannotReproduce(t *testing.T) {
	_, err := planDashboard(readDashboard(t, "seismo-service.json"), nil, 1920)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "uses the variable $service; give its value with -var service=<value>")

	_, err = planDashboard([]byte(`{"title":"x","time":{"from":"2026-01-01","to":"now"}}`), nil, 1920)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not now-<duration> to now")

	_, err = planDashboard([]byte(`{"title":"x","time":{"from":"now-1h","to":"now"},"panels":[
		{"title":"p","datasource":{"type":"prometheus"},"targets":[{"refId":"A","expr":"up"}]}]}`), nil, 1920)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no seismo-anomaly-datasource queries")
}

func TestPlanWalksCollapsedRowsAndBracedVariables(t *testing.T) {
	plan, err := planDashboard([]byte(`{"title":"x","time":{"from":"now-6h","to":"now"},"panels":[
		{"type":"row","title":"r","panels":[
			{"title":"p","gridPos":{"w":6},"datasource":{"type":"seismo-anomaly-datasource"},
			 "targets":[{"refId":"A","queryType":"forecast","service":"${svc}"}]}]}]}`), map[string]string{"svc": "cart"}, 1200)
	require.NoError(t, err)
	require.Len(t, plan.Requests, 1)
	assert.Equal(t, int64(300), plan.Requests[0].MaxDataPoints)
	assert.JSONEq(t, `{"refId":"A","queryType":"forecast","service":"cart"}`, string(plan.Requests[0].Queries[0].Model))
}
