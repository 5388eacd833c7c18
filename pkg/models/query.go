package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/model"
)

// QueryType selects what a query reads. Every query is self-contained: alert
// rules are evaluated in the backend without frontend interpolation, so the
// model carries literal values only.
type QueryType string

const (
	QueryTypeAnomalyScore QueryType = "anomalyScore"
	QueryTypeEdgeScore    QueryType = "edgeScore"
	QueryTypeForecast     QueryType = "forecast"
	QueryTypeIncidents    QueryType = "incidents"
	QueryTypeRootCause    QueryType = "rootCause"
	QueryTypeTopology     QueryType = "topology"
	QueryTypeSignal       QueryType = "signal"
	QueryTypeServices     QueryType = "services"
)

// QueryTypes lists every type this backend answers, in the order shown to users.
func QueryTypes() []QueryType {
	return []QueryType{
		QueryTypeAnomalyScore, QueryTypeEdgeScore, QueryTypeForecast, QueryTypeIncidents,
		QueryTypeRootCause, QueryTypeTopology, QueryTypeSignal, QueryTypeServices,
	}
}

// IncidentView selects what an incidents query returns.
type IncidentView string

const (
	IncidentViewTimeline    IncidentView = "timeline"
	IncidentViewList        IncidentView = "list"
	IncidentViewTolerated   IncidentView = "tolerated"
	IncidentViewAnnotations IncidentView = "annotations"
)

// IncidentViews lists the views, the default first.
func IncidentViews() []IncidentView {
	return []IncidentView{IncidentViewTimeline, IncidentViewList, IncidentViewTolerated, IncidentViewAnnotations}
}

// ForecastQuantity names one of the five series of a forecast.
type ForecastQuantity string

const (
	QuantityActual    ForecastQuantity = "actual"
	QuantityYhat      ForecastQuantity = "yhat"
	QuantityLower     ForecastQuantity = "lower"
	QuantityUpper     ForecastQuantity = "upper"
	QuantityAnomalous ForecastQuantity = "anomalous"
)

// ForecastQuantities lists the quantities in frame order.
func ForecastQuantities() []ForecastQuantity {
	return []ForecastQuantity{QuantityActual, QuantityYhat, QuantityLower, QuantityUpper, QuantityAnomalous}
}

// Scopes lists the scopes, the default first.
func Scopes() []Scope { return []Scope{ScopeService, ScopeEdge} }

// MaxLabelValueLength bounds label values taken from queries; real service
// names are far shorter and the bound keeps PromQL small.
const MaxLabelValueLength = 256

// MaxHops bounds the topology neighbourhood, as the sidecar does.
const MaxHops = 10

// Query is the JSON model of one query. Fields Grafana adds itself (refId,
// datasource, intervalMs, maxDataPoints, hide) are read from
// backend.DataQuery instead. Which type reads which field is listed in
// testdata/query_contract.json, which the TypeScript side checks as well.
type Query struct {
	QueryType QueryType `json:"queryType"`
	// Step fixes the resolution as a Prometheus duration ("30s", "5m");
	// empty lets the backend derive it from the interval and max data points.
	Step string `json:"step,omitempty"`
	// Service: the service of anomalyScore (empty: all), of a service-scope
	// forecast or signal (required), the focus of topology, or the one row
	// of a root-cause ranking to keep.
	Service string `json:"service,omitempty"`
	// Client and Server are the ends of a call edge: either may be empty for
	// edgeScore (any), both are required for edge-scope forecast and signal.
	Client string `json:"client,omitempty"`
	Server string `json:"server,omitempty"`
	// Scope of forecast, signal and services: service (default) or edge.
	Scope Scope `json:"scope,omitempty"`
	// Signal is a canonical signal name; forecast defaults to latency_p95.
	Signal string `json:"signal,omitempty"`
	// Quantity keeps one of the five forecast series; alert rules need it
	// because Grafana cannot pick one series out of a query's result.
	Quantity ForecastQuantity `json:"quantity,omitempty"`
	// Contributions adds the per-signal contribution series to anomalyScore.
	Contributions bool `json:"contributions,omitempty"`
	// IncidentView selects the incidents view; timeline by default.
	IncidentView IncidentView `json:"incidentView,omitempty"`
	// IncidentID selects one incident (rootCause, incidents timeline).
	IncidentID string `json:"incidentId,omitempty"`
	// Hops keeps topology nodes within this many hops of the focus service
	// or of the anomalous nodes; nil means the whole graph.
	Hops *int `json:"hops,omitempty"`
	// AnomalousOnly keeps anomalous nodes and their neighbours.
	AnomalousOnly bool `json:"anomalousOnly,omitempty"`
}

