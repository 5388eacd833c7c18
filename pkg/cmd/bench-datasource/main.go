// Command bench-datasource measures how long the Seismo datasource's
// QueryData takes for the queries of real dashboards against a running
// Prometheus and sidecar: each dashboard load sends its panels' requests at
// once, as Grafana does, and is timed until the last answer is encoded for
// Grafana (Arrow). It prints progress on stderr and one JSON line on stdout.
//
//	SEISMO_SIDECAR_TOKEN=... go run ./pkg/cmd/bench-datasource \
//	  -prometheus-url http://127.0.0.1:9090 -sidecar-url http://127.0.0.1:8080 \
//	  -dashboard dashboards/seismo-overview.json -dashboard dashboards/seismo-service.json \
//	  -var service=frontend -runs 100
//
// npm run bench:datasource starts the demo stack and runs it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/prometheus/common/model"

	"github.com/seismo/seismo/pkg/plugin"
)

// sidecarTokenEnv holds the sidecar's API token; a flag would show it in
// the process list.
const sidecarTokenEnv = "SEISMO_SIDECAR_TOKEN"

type options struct {
	prometheusURL, sidecarURL string
	dashboards                []string
	vars                      map[string]string
	runs, warmup, widthPx     int
}

func main() {
	if err := run(os.Args[1:], os.Getenv(sidecarTokenEnv), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench-datasource:", err)
		os.Exit(1)
	}
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	o := options{vars: map[string]string{}}
	fs := flag.NewFlagSet("bench-datasource", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.prometheusURL, "prometheus-url", "", "base URL of the Prometheus that scrapes the sidecar")
	fs.StringVar(&o.sidecarURL, "sidecar-url", "", "base URL of the sidecar (its token in $"+sidecarTokenEnv+")")
	fs.Func("dashboard", "dashboard JSON whose Seismo queries are measured (repeatable)", func(v string) error {
		o.dashboards = append(o.dashboards, v)
		return nil
	})
	fs.Func("var", "a template variable's value, name=value (repeatable)", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return fmt.Errorf("%q is not name=value", v)
		}
		o.vars[name] = value
		return nil
	})
	fs.IntVar(&o.runs, "runs", 100, "measured loads of each dashboard")
	fs.IntVar(&o.warmup, "warmup", 3, "loads of each dashboard before measuring (connections, caches)")
	fs.IntVar(&o.widthPx, "width", 1920, "dashboard width in pixels; a panel's max data points is its share of it")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.prometheusURL == "" || o.sidecarURL == "":
		return o, errors.New("-prometheus-url and -sidecar-url are required")
	case len(o.dashboards) == 0:
		return o, errors.New("name at least one -dashboard")
	case o.runs < 1 || o.warmup < 0 || o.widthPx < gridColumns:
		return o, errors.New("-runs must be at least 1, -warmup at least 0 and -width at least 24")
	}
	return o, nil
}

// result is the JSON line the benchmark prints.
type result struct {
	Benchmark  string                    `json:"benchmark"`
	Runs       int                       `json:"runs"`
	Dashboards []dashboardResult         `json:"dashboards"`
	Queries    map[string]latencySummary `json:"queries"`
	Errors     int                       `json:"errors"`
	// FirstError is the first failed query's message, for the log.
	FirstError string `json:"first_error,omitempty"`
}

type dashboardResult struct {
	Dashboard string `json:"dashboard"`
	Range     string `json:"range"`
	Requests  int    `json:"requests"`
	Queries   int    `json:"queries"`
	latencySummary
}

