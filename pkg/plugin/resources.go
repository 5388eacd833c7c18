package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/seismo/seismo/pkg/models"
)

// defaultResourceWindow is how far back the editor pickers look when the
// request gives no range; long enough to include services that are quiet at
// night, short enough to stay cheap on large Prometheus servers.
const defaultResourceWindow = 24 * time.Hour

// Series matchers of the service and edge pickers.
const (
	knownServicesMatch = `{__name__=~"seismo_.+",service!=""}`
	knownEdgesMatch    = `{__name__=~"seismo_edge_.+",client!="",server!=""}`
)

// CallResource serves the editors' pickers and the app pages' access to the
// sidecar (docs/frames.md, Datasource resources).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}

// resourceAnswer is what a route sends: raw bytes with their content type
// (passed through from the sidecar), or a value encoded as JSON.
type resourceAnswer struct {
	status      int
	contentType string
	raw         []byte
	value       any
}

func jsonAnswer(value any) *resourceAnswer {
	return &resourceAnswer{status: http.StatusOK, value: value}
}

type resourceRoute struct {
	method  string
	handler func(d *Datasource, r *http.Request) (*resourceAnswer, error)
}

// sidecarRoutePrefix starts the routes that read the sidecar's API.
const sidecarRoutePrefix = "/sidecar/"

// resourceRoutes is a function rather than a package variable so that the
// table cannot be changed at runtime. The sidecar's read routes are served
// under sidecarRoutePrefix by proxySidecar.
func resourceRoutes() map[string]resourceRoute {
	return map[string]resourceRoute{
		"/services":  {method: http.MethodGet, handler: (*Datasource).listServices},
		"/edges":     {method: http.MethodGet, handler: (*Datasource).listEdges},
		"/signals":   {method: http.MethodGet, handler: (*Datasource).listSignals},
		"/feedback":  {method: http.MethodPost, handler: (*Datasource).postFeedback},
		"/selection": {method: http.MethodPut, handler: (*Datasource).putSelection},
	}
}

func newResourceHandler(d *Datasource) backend.CallResourceHandler {
	return httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.serveResource(w, r)
	}))
}

// resourceError is an error with the HTTP status the caller should see.
type resourceError struct {
	status  int
	message string
}

func (e *resourceError) Error() string { return e.message }

func (d *Datasource) serveResource(w http.ResponseWriter, r *http.Request) {
	path := "/" + strings.Trim(r.URL.Path, "/")
	route, ok := resourceRoutes()[path]
	if strings.HasPrefix(path+"/", sidecarRoutePrefix) {
		route, ok = resourceRoute{method: http.MethodGet, handler: (*Datasource).proxySidecar}, true
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{
			"error": fmt.Sprintf("unknown resource %q; available: %s", path, availableRoutes()),
		})
		return
	}
	if r.Method != route.method {
		w.Header().Set("Allow", route.method)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"error": fmt.Sprintf("method %s is not allowed on %s; use %s", r.Method, path, route.method),
		})
		return
	}
	if d.settingsErr != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": d.settingsErr.Error()})
		return
	}
	answer, err := route.handler(d, r)
	if err != nil {
		status := http.StatusBadGateway
		var re *resourceError
		var ue *upstreamError
		var qe *models.QueryError
		switch {
		case errors.As(err, &re):
			status = re.status
		case errors.As(err, &qe):
			status = http.StatusBadRequest
		case errors.As(err, &ue):
			status = ue.resourceStatus()
		}
		d.logger.FromContext(r.Context()).Warn("resource request failed", "path", path, "status", status, "error", err.Error())
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	if answer.raw != nil {
		w.Header().Set("Content-Type", firstNonEmpty(answer.contentType, "application/json"))
		w.WriteHeader(answer.status)
		_, _ = w.Write(answer.raw)
		return
	}
	writeJSON(w, answer.status, answer.value)
}