// QueryError is a problem with the query itself; the user fixes it in the
// query editor or the alert rule.
type QueryError struct {
	Message string
}

func (e *QueryError) Error() string { return e.Message }

func queryErrorf(format string, args ...any) *QueryError {
	return &QueryError{Message: fmt.Sprintf(format, args...)}
}

// ParsedQuery is a validated query with its defaults applied and its step
// resolved.
type ParsedQuery struct {
	Query
	// FixedStep is zero when the backend should choose the step.
	FixedStep time.Duration
}

// ParseQuery decodes and validates one query.
func ParseQuery(dq backend.DataQuery) (*ParsedQuery, error) {
	var q Query
	if len(dq.JSON) > 0 {
		if err := json.Unmarshal(dq.JSON, &q); err != nil {
			return nil, queryErrorf("query JSON could not be read (%v); open the query in the editor and save it again", err)
		}
	}
	if q.QueryType == "" {
		q.QueryType = QueryType(dq.QueryType)
	}

	var err *QueryError
	switch q.QueryType {
	case "":
		return nil, queryErrorf("queryType is missing; %s", validTypesHint())
	case QueryTypeAnomalyScore:
		err = checkLabels("service", q.Service)
	case QueryTypeEdgeScore:
		err = checkLabels("client", q.Client, "server", q.Server)
	case QueryTypeForecast:
		err = validateForecast(&q)
	case QueryTypeIncidents:
		err = validateIncidents(&q)
	case QueryTypeRootCause:
		err = checkLabels("incidentId", q.IncidentID, "service", q.Service)
	case QueryTypeTopology:
		err = validateTopology(&q)
	case QueryTypeSignal:
		err = validateSignal(&q)
	case QueryTypeServices:
		err = validateScope(&q)
	default:
		if strings.EqualFold(string(q.QueryType), "promql") {
			return nil, queryErrorf("queryType \"promql\" is not supported: this datasource does not run arbitrary PromQL; use a Prometheus datasource for raw queries, or %s", validTypesHint())
		}
		return nil, queryErrorf("queryType %q is unknown; %s", string(q.QueryType), validTypesHint())
	}
	if err != nil {
		return nil, err
	}

	pq := &ParsedQuery{Query: q}
	if s := strings.TrimSpace(q.Step); s != "" {
		d, err := model.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, queryErrorf("step %q is not a duration; use a Prometheus duration such as 30s, 5m or 1h, or leave it empty", q.Step)
		}
		pq.FixedStep = time.Duration(d)
	}
	return pq, nil
}

func validTypesHint() string {
	names := make([]string, 0, len(QueryTypes()))
	for _, t := range QueryTypes() {
		names = append(names, string(t))
	}
	return "valid query types: " + strings.Join(names, ", ")
}

func validateScope(q *Query) *QueryError {
	switch q.Scope {
	case "":
		q.Scope = ScopeService
	case ScopeService, ScopeEdge:
	default:
		return queryErrorf("scope %q is unknown; use service or edge", string(q.Scope))
	}
	return nil
}

