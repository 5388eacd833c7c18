package plugin

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/prometheus/common/model"

	"github.com/seismo/seismo/pkg/models"
)

// Metric names from the sidecar's export contract.
const (
	metricServiceAnomalyScore = "seismo_service_anomaly_score"
	metricEdgeAnomalyScore    = "seismo_edge_anomaly_score"
)

const (
	// maxConcurrentQueries keeps a dashboard with many panels from flooding
	// Prometheus with parallel range queries from one request.
	maxConcurrentQueries = 4
	// maxPointsPerSeries is Prometheus's hard limit for query_range.
	maxPointsPerSeries = 11000
	minStep            = time.Second
)

// QueryData runs the queries concurrently with a bound and answers each one
// on its own: a failing query never blanks the others.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, maxConcurrentQueries)
	)
	for _, q := range req.Queries {
		wg.Go(func() {
			var res backend.DataResponse
			select {
			case sem <- struct{}{}:
				res = d.runQuery(ctx, q)
				<-sem
			case <-ctx.Done():
				res = errorResponse(contextError(ctx, d.prom))
			}
			mu.Lock()
			resp.Responses[q.RefID] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	return resp, nil
}

// contextError reports a request that ended before it was sent.
func contextError(ctx context.Context, u *upstream) error {
	e := &upstreamError{kind: kindCancelled, upstream: "Prometheus"}
	if u != nil {
		e.upstream, e.baseURL, e.timeout = u.name, u.baseURL, u.timeout
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.kind = kindTimeout
	}
	return e
}

func (d *Datasource) runQuery(ctx context.Context, q backend.DataQuery) (res backend.DataResponse) {
	logger := d.logger.FromContext(ctx).With("refId", q.RefID)
	defer func() {
		if r := recover(); r != nil {
			logger.Error("query panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			res = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin,
				"internal error in the Seismo backend while running this query; the Grafana server log has details")
		}
	}()

	if d.settingsErr != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, d.settingsErr.Error())
	}
	pq, err := models.ParseQuery(q)
	if err != nil {
		logger.Debug("rejected query", "error", err.Error())
		return errorResponse(err)
	}
	frames, err := d.executeHistoryQuery(ctx, pq, q)
	if err != nil {
		logger.Warn("query failed", "queryType", string(pq.QueryType), "error", err.Error())
		return errorResponse(err)
	}
	return backend.DataResponse{Frames: frames}
}

// historyQuery describes how one query type reads its history.
type historyQuery struct {
	metric      string
	expr        string
	displayName func(labels map[string]string) string
	emptyHint   string
}

func buildHistoryQuery(q *models.ParsedQuery) (*historyQuery, error) {
	switch q.QueryType {
	case models.QueryTypeAnomalyScore:
		// max by (service) collapses replicas and restarts of the sidecar into
		// one series per service, so alert instances keep stable labels.
		sel := selector(metricServiceAnomalyScore, "service", q.Service)
		hint := "no anomaly scores in this time range"
		if q.Service != "" {
			hint = fmt.Sprintf("no anomaly scores for service %q in this time range; check the service name", q.Service)
		}
		return &historyQuery{
			metric:      metricServiceAnomalyScore,
			expr:        "max by (service) (" + sel + ")",
			displayName: func(l map[string]string) string { return l["service"] },
			emptyHint:   hint + "; the sidecar exports scores once it has scored a service, and Prometheus must scrape the sidecar",
		}, nil
	case models.QueryTypeEdgeScore:
		sel := selector(metricEdgeAnomalyScore, "client", q.Client, "server", q.Server)
		var which []string
		if q.Client != "" {
			which = append(which, fmt.Sprintf("client %q", q.Client))
		}
		if q.Server != "" {
			which = append(which, fmt.Sprintf("server %q", q.Server))
		}
		hint := "no call-edge anomaly scores in this time range"
		if len(which) > 0 {
			hint = fmt.Sprintf("no call-edge anomaly scores for %s in this time range; check the names", strings.Join(which, " and "))
		}
		return &historyQuery{
			metric:      metricEdgeAnomalyScore,
			expr:        "max by (client, server) (" + sel + ")",
			displayName: func(l map[string]string) string { return l["client"] + " → " + l["server"] },
			emptyHint:   hint + "; edges appear once the telemetry source reports calls between services",
		}, nil
	}
	return nil, &models.QueryError{Message: fmt.Sprintf("queryType %q has no history query", string(q.QueryType))}
}

// selector builds metric{name="value",...} from literal label values; empty
// values are left out so that they match any value.
func selector(metric string, pairs ...string) string {
	var matchers []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		// PromQL string literals use Go's escaping rules.
		matchers = append(matchers, pairs[i]+"="+strconv.Quote(pairs[i+1]))
	}
	if len(matchers) == 0 {
		return metric
	}
	return metric + "{" + strings.Join(matchers, ",") + "}"
}

func (d *Datasource) executeHistoryQuery(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	hq, err := buildHistoryQuery(pq)
	if err != nil {
		return nil, err
	}
	start, end, step, err := resolveRange(q.TimeRange, q.Interval, q.MaxDataPoints, pq.FixedStep)
	if err != nil {
		return nil, err
	}
	series, res, err := d.prom.queryRange(ctx, hq.expr, start, end, step)
	if err != nil {
		return nil, err
	}
	return historyFrames(hq, series, res), nil
}

