package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seismo/seismo/pkg/models"
)

// componentHealth is the per-upstream part of the health details.
type componentHealth struct {
	Status  string `json:"status"` // ok, error, not configured
	URL     string `json:"url,omitempty"`
	Version string `json:"version,omitempty"`
	Message string `json:"message"`
}

type healthDetails struct {
	Prometheus componentHealth `json:"prometheus"`
	Sidecar    componentHealth `json:"sidecar"`
	// Settings lists configuration problems, one per field.
	Settings []string `json:"settings,omitempty"`
}

const (
	statusOK            = "ok"
	statusError         = "error"
	statusNotConfigured = "not configured"
)

// CheckHealth checks Prometheus and the sidecar separately and reports
// exactly what is wrong with each; it is OK only when both are usable.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		details := healthDetails{
			Prometheus: componentHealth{Status: statusError, Message: "not checked: the settings are invalid"},
			Sidecar:    componentHealth{Status: statusError, Message: "not checked: the settings are invalid"},
		}
		for _, p := range models.AsFieldErrors(d.settingsErr) {
			details.Settings = append(details.Settings, p.Error())
		}
		return healthResult(backend.HealthStatusError, d.settingsErr.Error(), details), nil
	}

	var details healthDetails
	var wg sync.WaitGroup
	wg.Go(func() { details.Prometheus = d.checkPrometheus(ctx) })
	wg.Go(func() { details.Sidecar = d.checkSidecar(ctx) })
	wg.Wait()

	status := backend.HealthStatusOk
	if details.Prometheus.Status == statusError || details.Sidecar.Status == statusError {
		status = backend.HealthStatusError
	}
	msg := "Prometheus: " + details.Prometheus.Message + ". Sidecar: " + details.Sidecar.Message
	d.logger.FromContext(ctx).Debug("health check", "status", status.String(), "message", msg)
	return healthResult(status, msg, details), nil
}

func healthResult(status backend.HealthStatus, msg string, details healthDetails) *backend.CheckHealthResult {
	body, err := json.Marshal(details)
	if err != nil {
		// Only strings are marshalled; a failure here is a programming error
		// and the message alone still helps the user.
		body = nil
	}
	return &backend.CheckHealthResult{Status: status, Message: msg, JSONDetails: body}
}

// seismoSeriesWindow is how far back the health check looks for the
// sidecar's own series in Prometheus: a few scrape intervals.
const seismoSeriesWindow = 15 * time.Minute

func (d *Datasource) checkPrometheus(ctx context.Context) componentHealth {
	h := componentHealth{URL: d.prom.baseURL}
	bi, err := d.prom.buildInfo(ctx)
	if err != nil {
		h.Status, h.Message = statusError, err.Error()
		return h
	}
	h.Version = bi.Version
	at := "at " + d.prom.baseURL
	if bi.Version != "" {
		at = "version " + bi.Version + " at " + d.prom.baseURL
	}
	// Reachable is not enough: without the sidecar's series every history
	// query and alert rule would answer "no data".
	end := d.now()
	sets, err := d.prom.series(ctx, metricBuildInfo, end.Add(-seismoSeriesWindow), end)
	if err != nil {
		h.Status, h.Message = statusError, fmt.Sprintf("reachable (%s), but listing its series failed: %s", at, err.Error())
		return h
	}
	if len(sets) == 0 {
		h.Status = statusError
		h.Message = fmt.Sprintf("reachable (%s), but it holds no %s series from the last %s: check that this Prometheus scrapes the sidecar's /metrics, or point prometheusUrl at the one that does",
			at, metricBuildInfo, seismoSeriesWindow)
		return h
	}
	var versions []string
	for _, s := range sets {
		if v := s["version"]; v != "" && !slices.Contains(versions, v) {
			versions = append(versions, v)
		}
	}
	sort.Strings(versions)
	h.Status = statusOK
	h.Message = fmt.Sprintf("OK, %s; Seismo series present (%d sidecar replica(s)", at, len(sets))
	if len(versions) > 0 {
		h.Message += ", version " + strings.Join(versions, ", ")
	}
	h.Message += ")"
	return h
}

// sidecarHealth is what the sidecar's /healthz may contain; every field is
// optional so that older or newer sidecars still pass.
type sidecarHealth struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

