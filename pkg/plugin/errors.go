package plugin

import (
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seismo/seismo/pkg/models"
)

// notFoundError is a query naming something Seismo does not know (a service,
// an edge, an incident); the message lists close names where there are some.
type notFoundError struct {
	message string
}

func (e *notFoundError) Error() string { return e.message }

// errorResponse maps an error to a per-query response with a message the
// user can act on and the source Grafana uses for SLOs (downstream = not a
// bug in this plugin).
func errorResponse(err error) backend.DataResponse {
	var qe *models.QueryError
	var nf *notFoundError
	var ue *upstreamError
	var queued *queuedError
	switch {
	case errors.As(err, &queued):
		return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream, queued.Error())
	case errors.As(err, &qe):
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, qe.Message)
	case errors.As(err, &nf):
		return backend.ErrDataResponseWithSource(backend.StatusNotFound, backend.ErrorSourceDownstream, nf.message)
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
		if e.status == http.StatusForbidden {
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
	case kindSidecarAPI:
		switch {
		case e.status == http.StatusNotFound:
			return backend.StatusNotFound
		case e.status >= 400 && e.status < 500:
			return backend.StatusBadRequest
		}
		return backend.StatusBadGateway
	default:
		return backend.StatusBadGateway
	}
}
