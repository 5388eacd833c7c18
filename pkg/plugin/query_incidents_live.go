package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Annotation text asks the sidecar for each incident's ranking; these bound
// the extra requests one annotation query may cause.
const (
	maxAnnotationEvidence     = 20
	annotationEvidenceWorkers = 2
)

// sidecarRange renders a query's time range as the sidecar reads it: whole
// unix seconds that cover the range.
func sidecarRange(tr backend.TimeRange) url.Values {
	return url.Values{
		"from": {strconv.FormatInt(tr.From.Unix(), 10)},
		"to":   {strconv.FormatInt(int64(math.Ceil(float64(tr.To.UnixMilli())/1000)), 10)},
	}
}

// queryIncidentList passes the sidecar's incident table through.
func (d *Datasource) queryIncidentList(ctx context.Context, q backend.DataQuery) (data.Frames, error) {
	side, err := d.sidecarFor("the incident list")
	if err != nil {
		return nil, err
	}
	params := sidecarRange(q.TimeRange)
	params.Set("state", "all")
	params.Set("format", "frames")
	return liveTable(ctx, side, "incidents", params, "incidents", []string{"id", "opened", "closed", "state",
		"severity", "opened_severity", "peak_temperature", "affected", "root_cause", "rule", "summary"})
}

// queryTolerated passes through the spikes the engine chose not to open an
// incident for, with its reasons.
func (d *Datasource) queryTolerated(ctx context.Context, q backend.DataQuery) (data.Frames, error) {
	side, err := d.sidecarFor("the list of tolerated spikes")
	if err != nil {
		return nil, err
	}
	params := sidecarRange(q.TimeRange)
	params.Set("kind", "tolerated")
	params.Set("format", "frames")
	return liveTable(ctx, side, "evaluations", params, "tolerated",
		[]string{"time", "entity", "scope", "peak", "threshold", "temperature", "reason"})
}

// liveTable fetches a route's frames and returns the one named name after
// checking that it has the fields docs/frames.md lists for it.
func liveTable(ctx context.Context, side *upstream, path string, params url.Values, name string, fields []string) (data.Frames, error) {
	frames, err := side.sidecarFrames(ctx, path, params)
	if err != nil {
		return nil, err
	}
	f := frameNamed(frames, name)
	if f == nil {
		return nil, side.contractError(path, fmt.Sprintf("has no %q frame", name))
	}
	if problem := requireFields(f, fields...); problem != "" {
		return nil, side.contractError(path, problem)
	}
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	f.Meta.ExecutedQueryString = "GET " + sidecarAPIPrefix + path + "?" + params.Encode()
	return data.Frames{f}, nil
}

// incidentSummary is one incident as GET /api/v1/incidents lists it.
type incidentSummary struct {
	ID               string   `json:"id"`
	State            string   `json:"state"`
	OpenedAt         float64  `json:"openedAt"`
	ClosedAt         *float64 `json:"closedAt"`
	OpenedSeverity   string   `json:"openedSeverity"`
	Severity         string   `json:"severity"`
	PeakTemperature  float64  `json:"peakTemperature"`
	AffectedEntities []string `json:"affectedEntities"`
	RootCause        *string  `json:"rootCause"`
	Summary          string   `json:"summary"`
}

// rootCauseRanking is the part of GET /api/v1/rootcause annotations use.
type rootCauseRanking struct {
	Candidates []struct {
		Service string `json:"service"`
		Rank    int    `json:"rank"`
		Summary string `json:"summary"`
	} `json:"candidates"`
}

// queryIncidentAnnotations turns incidents into annotation events: one per
// incident, spanning its open time, with severity and the top root cause
// with its evidence in the text.
func (d *Datasource) queryIncidentAnnotations(ctx context.Context, q backend.DataQuery) (data.Frames, error) {
	side, err := d.sidecarFor("incident annotations")
	if err != nil {
		return nil, err
	}
	params := sidecarRange(q.TimeRange)
	params.Set("state", "all")
	var list struct {
		Incidents []incidentSummary `json:"incidents"`
	}
	if err := side.sidecarGet(ctx, "incidents", params, maxQueryBodyBytes, &list); err != nil {
		return nil, err
	}
	evidence, failures := d.rootCauseEvidence(ctx, side, list.Incidents)
	f := annotationFrame(list.Incidents, evidence)
	f.Meta = tableMeta("GET " + sidecarAPIPrefix + "incidents?" + params.Encode())
	if len(failures) > 0 {
		f.Meta.Notices = append(f.Meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
			"root-cause evidence could not be read for %d incident(s); their annotations name the root cause without it: %s",
			len(failures), failures[0])})
	}
	return data.Frames{f}, nil
}

