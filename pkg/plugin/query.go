package plugin

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// maxConcurrentQueries keeps a dashboard with many panels from flooding
// Prometheus and the sidecar with parallel requests from one request.
const maxConcurrentQueries = 4

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
				res = errorResponse(&queuedError{deadline: errors.Is(ctx.Err(), context.DeadlineExceeded)})
			}
			mu.Lock()
			resp.Responses[q.RefID] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	return resp, nil
}

// queuedError reports a query that was still waiting for a slot when its
// request ended.
type queuedError struct {
	deadline bool
}

func (e *queuedError) Error() string {
	if e.deadline {
		return fmt.Sprintf("the query timed out while waiting for one of the %d slots this datasource runs at once; split the dashboard's queries over fewer panels or raise the panel's timeout", maxConcurrentQueries)
	}
	return "the request was cancelled before this query ran"
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
	frames, err := d.execute(ctx, pq, q)
	if err != nil {
		logger.Warn("query failed", "queryType", string(pq.QueryType), "error", err.Error())
		return errorResponse(err)
	}
	for _, f := range frames {
		f.RefID = q.RefID
	}
	return backend.DataResponse{Frames: frames}
}

// execute answers one validated query from the upstream that holds its data.
//
// Prometheus answers everything that is history: the seismo_* series are the
// system of record, so dashboards and alert rules keep working while the
// sidecar restarts, and Grafana's alerting engine gets plain time series:
//
//	anomalyScore, edgeScore, forecast, incidents (timeline), services
//
// The sidecar answers live views that Prometheus cannot hold: the incident
// list with its explanations, tolerated spikes, root-cause rankings with
// evidence, the call graph, and canonical signals read through its adapter
// presets (raw telemetry names differ per source; only the sidecar knows
// the mapping):
//
//	incidents (list, tolerated, annotations), rootCause, topology, signal
func (d *Datasource) execute(ctx context.Context, pq *models.ParsedQuery, q backend.DataQuery) (data.Frames, error) {
	switch pq.QueryType {
	case models.QueryTypeAnomalyScore:
		return d.queryAnomalyScore(ctx, pq, q)
	case models.QueryTypeEdgeScore:
		return d.queryEdgeScore(ctx, pq, q)
	case models.QueryTypeForecast:
		return d.queryForecast(ctx, pq, q)
	case models.QueryTypeIncidents:
		switch pq.IncidentView {
		case models.IncidentViewList:
			return d.queryIncidentList(ctx, q)
		case models.IncidentViewTolerated:
			return d.queryTolerated(ctx, q)
		case models.IncidentViewAnnotations:
			return d.queryIncidentAnnotations(ctx, q)
		default:
			return d.queryIncidentTimeline(ctx, pq, q)
		}
	case models.QueryTypeRootCause:
		return d.queryRootCause(ctx, pq)
	case models.QueryTypeTopology:
		return d.queryTopology(ctx, pq, q)
	case models.QueryTypeSignal:
		return d.querySignal(ctx, pq, q)
	case models.QueryTypeServices:
		return d.queryServices(ctx, pq, q)
	}
	return nil, &models.QueryError{Message: fmt.Sprintf("queryType %q has no handler in this backend", string(pq.QueryType))}
}