// resolveRange picks the step and aligns the start to it. Alignment keeps
// points at the same timestamps across refreshes and alert evaluations.
func resolveRange(tr backend.TimeRange, interval time.Duration, maxDataPoints int64, fixed time.Duration) (time.Time, time.Time, time.Duration, error) {
	from, to := tr.From, tr.To
	if !to.After(from) {
		return time.Time{}, time.Time{}, 0, &models.QueryError{
			Message: fmt.Sprintf("the time range is empty or reversed (from %s to %s); choose a range whose end is after its start",
				from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339)),
		}
	}
	span := to.Sub(from)
	// Two points of slack: one for the aligned start, one for the end itself.
	limit := int64(maxPointsPerSeries - 2)

	var step time.Duration
	if fixed > 0 {
		step = fixed
		if points := int64(span/step) + 2; points > maxPointsPerSeries {
			least := niceStep(time.Duration(int64(span)/limit + 1))
			return time.Time{}, time.Time{}, 0, &models.QueryError{
				Message: fmt.Sprintf("time range too large for step %s: %s needs %d points per series, Prometheus returns at most %d; use a step of at least %s or a shorter time range",
					model.Duration(step), model.Duration(span.Round(time.Second)), points, maxPointsPerSeries, model.Duration(least)),
			}
		}
	} else {
		if maxDataPoints <= 0 || maxDataPoints > limit {
			maxDataPoints = limit
		}
		step = max(interval, time.Duration(int64(span)/maxDataPoints+1), minStep)
		step = ceilToSecond(step)
	}

	stepMs := step.Milliseconds()
	fromMs := from.UnixMilli()
	aligned := time.UnixMilli(fromMs - ((fromMs%stepMs)+stepMs)%stepMs).UTC()
	return aligned, to.UTC(), step, nil
}

// niceStep rounds a minimum step up to a value people type into a step
// field; the exact minimum (say 3m56s) is correct but unhelpful.
func niceStep(d time.Duration) time.Duration {
	for _, c := range []time.Duration{
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	} {
		if c >= d {
			return c
		}
	}
	day := 24 * time.Hour
	return (d + day - 1) / day * day
}

func ceilToSecond(d time.Duration) time.Duration {
	if r := d % time.Second; r != 0 {
		d += time.Second - r
	}
	return d
}

// historyFrames builds one time series frame per series (the dataplane
// "timeseries-multi" shape), which Grafana-managed alert rules accept
// directly in reduce and threshold expressions.
func historyFrames(hq *historyQuery, series []promSeries, res *promResult) data.Frames {
	meta := func() *data.FrameMeta {
		return &data.FrameMeta{
			Type:                data.FrameTypeTimeSeriesMulti,
			TypeVersion:         data.FrameTypeVersion{0, 1},
			ExecutedQueryString: hq.expr,
		}
	}
	var notices []data.Notice
	for _, w := range res.warnings {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: "Prometheus: " + w})
	}
	for _, i := range res.infos {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: "Prometheus: " + i})
	}

	if len(series) == 0 {
		// An empty typed frame is how the dataplane contract says "no data";
		// alert rules then apply their no-data handling.
		f := data.NewFrame("")
		f.Meta = meta()
		f.Meta.Notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: hq.emptyHint})
		return data.Frames{f}
	}

	frames := make(data.Frames, 0, len(series))
	for i, s := range series {
		labels := data.Labels{}
		for k, v := range s.labels {
			if k != "__name__" {
				labels[k] = v
			}
		}
		value := data.NewField(hq.metric, labels, s.values)
		// Scores are calibrated to [0, 1]; fixed bounds keep panels and
		// thresholds comparable between services.
		lo, hi := data.ConfFloat64(0), data.ConfFloat64(1)
		value.Config = &data.FieldConfig{
			DisplayNameFromDS: hq.displayName(s.labels),
			Min:               &lo,
			Max:               &hi,
		}
		f := data.NewFrame(hq.metric, data.NewField(data.TimeSeriesTimeFieldName, nil, s.times), value)
		f.Meta = meta()
		if i == 0 {
			f.Meta.Notices = notices
		}
		frames = append(frames, f)
	}
	return frames
}

// errorResponse maps an error to a per-query response with a message the
// user can act on and the source Grafana uses for SLOs (downstream = not a
// bug in this plugin).
func errorResponse(err error) backend.DataResponse {
	var qe *models.QueryError
	var ue *upstreamError
	switch {
	case errors.As(err, &qe):
		if qe.NotImplemented {
			return backend.ErrDataResponseWithSource(backend.StatusNotImplemented, backend.ErrorSourcePlugin, qe.Message)
		}
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, qe.Message)
	case errors.As(err, &ue):
		return backend.ErrDataResponseWithSource(ue.dataStatus(), backend.ErrorSourceDownstream, ue.Error())
	default:
		return backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, err.Error())
	}
}

func (e *upstreamError) dataStatus() backend.Status {
	switch e.kind {
	case kindTimeout, kindCancelled:
		return backend.StatusTimeout
	case kindAuth:
		if e.status == 403 {
			return backend.StatusForbidden
		}
		return backend.StatusUnauthorized
	case kindAPI:
		if e.apiErrorType == "timeout" {
			return backend.StatusTimeout
		}
		if e.status >= 400 && e.status < 500 {
			return backend.StatusBadRequest
		}
		return backend.StatusBadGateway
	default:
		return backend.StatusBadGateway
	}
}