// resourceStatus is the HTTP status a resource caller sees for an upstream
// failure. The sidecar's 401 and 403 become 502: they concern this
// datasource's token, and Grafana's frontend treats a 401 as the user's own
// login having expired.
func (e *upstreamError) resourceStatus() int {
	switch e.kind {
	case kindTimeout, kindCancelled:
		return http.StatusGatewayTimeout
	case kindSidecarAPI:
		if e.status >= 400 && e.status < 500 {
			return e.status
		}
	}
	return http.StatusBadGateway
}

func availableRoutes() string {
	var out []string
	for p, r := range resourceRoutes() {
		out = append(out, r.method+" "+p)
	}
	out = append(out, "GET "+sidecarRoutePrefix+"<path>")
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// resourceRange reads from/to (epoch milliseconds, as Grafana's time range
// gives them) and defaults to the last 24 hours.
func (d *Datasource) resourceRange(r *http.Request) (time.Time, time.Time, error) {
	end := d.now()
	start := end.Add(-defaultResourceWindow)
	q := r.URL.Query()
	parse := func(name string, dst *time.Time) error {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return &resourceError{status: http.StatusBadRequest,
				message: fmt.Sprintf("%s=%q is not a time in epoch milliseconds", name, v)}
		}
		*dst = time.UnixMilli(ms)
		return nil
	}
	if err := parse("from", &start); err != nil {
		return start, end, err
	}
	if err := parse("to", &end); err != nil {
		return start, end, err
	}
	if !end.After(start) {
		return start, end, &resourceError{status: http.StatusBadRequest, message: "to must be after from"}
	}
	return start, end, nil
}

type servicesResponse struct {
	Services []string `json:"services"`
}

// listServices returns every service that has any seismo_* series.
func (d *Datasource) listServices(r *http.Request) (*resourceAnswer, error) {
	start, end, err := d.resourceRange(r)
	if err != nil {
		return nil, err
	}
	services, err := d.knownServices(r.Context(), start, end)
	if err != nil {
		return nil, err
	}
	return jsonAnswer(servicesResponse{Services: services}), nil
}

func (d *Datasource) knownServices(ctx context.Context, start, end time.Time) ([]string, error) {
	values, err := d.prom.labelValues(ctx, "service", knownServicesMatch, start, end)
	if err != nil {
		return nil, err
	}
	if values == nil {
		values = []string{}
	}
	return values, nil
}

type edge struct {
	Client string `json:"client"`
	Server string `json:"server"`
}

type edgesResponse struct {
	Edges []edge `json:"edges"`
}

// listEdges returns the distinct client/server pairs of seismo_edge_* series.
func (d *Datasource) listEdges(r *http.Request) (*resourceAnswer, error) {
	start, end, err := d.resourceRange(r)
	if err != nil {
		return nil, err
	}
	edges, err := d.knownEdges(r.Context(), start, end)
	if err != nil {
		return nil, err
	}
	return jsonAnswer(edgesResponse{Edges: edges}), nil
}

func (d *Datasource) knownEdges(ctx context.Context, start, end time.Time) ([]edge, error) {
	sets, err := d.prom.series(ctx, knownEdgesMatch, start, end)
	if err != nil {
		return nil, err
	}
	seen := map[edge]bool{}
	edges := []edge{}
	for _, s := range sets {
		e := edge{Client: s["client"], Server: s["server"]}
		if e.Client == "" || e.Server == "" || seen[e] {
			continue
		}
		seen[e] = true
		edges = append(edges, e)
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].Client != edges[j].Client {
			return edges[i].Client < edges[j].Client
		}
		return edges[i].Server < edges[j].Server
	})
	return edges, nil
}

type signalsResponse struct {
	Signals []models.SignalSpec `json:"signals"`
}

// listSignals returns the canonical signals of a scope for the pickers.
func (d *Datasource) listSignals(r *http.Request) (*resourceAnswer, error) {
	scope := models.Scope(r.URL.Query().Get("scope"))
	if scope == "" {
		scope = models.ScopeService
	}
	if scope != models.ScopeService && scope != models.ScopeEdge {
		return nil, &resourceError{status: http.StatusBadRequest,
			message: fmt.Sprintf("scope=%q is unknown; use service or edge", string(scope))}
	}
	return jsonAnswer(signalsResponse{Signals: models.CanonicalSignals(scope)}), nil
}
