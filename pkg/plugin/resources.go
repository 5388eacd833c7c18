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
)

// defaultResourceWindow is how far back the editor pickers look when the
// request gives no range; long enough to include services that are quiet at
// night, short enough to stay cheap on large Prometheus servers.
const defaultResourceWindow = 24 * time.Hour

// CallResource serves the query editor's pickers.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}

type resourceRoute struct {
	method  string
	handler func(d *Datasource, r *http.Request) (any, error)
}

// resourceRoutes is a function rather than a package variable so that the
// table cannot be changed at runtime.
func resourceRoutes() map[string]resourceRoute {
	return map[string]resourceRoute{
		"/services": {method: http.MethodGet, handler: (*Datasource).listServices},
		"/edges":    {method: http.MethodGet, handler: (*Datasource).listEdges},
	}
}

func newResourceHandler(d *Datasource) backend.CallResourceHandler {
	return httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.serveResource(w, r)
	}))
}

// resourceError is an error with the HTTP status the editor should see.
type resourceError struct {
	status  int
	message string
}

func (e *resourceError) Error() string { return e.message }

func (d *Datasource) serveResource(w http.ResponseWriter, r *http.Request) {
	path := "/" + strings.Trim(r.URL.Path, "/")
	route, ok := resourceRoutes()[path]
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
	body, err := route.handler(d, r)
	if err != nil {
		status := http.StatusBadGateway
		var re *resourceError
		var ue *upstreamError
		switch {
		case errors.As(err, &re):
			status = re.status
		case errors.As(err, &ue) && (ue.kind == kindTimeout || ue.kind == kindCancelled):
			status = http.StatusGatewayTimeout
		}
		d.logger.FromContext(r.Context()).Warn("resource request failed", "path", path, "error", err.Error())
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func availableRoutes() string {
	var out []string
	for p, r := range resourceRoutes() {
		out = append(out, r.method+" "+p)
	}
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
func (d *Datasource) listServices(r *http.Request) (any, error) {
	start, end, err := d.resourceRange(r)
	if err != nil {
		return nil, err
	}
	values, err := d.prom.labelValues(r.Context(), "service", `{__name__=~"seismo_.+",service!=""}`, start, end)
	if err != nil {
		return nil, err
	}
	if values == nil {
		values = []string{}
	}
	return servicesResponse{Services: values}, nil
}

type edge struct {
	Client string `json:"client"`
	Server string `json:"server"`
}

type edgesResponse struct {
	Edges []edge `json:"edges"`
}

// listEdges returns the distinct client/server pairs of seismo_edge_* series.
func (d *Datasource) listEdges(r *http.Request) (any, error) {
	start, end, err := d.resourceRange(r)
	if err != nil {
		return nil, err
	}
	sets, err := d.prom.series(r.Context(), `{__name__=~"seismo_edge_.+",client!="",server!=""}`, start, end)
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
	return edgesResponse{Edges: edges}, nil
}
