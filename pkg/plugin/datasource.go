// Package plugin is the backend of the seismo-anomaly-datasource: history
// queries over the seismo_* series in Prometheus, live views read from the
// sidecar's API, health of both upstreams, and resources for the editors and
// the app pages (docs/frames.md is the contract for all of them).
package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/seismo/seismo/pkg/models"
)

// Without these checks a missing method would only show up at runtime, as a
// "not implemented" answer from Grafana.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured instance. Grafana creates a new one whenever
// the settings change and disposes of the old one.
type Datasource struct {
	settings *models.PluginSettings
	// settingsErr is kept instead of failing instance creation: Grafana would
	// replace the error with a generic "plugin unavailable", while a stored
	// error reaches the user through the health check and every query.
	settingsErr error
	prom        *upstream
	sidecar     *upstream
	logger      log.Logger
	resources   backend.CallResourceHandler
	now         func() time.Time
}

// NewDatasource is the instance factory given to datasource.Manage.
func NewDatasource(_ context.Context, settings backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return newDatasource(settings, log.DefaultLogger, time.Now), nil
}

func newDatasource(source backend.DataSourceInstanceSettings, logger log.Logger, now func() time.Time) *Datasource {
	d := &Datasource{logger: logger, now: now}
	d.resources = newResourceHandler(d)
	s, err := models.LoadPluginSettings(source)
	if err != nil {
		d.settingsErr = err
		logger.Warn("datasource settings are invalid", "datasource", source.Name, "error", err.Error())
		return d
	}
	prom, sidecar, err := newUpstreams(s)
	if err != nil {
		d.settingsErr = err
		logger.Warn("datasource HTTP clients could not be created", "datasource", source.Name, "error", err.Error())
		return d
	}
	d.settings, d.prom, d.sidecar = s, prom, sidecar
	return d
}

// Dispose releases idle connections of the replaced instance.
func (d *Datasource) Dispose() {
	d.prom.close()
	d.sidecar.close()
}