// validateTarget checks the entity a forecast or signal query is about.
func validateTarget(q *Query) *QueryError {
	if err := validateScope(q); err != nil {
		return err
	}
	if q.Scope == ScopeService {
		if q.Service == "" {
			return queryErrorf("%s with scope service needs a service; choose one in the editor or set \"service\"", q.QueryType)
		}
		return checkLabels("service", q.Service)
	}
	if q.Client == "" || q.Server == "" {
		return queryErrorf("%s with scope edge needs both client and server; choose the call edge in the editor", q.QueryType)
	}
	return checkLabels("client", q.Client, "server", q.Server)
}

func validateSignalName(q *Query) *QueryError {
	if _, ok := LookupSignal(q.Scope, q.Signal); !ok {
		return queryErrorf("signal %q is not a canonical %s signal; use one of %s", q.Signal, q.Scope, SignalNames(q.Scope))
	}
	return nil
}

func validateForecast(q *Query) *QueryError {
	if err := validateTarget(q); err != nil {
		return err
	}
	if q.Signal == "" {
		q.Signal = DefaultForecastSignal
	}
	if err := validateSignalName(q); err != nil {
		return err
	}
	if q.Quantity != "" && !slices.Contains(ForecastQuantities(), q.Quantity) {
		return queryErrorf("quantity %q is unknown; use one of actual, yhat, lower, upper, anomalous, or leave it empty for all five", string(q.Quantity))
	}
	return nil
}

func validateSignal(q *Query) *QueryError {
	if err := validateTarget(q); err != nil {
		return err
	}
	if q.Signal == "" {
		return queryErrorf("signal is missing; use one of %s", SignalNames(q.Scope))
	}
	return validateSignalName(q)
}

func validateIncidents(q *Query) *QueryError {
	switch q.IncidentView {
	case "":
		q.IncidentView = IncidentViewTimeline
	case IncidentViewTimeline, IncidentViewList, IncidentViewTolerated, IncidentViewAnnotations:
	default:
		return queryErrorf("incidentView %q is unknown; use timeline, list, tolerated or annotations", string(q.IncidentView))
	}
	return checkLabels("incidentId", q.IncidentID)
}

func validateTopology(q *Query) *QueryError {
	if err := checkLabels("service", q.Service); err != nil {
		return err
	}
	if q.Hops == nil {
		return nil
	}
	if *q.Hops < 0 || *q.Hops > MaxHops {
		return queryErrorf("hops %d is out of range; use 0 to %d, or leave it empty for the whole graph", *q.Hops, MaxHops)
	}
	if q.Service == "" && !q.AnomalousOnly {
		return queryErrorf("hops counts from a focus service or from the anomalous nodes; set service or anomalousOnly, or leave hops empty for the whole graph")
	}
	return nil
}

// checkLabels checks (field, value) pairs with checkLabelValue.
func checkLabels(pairs ...string) *QueryError {
	for i := 0; i+1 < len(pairs); i += 2 {
		if msg := checkLabelValue(pairs[i], pairs[i+1]); msg != "" {
			return &QueryError{Message: msg}
		}
	}
	return nil
}

// checkLabelValue rejects values that cannot be real label values. Values are
// matched literally (=), never as regular expressions.
func checkLabelValue(field, v string) string {
	switch {
	case len(v) > MaxLabelValueLength:
		return fmt.Sprintf("%s is longer than %d characters; use the exact %s label value", field, MaxLabelValueLength, field)
	case !utf8.ValidString(v):
		return fmt.Sprintf("%s is not valid UTF-8; use the exact %s label value", field, field)
	case strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Sprintf("%s contains control characters; use the exact %s label value", field, field)
	case v != strings.TrimSpace(v):
		return fmt.Sprintf("%s %q has leading or trailing spaces; use the exact %s label value", field, v, field)
	case strings.Contains(v, "$"):
		// Alert rules get no template interpolation; a leftover variable
		// would silently match nothing.
		return fmt.Sprintf("%s %q looks like an uninterpolated template variable; alert rules need a literal %s name", field, v, field)
	}
	return ""
}
