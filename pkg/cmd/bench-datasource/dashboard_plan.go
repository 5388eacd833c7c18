package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

// datasourceType is the plugin id of the datasource whose queries are measured.
const datasourceType = "seismo-anomaly-datasource"

// dashboardPlan is what Grafana asks the Seismo backend for when a dashboard
// loads: one QueryData request per panel with Seismo queries (a mixed panel
// sends only its Seismo targets) and one per Seismo annotation query.
type dashboardPlan struct {
	Title string
	// Span is the dashboard's default time range, which ends now.
	Span     time.Duration
	Requests []panelRequest
}

// panelRequest is one QueryData request of a dashboard load.
type panelRequest struct {
	// Panel is the panel's title, or "annotations: <name>".
	Panel string
	// MaxDataPoints is what Grafana sends for the panel: its width in pixels.
	MaxDataPoints int64
	Queries       []plannedQuery
}

// plannedQuery is one target with the dashboard's variables substituted.
type plannedQuery struct {
	RefID, QueryType string
	// Kind names the query for the per-type statistics: the query type, and
	// for incidents the view.
	Kind  string
	Model json.RawMessage
}

type dashboardJSON struct {
	Title string `json:"title"`
	Time  struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Panels      []panelJSON `json:"panels"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Enable     bool           `json:"enable"`
			Datasource datasourceRef  `json:"datasource"`
			Target     map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

type panelJSON struct {
	Title      string           `json:"title"`
	Type       string           `json:"type"`
	Datasource *datasourceRef   `json:"datasource"`
	GridPos    struct{ W int }  `json:"gridPos"`
	Targets    []map[string]any `json:"targets"`
	// Panels holds the panels of a collapsed row.
	Panels []panelJSON `json:"panels"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// gridColumns is the width of Grafana's dashboard grid.
const gridColumns = 24

// planDashboard reads a dashboard JSON and lists the Seismo requests its
// load sends. vars are the values of the dashboard's template variables;
// widthPx is the dashboard's width in pixels, from which each panel's max
// data points follow.
func planDashboard(raw []byte, vars map[string]string, widthPx int) (dashboardPlan, error) {
	var d dashboardJSON
	if err := json.Unmarshal(raw, &d); err != nil {
		return dashboardPlan{}, fmt.Errorf("not a dashboard JSON: %w", err)
	}
	span, err := relativeSpan(d.Time.From, d.Time.To)
	if err != nil {
		return dashboardPlan{}, fmt.Errorf("dashboard %q: %w", d.Title, err)
	}
	plan := dashboardPlan{Title: d.Title, Span: span}
	var walk func(panels []panelJSON) error
	walk = func(panels []panelJSON) error {
		for _, p := range panels {
			if err := walk(p.Panels); err != nil {
				return err
			}
			var queries []plannedQuery
			for _, target := range p.Targets {
				if targetType(target, p.Datasource) != datasourceType {
					continue
				}
				q, err := planQuery(target, vars)
				if err != nil {
					return fmt.Errorf("dashboard %q, panel %q: %w", d.Title, p.Title, err)
				}
				queries = append(queries, q)
			}
			if len(queries) > 0 {
				plan.Requests = append(plan.Requests, panelRequest{
					Panel: p.Title, MaxDataPoints: int64(widthPx * p.GridPos.W / gridColumns), Queries: queries,
				})
			}
		}
		return nil
	}
	if err := walk(d.Panels); err != nil {
		return dashboardPlan{}, err
	}
	for _, a := range d.Annotations.List {
		if !a.Enable || a.Datasource.Type != datasourceType || a.Target == nil {
			continue
		}
		q, err := planQuery(a.Target, vars)
		if err != nil {
			return dashboardPlan{}, fmt.Errorf("dashboard %q, annotation %q: %w", d.Title, a.Name, err)
		}
		// Annotation queries span the dashboard's range at full width.
		plan.Requests = append(plan.Requests, panelRequest{
			Panel: "annotations: " + a.Name, MaxDataPoints: int64(widthPx), Queries: []plannedQuery{q},
		})
	}
	if len(plan.Requests) == 0 {
		return dashboardPlan{}, fmt.Errorf("dashboard %q has no %s queries", d.Title, datasourceType)
	}
	return plan, nil
}

// targetType is the datasource type a target runs on: its own, else its panel's.
func targetType(target map[string]any, panel *datasourceRef) string {
	if ds, ok := target["datasource"].(map[string]any); ok {
		if t, ok := ds["type"].(string); ok && t != "" {
			return t
		}
	}
	if panel != nil {
		return panel.Type
	}
	return ""
}

// relativeSpan reads a range of the form now-<duration> to now.
func relativeSpan(from, to string) (time.Duration, error) {
	if to != "now" || !strings.HasPrefix(from, "now-") {
		return 0, fmt.Errorf("time range %q to %q is not now-<duration> to now", from, to)
	}
	d, err := model.ParseDuration(strings.TrimPrefix(from, "now-"))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("time range start %q is not now-<duration>", from)
	}
	return time.Duration(d), nil
}

// variablePattern matches $name and ${name} as Grafana's template service does.
var variablePattern = regexp.MustCompile(`\$\{(\w+)\}|\$(\w+)`)

// planQuery substitutes the variables in every string of a target, as the
// datasource's frontend does before a dashboard query reaches the backend.
func planQuery(target map[string]any, vars map[string]string) (plannedQuery, error) {
	var missing []string
	substituted := substitute(target, func(s string) string {
		return variablePattern.ReplaceAllStringFunc(s, func(ref string) string {
			m := variablePattern.FindStringSubmatch(ref)
			name := m[1] + m[2]
			v, ok := vars[name]
			if !ok {
				missing = append(missing, name)
				return ref
			}
			return v
		})
	}).(map[string]any)
	if len(missing) > 0 {
		return plannedQuery{}, fmt.Errorf("uses the variable $%s; give its value with -var %s=<value>", missing[0], missing[0])
	}
	encoded, err := json.Marshal(substituted)
	if err != nil {
		return plannedQuery{}, err
	}
	q := plannedQuery{Model: encoded}
	q.RefID, _ = substituted["refId"].(string)
	q.QueryType, _ = substituted["queryType"].(string)
	q.Kind = q.QueryType
	if view, _ := substituted["incidentView"].(string); q.QueryType == "incidents" {
		q.Kind += "/" + firstNonEmpty(view, "timeline")
	}
	if q.RefID == "" || q.QueryType == "" {
		return plannedQuery{}, fmt.Errorf("a target lacks refId or queryType")
	}
	return q, nil
}

// substitute rewrites every string inside a decoded JSON value.
func substitute(v any, f func(string) string) any {
	switch x := v.(type) {
	case string:
		return f(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = substitute(item, f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = substitute(item, f)
		}
		return out
	}
	return v
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
