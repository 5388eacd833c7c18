package plugin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const (
	// maxProxyBodyBytes bounds a proxied answer; the largest is a model's
	// ONNX file for inference in the browser.
	maxProxyBodyBytes = 128 << 20
	// maxWriteBodyBytes bounds feedback and selection bodies; the sidecar's
	// own limits (2,000-character notes, 1,000 services) fit well inside.
	maxWriteBodyBytes = 256 << 10
	maxQueryStringLen = 4096
	maxSegmentLen     = 256
)

// sidecarReadPaths is the allow-list of the sidecar's GET routes reachable
// through the datasource (docs/frames.md); "*" stands for one validated
// path segment such as a service name. Everything else, the sidecar's
// config in particular, stays out of reach.
func sidecarReadPaths() [][]string {
	return [][]string{
		{"status"}, {"services"}, {"services", "*"}, {"edges"}, {"topology"},
		{"forecasts"}, {"forecasts", "target"}, {"incidents"}, {"incidents", "*"},
		{"evaluations"}, {"rootcause"}, {"models"}, {"models", "*", "manifest"},
		{"models", "*", "onnx"}, {"window"}, {"signals"}, {"feedback"}, {"selection"},
	}
}

func sidecarPathAllowed(segments []string) bool {
	for _, pattern := range sidecarReadPaths() {
		if len(pattern) != len(segments) {
			continue
		}
		ok := true
		for i, p := range pattern {
			if p != "*" && p != segments[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func allowedSidecarPathsText() string {
	var out []string
	for _, p := range sidecarReadPaths() {
		out = append(out, strings.ReplaceAll(strings.Join(p, "/"), "*", "<name>"))
	}
	return strings.Join(out, ", ")
}

// splitSidecarPath decodes the segments after the sidecar prefix from the
// escaped request path and refuses anything that could step outside the
// API: empty, "." and ".." segments, encoded slashes, backslashes, percent
// signs left after decoding, control characters.
func splitSidecarPath(escaped string) ([]string, error) {
	rest := strings.TrimPrefix("/"+strings.TrimLeft(escaped, "/"), sidecarRoutePrefix)
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || rest == strings.TrimSuffix(sidecarRoutePrefix, "/") {
		return nil, &resourceError{status: http.StatusNotFound,
			message: "name a sidecar path after sidecar/; allowed: " + allowedSidecarPathsText()}
	}
	var segments []string
	for _, raw := range strings.Split(rest, "/") {
		seg, err := url.PathUnescape(raw)
		bad := err != nil || seg == "" || seg == "." || seg == ".." || len(seg) > maxSegmentLen ||
			strings.ContainsAny(seg, `/\%?#`) || strings.ContainsFunc(seg, unicode.IsControl)
		if bad {
			return nil, &resourceError{status: http.StatusBadRequest,
				message: fmt.Sprintf("path segment %q is not allowed in a sidecar path; use plain names", raw)}
		}
		segments = append(segments, seg)
	}
	return segments, nil
}

func (d *Datasource) sidecarForResource() (*upstream, error) {
	if d.sidecar == nil {
		return nil, &resourceError{status: http.StatusServiceUnavailable,
			message: "this datasource has no sidecar URL; set sidecarUrl (and sidecarToken) in the datasource settings"}
	}
	return d.sidecar, nil
}

// proxySidecar answers GET sidecar/<path> with the sidecar's GET
// /api/v1/<path>, for the allow-listed paths only.
func (d *Datasource) proxySidecar(r *http.Request) (*resourceAnswer, error) {
	segments, err := splitSidecarPath(r.URL.EscapedPath())
	if err != nil {
		return nil, err
	}
	if !sidecarPathAllowed(segments) {
		return nil, &resourceError{status: http.StatusNotFound, message: fmt.Sprintf(
			"sidecar path %q is not available through the datasource; allowed: %s", strings.Join(segments, "/"), allowedSidecarPathsText())}
	}
	if len(r.URL.RawQuery) > maxQueryStringLen {
		return nil, &resourceError{status: http.StatusRequestURITooLong,
			message: fmt.Sprintf("the query string is longer than %d characters", maxQueryStringLen)}
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &resourceError{status: http.StatusBadRequest, message: "the query string could not be read: " + err.Error()}
	}
	side, err := d.sidecarForResource()
	if err != nil {
		return nil, err
	}
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	resp, err := side.do(r.Context(), http.MethodGet, sidecarAPIPrefix+strings.Join(escaped, "/"), params, nil, maxProxyBodyBytes)
	if err != nil {
		return nil, err
	}
	return passThrough(side, resp)
}

// passThrough relays a sidecar answer: successes as they are, errors as
// {"error": message} with a status that keeps 4xx meaning (404 stays 404).
// The API answers JSON, and bytes for a model's ONNX file; anything else
// (a login page, a proxy's banner) means the URL points elsewhere. Secrets
// are scrubbed from every body, in case something on the way echoes the
// request's headers.
func passThrough(side *upstream, resp *rawResponse) (*resourceAnswer, error) {
	if resp.status < 200 || resp.status > 299 {
		return nil, side.sidecarError(resp)
	}
	if resp.contentType != "application/json" && resp.contentType != "application/octet-stream" {
		return nil, side.notJSON(resp)
	}
	body := []byte(side.scrub(string(resp.body)))
	return &resourceAnswer{status: resp.status, contentType: resp.contentType, raw: body}, nil
}

// editorRoles may change what Seismo learns from or monitors.
func hasEditorRole(u *backend.User) bool {
	return u != nil && (u.Role == "Editor" || u.Role == "Admin")
}

// readWriteBody reads a JSON object body within the size bound.
func readWriteBody(r *http.Request) (map[string]json.RawMessage, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxWriteBodyBytes+1))
	if err != nil {
		return nil, &resourceError{status: http.StatusBadRequest, message: "the request body could not be read: " + err.Error()}
	}
	if len(raw) > maxWriteBodyBytes {
		return nil, &resourceError{status: http.StatusRequestEntityTooLarge,
			message: fmt.Sprintf("the request body is larger than %d KiB", maxWriteBodyBytes>>10)}
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil || body == nil {
		return nil, &resourceError{status: http.StatusBadRequest, message: "the request body must be a JSON object"}
	}
	return body, nil
}

// forwardWrite sends a checked body to the sidecar on behalf of a Grafana
// user with at least the Editor role: feedback changes what the detectors
// learn, the selection what they monitor.
func (d *Datasource) forwardWrite(r *http.Request, what, path string, adjust func(body map[string]json.RawMessage, user *backend.User)) (*resourceAnswer, error) {
	user := backend.UserFromContext(r.Context())
	if !hasEditorRole(user) {
		return nil, &resourceError{status: http.StatusForbidden,
			message: fmt.Sprintf("changing %s needs the Editor or Admin role in this Grafana organisation", what)}
	}
	body, err := readWriteBody(r)
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		adjust(body, user)
	}
	encoded, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	side, err := d.sidecarForResource()
	if err != nil {
		return nil, err
	}
	resp, err := side.do(r.Context(), r.Method, sidecarAPIPrefix+path, nil, encoded, maxSmallBodyBytes)
	if err != nil {
		return nil, err
	}
	d.logger.FromContext(r.Context()).Info("forwarded a change to the sidecar", "what", what, "user", user.Login, "status", resp.status)
	return passThrough(side, resp)
}

// postFeedback forwards feedback with the Grafana user as its author, so
// that the record names who marked the window, whatever the body claims.
func (d *Datasource) postFeedback(r *http.Request) (*resourceAnswer, error) {
	return d.forwardWrite(r, "feedback", "feedback", func(body map[string]json.RawMessage, user *backend.User) {
		if user.Login != "" {
			author, _ := json.Marshal(user.Login)
			body["author"] = author
		}
	})
}

// putSelection forwards the monitored-set overrides.
func (d *Datasource) putSelection(r *http.Request) (*resourceAnswer, error) {
	return d.forwardWrite(r, "the monitored services", "selection", nil)
}
