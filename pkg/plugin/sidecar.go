package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seismo/seismo/pkg/models"
)

// sidecarAPIPrefix is the versioned root of the sidecar's HTTP API
// (backend-sidecar/openapi.yaml).
const sidecarAPIPrefix = "/api/v1/"

// sidecarErrorBody is the sidecar's error answer. The message says what was
// wrong and what to do; older builds sent a plain string instead.
type sidecarErrorBody struct {
	Error json.RawMessage `json:"error"`
}

type sidecarErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// parseSidecarError reads code and message from an error body; both are
// empty when the body is not the sidecar's error shape.
func parseSidecarError(body []byte) (code, message string) {
	var b sidecarErrorBody
	if err := json.Unmarshal(body, &b); err != nil || len(b.Error) == 0 {
		return "", ""
	}
	var detail sidecarErrorDetail
	if err := json.Unmarshal(b.Error, &detail); err == nil {
		return detail.Code, detail.Message
	}
	var text string
	if err := json.Unmarshal(b.Error, &text); err == nil {
		return "", text
	}
	return "", ""
}

// sidecarGet calls GET /api/v1/<path> and decodes the JSON answer into dst.
func (u *upstream) sidecarGet(ctx context.Context, path string, params url.Values, maxBytes int64, dst any) error {
	r, err := u.get(ctx, sidecarAPIPrefix+path, params, maxBytes)
	if err != nil {
		return err
	}
	if r.status < 200 || r.status > 299 {
		return u.sidecarError(r)
	}
	if err := json.Unmarshal(r.body, dst); err != nil {
		if r.contentType != "application/json" {
			return u.notJSON(r)
		}
		return &upstreamError{
			kind: kindHTTPStatus, upstream: u.name, baseURL: u.baseURL, status: r.status,
			detail: fmt.Sprintf("the answer of %s%s could not be read (%s); do the sidecar and this plugin speak the same API version?",
				sidecarAPIPrefix, path, u.scrub(err.Error())),
		}
	}
	return nil
}

// sidecarError classifies a non-2xx answer of the sidecar.
func (u *upstream) sidecarError(r *rawResponse) *upstreamError {
	code, message := parseSidecarError(r.body)
	e := &upstreamError{
		upstream: u.name, baseURL: u.baseURL, status: r.status, contentType: r.contentType,
		authHint: u.authHint, apiErrorType: code, detail: u.scrub(message),
	}
	switch {
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		e.kind = kindAuth
	case message != "":
		e.kind = kindSidecarAPI
	case r.contentType != "application/json" && r.status < 500:
		// A 404 page in HTML or plain text means the URL points elsewhere.
		return u.notJSON(r)
	default:
		e.kind = kindHTTPStatus
		e.detail = u.snippet(r.body)
	}
	return e
}

// sidecarFor returns the sidecar client, or an error that tells the user
// what reads from the sidecar and how to configure it.
func (d *Datasource) sidecarFor(what string) (*upstream, error) {
	if d.sidecar == nil {
		return nil, &models.QueryError{Message: what + " comes from the Seismo sidecar, and this datasource has no sidecar URL; set sidecarUrl (and sidecarToken) in the datasource settings"}
	}
	return d.sidecar, nil
}

// framesAnswer is the part of a sidecar answer that carries data frames.
type framesAnswer struct {
	Frames []json.RawMessage `json:"frames"`
}

// sidecarFrames calls a route that answers {"frames": [...]} and decodes
// the frames.
func (u *upstream) sidecarFrames(ctx context.Context, path string, params url.Values) (data.Frames, error) {
	var answer framesAnswer
	if err := u.sidecarGet(ctx, path, params, maxQueryBodyBytes, &answer); err != nil {
		return nil, err
	}
	frames, err := decodeWireFrames(answer.Frames)
	if err != nil {
		return nil, &upstreamError{
			kind: kindHTTPStatus, upstream: u.name, baseURL: u.baseURL, status: http.StatusOK,
			detail: fmt.Sprintf("the frames of %s%s could not be read: %s; do the sidecar and this plugin speak the same API version?",
				sidecarAPIPrefix, path, u.scrub(err.Error())),
		}
	}
	return frames, nil
}

// contractError reports a sidecar answer that parsed but lacks what
// docs/frames.md promises.
func (u *upstream) contractError(path, problem string) error {
	return &upstreamError{
		kind: kindHTTPStatus, upstream: u.name, baseURL: u.baseURL, status: http.StatusOK,
		detail: fmt.Sprintf("the answer of %s%s %s; do the sidecar and this plugin speak the same API version?",
			sidecarAPIPrefix, path, strings.TrimSpace(problem)),
	}
}