// sidecarStatus is the part of GET /api/v1/status the health check reports.
type sidecarStatus struct {
	Version   string `json:"version"`
	LastCycle *struct {
		At           float64 `json:"at"`
		PrometheusUp *bool   `json:"prometheusUp"`
		Error        *string `json:"error"`
	} `json:"lastCycle"`
	Services map[string]int `json:"services"`
}

func (d *Datasource) checkSidecar(ctx context.Context) componentHealth {
	if d.sidecar == nil {
		return componentHealth{
			Status:  statusNotConfigured,
			Message: "not configured (optional; only the live views need it: incident list and annotations, root causes, topology, signals)",
		}
	}
	u := d.sidecar
	h := componentHealth{URL: u.baseURL, Status: statusError}
	// /healthz is public: it proves reachability and names the version, but
	// says nothing about the token.
	r, err := u.get(ctx, "/healthz", nil, maxSmallBodyBytes)
	if err != nil {
		h.Message = err.Error()
		return h
	}
	if r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
		h.Message = u.httpError(r).Error()
		return h
	}
	var sh sidecarHealth
	if err := json.Unmarshal(r.body, &sh); err != nil {
		if r.status >= 500 {
			h.Message = u.httpError(r).Error()
		} else {
			h.Message = u.notJSON(r).Error()
		}
		return h
	}
	h.Version = sh.Version
	if r.status < 200 || r.status > 299 {
		reason := firstNonEmpty(sh.Message, sh.Error, sh.Status, "no reason given")
		h.Message = fmt.Sprintf("the sidecar at %s reports it is unhealthy (HTTP %d): %s", u.baseURL, r.status, u.scrub(reason))
		return h
	}
	at := "at " + u.baseURL
	if sh.Version != "" {
		at = "version " + sh.Version + " at " + u.baseURL
	}

	// /api/v1/status needs the token: this is where a wrong one shows.
	var st sidecarStatus
	if err := u.sidecarGet(ctx, "status", nil, maxSmallBodyBytes, &st); err != nil {
		var ue *upstreamError
		switch {
		case errors.As(err, &ue) && ue.kind == kindAuth:
			h.Message = fmt.Sprintf("reachable (%s), but its API refused the token: %s", at, err.Error())
		case errors.As(err, &ue) && ue.status == http.StatusNotFound:
			h.Message = fmt.Sprintf("reachable (%s), but it does not serve %sstatus (HTTP 404); this plugin needs the sidecar's API v1, so upgrade the sidecar", at, sidecarAPIPrefix)
		default:
			h.Message = fmt.Sprintf("reachable (%s), but its status could not be read: %s", at, err.Error())
		}
		return h
	}
	if st.LastCycle != nil && st.LastCycle.PrometheusUp != nil && !*st.LastCycle.PrometheusUp {
		reason := "no reason given"
		if st.LastCycle.Error != nil && *st.LastCycle.Error != "" {
			reason = u.scrub(*st.LastCycle.Error)
		}
		h.Message = fmt.Sprintf("reachable (%s) and the token is accepted, but its last detection cycle could not read Prometheus: %s; check the sidecar's Prometheus settings",
			at, reason)
		return h
	}
	h.Status = statusOK
	h.Message = "OK, " + at + ", token accepted; " + describeCycle(st, d.now())
	if s := strings.ToLower(sh.Status); s != "" && s != "ok" && s != "healthy" && s != "up" && s != "pass" {
		h.Message += fmt.Sprintf(" (reports status %q)", u.scrub(sh.Status))
	}
	return h
}

// describeCycle summarises the detection loop for the health message.
func describeCycle(st sidecarStatus, now time.Time) string {
	if st.LastCycle == nil {
		return "no detection cycle has completed yet (the sidecar is starting)"
	}
	ago := now.Sub(unixSeconds(st.LastCycle.At)).Round(time.Second)
	msg := fmt.Sprintf("last detection cycle %s ago", max(ago, 0))
	if len(st.Services) > 0 {
		states := make([]string, 0, len(st.Services))
		for state := range st.Services {
			states = append(states, state)
		}
		sort.Strings(states)
		parts := make([]string, len(states))
		for i, state := range states {
			parts[i] = fmt.Sprintf("%d %s", st.Services[state], state)
		}
		msg += ", services: " + strings.Join(parts, ", ")
	}
	return msg
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