// rootCauseEvidence fetches the top candidate's one-sentence summary of the
// newest incidents that have a root cause. A failure leaves that incident
// without evidence instead of failing the annotations.
func (d *Datasource) rootCauseEvidence(ctx context.Context, side *upstream, incidents []incidentSummary) (map[string]string, []string) {
	var ids []string
	for _, inc := range incidents {
		if inc.RootCause != nil && *inc.RootCause != "" && len(ids) < maxAnnotationEvidence {
			ids = append(ids, inc.ID)
		}
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		sem      = make(chan struct{}, annotationEvidenceWorkers)
		evidence = map[string]string{}
		failures []string
	)
	for _, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var ranking rootCauseRanking
			err := side.sidecarGet(ctx, "rootcause", url.Values{"incidentId": {id}}, maxSmallBodyBytes, &ranking)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err.Error())
				return
			}
			for _, c := range ranking.Candidates {
				if c.Rank == 1 && c.Summary != "" {
					evidence[id] = c.Summary
				}
			}
		})
	}
	wg.Wait()
	sort.Strings(failures)
	return evidence, failures
}

// annotationFrame shapes incidents as the annotation events Grafana reads
// from a frame: time, timeEnd, title, text, tags, id.
func annotationFrame(incidents []incidentSummary, evidence map[string]string) *data.Frame {
	n := len(incidents)
	var (
		starts = make([]time.Time, n)
		ends   = make([]*time.Time, n)
		titles = make([]string, n)
		texts  = make([]string, n)
		tags   = make([]json.RawMessage, n)
		ids    = make([]string, n)
	)
	sorted := append([]incidentSummary(nil), incidents...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].OpenedAt < sorted[j].OpenedAt })
	for i, inc := range sorted {
		starts[i] = unixSeconds(inc.OpenedAt)
		if inc.ClosedAt != nil {
			t := unixSeconds(*inc.ClosedAt)
			ends[i] = &t
		}
		severity := firstNonEmpty(inc.Severity, inc.OpenedSeverity, "SEV?")
		titles[i] = severity + " incident " + inc.ID
		texts[i] = annotationText(inc, severity, evidence[inc.ID])
		tagList := []string{"seismo", severity}
		if inc.RootCause != nil && *inc.RootCause != "" {
			tagList = append(tagList, *inc.RootCause)
		}
		tags[i], _ = json.Marshal(tagList)
		ids[i] = inc.ID
	}
	return data.NewFrame("annotations",
		data.NewField("time", nil, starts),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
		data.NewField("id", nil, ids),
	)
}

func annotationText(inc incidentSummary, severity, evidence string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s incident %s", severity, inc.ID)
	if inc.OpenedSeverity != "" && inc.OpenedSeverity != severity {
		fmt.Fprintf(&b, " (opened as %s)", inc.OpenedSeverity)
	}
	state := inc.State
	if state == "" {
		state = "open"
		if inc.ClosedAt != nil {
			state = "closed"
		}
	}
	fmt.Fprintf(&b, ", %s, peak temperature %s.", state, strconv.FormatFloat(inc.PeakTemperature, 'g', 4, 64))
	if len(inc.AffectedEntities) > 0 {
		fmt.Fprintf(&b, "\nAffected: %s.", strings.Join(inc.AffectedEntities, ", "))
	}
	if inc.RootCause != nil && *inc.RootCause != "" {
		fmt.Fprintf(&b, "\nProbable root cause: %s", *inc.RootCause)
		if evidence != "" {
			fmt.Fprintf(&b, " (%s)", strings.TrimSuffix(evidence, "."))
		}
		b.WriteString(".")
	} else {
		b.WriteString("\nNo root cause ranked yet.")
	}
	if s := strings.TrimSpace(inc.Summary); s != "" {
		b.WriteString("\n" + s)
	}
	return b.String()
}

// unixSeconds converts the sidecar's unix seconds to a time.
func unixSeconds(s float64) time.Time {
	return time.UnixMilli(int64(math.Round(s * 1000))).UTC()
}