func run(args []string, token string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	var plans []dashboardPlan
	for _, file := range o.dashboards {
		raw, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		plan, err := planDashboard(raw, o.vars, o.widthPx)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		plans = append(plans, plan)
	}
	settings, err := json.Marshal(map[string]any{"prometheusUrl": o.prometheusURL, "sidecarUrl": o.sidecarURL})
	if err != nil {
		return err
	}
	// The SDK's default logger writes debug lines to stderr; the benchmark
	// only wants warnings (a failing query logs one).
	log.DefaultLogger = log.NewWithLevel(log.Warn)
	instance, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		Name: "Seismo", JSONData: settings, DecryptedSecureJSONData: map[string]string{"sidecarToken": token},
	})
	if err != nil {
		return err
	}
	if d, ok := instance.(instancemgmt.InstanceDisposer); ok {
		defer d.Dispose()
	}
	ds, ok := instance.(backend.QueryDataHandler)
	if !ok {
		return errors.New("the datasource instance does not answer queries")
	}

	r := &recorder{byKind: map[string][]time.Duration{}}
	loads := make([][]time.Duration, len(plans))
	for i := range o.warmup + o.runs {
		measured := i >= o.warmup
		for p, plan := range plans {
			elapsed := loadDashboard(ds, plan, r, measured)
			if measured {
				loads[p] = append(loads[p], elapsed)
			}
		}
		if measured && (i-o.warmup+1)%25 == 0 {
			fmt.Fprintf(stderr, "bench-datasource: %d of %d loads of each dashboard\n", i-o.warmup+1, o.runs)
		}
	}

	out := result{Benchmark: "datasource-querydata", Runs: o.runs, Queries: map[string]latencySummary{}, Errors: r.errors, FirstError: r.firstError}
	for p, plan := range plans {
		queries := 0
		for _, req := range plan.Requests {
			queries += len(req.Queries)
		}
		out.Dashboards = append(out.Dashboards, dashboardResult{
			Dashboard: plan.Title, Range: model.Duration(plan.Span).String(), Requests: len(plan.Requests), Queries: queries,
			latencySummary: summarise(loads[p]),
		})
	}
	for kind, samples := range r.byKind {
		out.Queries[kind] = summarise(samples)
	}
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(line))
	if out.Errors > 0 {
		return fmt.Errorf("%d queries failed, the first with: %s", out.Errors, out.FirstError)
	}
	return nil
}

// recorder collects per-request latencies by kind and failed queries.
type recorder struct {
	mu         sync.Mutex
	byKind     map[string][]time.Duration
	errors     int
	firstError string
}

func (r *recorder) add(kind string, d time.Duration, failures []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byKind[kind] = append(r.byKind[kind], d)
	r.errors += len(failures)
	if r.firstError == "" && len(failures) > 0 {
		r.firstError = failures[0]
	}
}

// loadDashboard sends every request of a dashboard at once and returns the
// time until the last one's frames are encoded.
func loadDashboard(ds backend.QueryDataHandler, plan dashboardPlan, r *recorder, measured bool) time.Duration {
	now := time.Now()
	timeRange := backend.TimeRange{From: now.Add(-plan.Span), To: now}
	start := time.Now()
	var wg sync.WaitGroup
	for _, req := range plan.Requests {
		wg.Go(func() {
			began := time.Now()
			failures := sendRequest(ds, req, timeRange)
			if measured {
				r.add(requestKind(req), time.Since(began), failures)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// sendRequest runs one panel's request and encodes its frames as the SDK
// does for Grafana; it returns the messages of failed queries.
func sendRequest(ds backend.QueryDataHandler, req panelRequest, timeRange backend.TimeRange) []string {
	span := timeRange.To.Sub(timeRange.From)
	interval := (span/time.Duration(req.MaxDataPoints) + time.Second - 1).Truncate(time.Second)
	queries := make([]backend.DataQuery, len(req.Queries))
	for i, q := range req.Queries {
		queries[i] = backend.DataQuery{
			RefID: q.RefID, QueryType: q.QueryType, JSON: q.Model, TimeRange: timeRange,
			Interval: interval, MaxDataPoints: req.MaxDataPoints,
		}
	}
	resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: queries})
	if err != nil {
		return []string{err.Error()}
	}
	var failures []string
	for _, q := range req.Queries {
		res, ok := resp.Responses[q.RefID]
		switch {
		case !ok:
			failures = append(failures, fmt.Sprintf("%s (%s): no answer", req.Panel, q.RefID))
		case res.Error != nil:
			failures = append(failures, fmt.Sprintf("%s (%s): %v", req.Panel, q.RefID, res.Error))
		default:
			if _, err := res.Frames.MarshalArrow(); err != nil {
				failures = append(failures, fmt.Sprintf("%s (%s): Arrow: %v", req.Panel, q.RefID, err))
			}
		}
	}
	return failures
}

// requestKind names a request by the kinds of its queries.
func requestKind(req panelRequest) string {
	var kinds []string
	for _, q := range req.Queries {
		if !slices.Contains(kinds, q.Kind) {
			kinds = append(kinds, q.Kind)
		}
	}
	return strings.Join(kinds, "+")
}
