package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

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

func (d *Datasource) checkPrometheus(ctx context.Context) componentHealth {
	h := componentHealth{URL: d.prom.baseURL}
	bi, err := d.prom.buildInfo(ctx)
	if err != nil {
		h.Status, h.Message = statusError, err.Error()
		return h
	}
	h.Status, h.Version = statusOK, bi.Version
	if bi.Version != "" {
		h.Message = fmt.Sprintf("OK, version %s at %s", bi.Version, d.prom.baseURL)
	} else {
		h.Message = "OK at " + d.prom.baseURL
	}
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

func (d *Datasource) checkSidecar(ctx context.Context) componentHealth {
	if d.sidecar == nil {
		return componentHealth{
			Status:  statusNotConfigured,
			Message: "not configured (optional; only the live views need it: forecasts, incidents, root causes, topology)",
		}
	}
	u := d.sidecar
	h := componentHealth{URL: u.baseURL, Status: statusError}
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
	h.Status = statusOK
	h.Message = "OK"
	if sh.Version != "" {
		h.Message += ", version " + sh.Version
	}
	h.Message += " at " + u.baseURL
	if s := strings.ToLower(sh.Status); s != "" && s != "ok" && s != "healthy" && s != "up" && s != "pass" {
		h.Message += fmt.Sprintf(" (reports status %q)", u.scrub(sh.Status))
	}
	return h
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
