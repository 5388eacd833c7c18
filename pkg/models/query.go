package models

import (
	"encoding/json"
	"fmt"
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
	// History read from Prometheus, which is the system of record.
	QueryTypeAnomalyScore QueryType = "anomalyScore"
	QueryTypeEdgeScore    QueryType = "edgeScore"

	// Reserved for views backed by the sidecar; answered with an explicit
	// "not available yet" error until implemented.
	QueryTypeForecast  QueryType = "forecast"
	QueryTypeIncidents QueryType = "incidents"
	QueryTypeRootCause QueryType = "rootCause"
	QueryTypeTopology  QueryType = "topology"
	QueryTypeSignal    QueryType = "signal"
	QueryTypeServices  QueryType = "services"
)

// ImplementedQueryTypes lists the types this backend answers, in the order
// shown to users.
func ImplementedQueryTypes() []QueryType {
	return []QueryType{QueryTypeAnomalyScore, QueryTypeEdgeScore}
}

// ReservedQueryTypes lists the types the query model knows but this backend
// does not answer yet.
func ReservedQueryTypes() []QueryType {
	return []QueryType{
		QueryTypeForecast, QueryTypeIncidents, QueryTypeRootCause,
		QueryTypeTopology, QueryTypeSignal, QueryTypeServices,
	}
}

// MaxLabelValueLength bounds label values taken from queries; real service
// names are far shorter and the bound keeps PromQL small.
const MaxLabelValueLength = 256

// Query is the JSON model of one query. Fields Grafana adds itself (refId,
// datasource, intervalMs, maxDataPoints, hide) are read from
// backend.DataQuery instead.
type Query struct {
	QueryType QueryType `json:"queryType"`
	// Service limits anomalyScore to one service; empty means every service.
	Service string `json:"service,omitempty"`
	// Client and Server limit edgeScore to one side of a call edge each;
	// empty means any.
	Client string `json:"client,omitempty"`
	Server string `json:"server,omitempty"`
	// Step fixes the resolution as a Prometheus duration ("30s", "5m");
	// empty lets the backend derive it from the interval and max data points.
	Step string `json:"step,omitempty"`
}

// QueryError is a problem with the query itself; the user fixes it in the
// query editor or the alert rule.
type QueryError struct {
	Message string
	// NotImplemented marks query types that exist in the model but that this
	// backend does not answer yet.
	NotImplemented bool
}

func (e *QueryError) Error() string { return e.Message }

// ParsedQuery is a validated query with its step resolved.
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
			return nil, &QueryError{Message: fmt.Sprintf("query JSON could not be read (%v); open the query in the editor and save it again", err)}
		}
	}
	if q.QueryType == "" {
		q.QueryType = QueryType(dq.QueryType)
	}

	switch q.QueryType {
	case "":
		return nil, &QueryError{Message: "queryType is missing; " + validTypesHint()}
	case QueryTypeAnomalyScore:
		if msg := checkLabelValue("service", q.Service); msg != "" {
			return nil, &QueryError{Message: msg}
		}
	case QueryTypeEdgeScore:
		if msg := checkLabelValue("client", q.Client); msg != "" {
			return nil, &QueryError{Message: msg}
		}
		if msg := checkLabelValue("server", q.Server); msg != "" {
			return nil, &QueryError{Message: msg}
		}
	default:
		for _, t := range ReservedQueryTypes() {
			if q.QueryType == t {
				return nil, &QueryError{
					NotImplemented: true,
					Message: fmt.Sprintf("queryType %q is not available in this version of the backend yet; %s",
						string(q.QueryType), validTypesHint()),
				}
			}
		}
		if strings.EqualFold(string(q.QueryType), "promql") {
			return nil, &QueryError{Message: "queryType \"promql\" is not supported: this datasource does not run arbitrary PromQL; use a Prometheus datasource for raw queries, or " + validTypesHint()}
		}
		return nil, &QueryError{Message: fmt.Sprintf("queryType %q is unknown; %s", string(q.QueryType), validTypesHint())}
	}

	pq := &ParsedQuery{Query: q}
	if s := strings.TrimSpace(q.Step); s != "" {
		d, err := model.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, &QueryError{Message: fmt.Sprintf("step %q is not a duration; use a Prometheus duration such as 30s, 5m or 1h, or leave it empty", q.Step)}
		}
		pq.FixedStep = time.Duration(d)
	}
	return pq, nil
}

func validTypesHint() string {
	implemented := ImplementedQueryTypes()
	names := make([]string, len(implemented))
	for i, t := range implemented {
		names[i] = string(t)
	}
	return "valid query types: " + strings.Join(names, ", ")
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
