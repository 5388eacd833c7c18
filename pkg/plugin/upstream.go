package plugin

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/seismo/seismo/pkg/models"
)

// Body size caps. Query results are bounded by Prometheus's own point limit;
// the caps only stop a misbehaving upstream from exhausting memory.
const (
	maxQueryBodyBytes  = 64 << 20
	maxSmallBodyBytes  = 1 << 20
	maxErrorSnippetLen = 300
)

// upstream is one HTTP service the backend talks to (Prometheus or the
// sidecar), with its own client so that auth never crosses between them.
type upstream struct {
	name    string
	baseURL string
	client  *http.Client
	timeout time.Duration
	// authHint tells the user what to check when the upstream answers 401/403.
	authHint string
	scrub    func(string) string
}

func newUpstreams(s *models.PluginSettings) (prom *upstream, sidecar *upstream, err error) {
	scrub := func(text string) string { return s.Secrets.Scrub(text, s.PrometheusUser) }

	promOpts := baseClientOptions(s)
	switch s.PrometheusAuth {
	case models.AuthBasic:
		promOpts.BasicAuth = &httpclient.BasicAuthOptions{
			User:     s.PrometheusUser,
			Password: s.Secrets.PrometheusPassword.Reveal(),
		}
	case models.AuthBearer:
		promOpts.Header = http.Header{"Authorization": {"Bearer " + s.Secrets.PrometheusBearerToken.Reveal()}}
	}
	promClient, err := httpclient.New(promOpts)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the Prometheus HTTP client: %s", scrub(err.Error()))
	}
	authHint := "the Prometheus authentication settings"
	switch s.PrometheusAuth {
	case models.AuthBasic:
		authHint = "prometheusUser and prometheusPassword"
	case models.AuthBearer:
		authHint = "prometheusBearerToken"
	case models.AuthNone:
		authHint = `prometheusAuth: it is "none" but Prometheus requires credentials`
	}
	prom = &upstream{
		name: "Prometheus", baseURL: s.PrometheusURL, client: promClient,
		timeout: s.Timeout, authHint: authHint, scrub: scrub,
	}

	if s.SidecarURL == "" {
		return prom, nil, nil
	}
	sideOpts := baseClientOptions(s)
	sideHint := `sidecarToken: it is empty but the sidecar requires a token`
	if s.Secrets.SidecarToken.IsSet() {
		sideOpts.Header = http.Header{"Authorization": {"Bearer " + s.Secrets.SidecarToken.Reveal()}}
		sideHint = "that sidecarToken matches the token configured on the sidecar"
	}
	sideClient, err := httpclient.New(sideOpts)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the sidecar HTTP client: %s", scrub(err.Error()))
	}
	sidecar = &upstream{
		name: "sidecar", baseURL: s.SidecarURL, client: sideClient,
		timeout: s.Timeout, authHint: sideHint, scrub: scrub,
	}
	return prom, sidecar, nil
}

func baseClientOptions(s *models.PluginSettings) httpclient.Options {
	timeouts := httpclient.DefaultTimeoutOptions
	timeouts.Timeout = s.Timeout
	// Dialing should fail well before the overall timeout so that an
	// unreachable host is reported as unreachable, not as slow.
	timeouts.DialTimeout = min(timeouts.DialTimeout, s.Timeout)
	opts := httpclient.Options{Timeouts: &timeouts}
	if s.TLSSkipVerify || s.Secrets.TLSCACert.IsSet() {
		opts.TLS = &httpclient.TLSOptions{
			InsecureSkipVerify: s.TLSSkipVerify,
			CACertificate:      s.Secrets.TLSCACert.Reveal(),
		}
	}
	return opts
}

func (u *upstream) close() {
	if u != nil {
		u.client.CloseIdleConnections()
	}
}

// errKind classifies failures by what the user has to do about them.
type errKind int

const (
	kindUnreachable errKind = iota
	kindTimeout
	kindCancelled
	kindAuth
	kindNotJSON
	kindHTTPStatus
	kindAPI
	// kindSidecarAPI is an error answer of the sidecar's API with its code
	// and message.
	kindSidecarAPI
)

// upstreamError carries everything needed for a message a user can act on.
// Detail is always scrubbed of secrets before it is stored.
type upstreamError struct {
	kind        errKind
	upstream    string
	baseURL     string
	status      int
	contentType string
	detail      string
	timeout     time.Duration
	authHint    string
	// apiErrorType is Prometheus's errorType (bad_data, execution, timeout...)
	// or the sidecar's error code (not_found, too_many_points...).
	apiErrorType string
}

func (e *upstreamError) Error() string {
	switch e.kind {
	case kindUnreachable:
		msg := fmt.Sprintf("%s is unreachable at %s (%s); check the URL and that the Grafana server can reach it", e.upstream, e.baseURL, e.detail)
		if isLoopback(e.baseURL) {
			msg += " (this backend runs inside the Grafana server, so localhost means the Grafana host or container)"
		}
		if strings.Contains(e.detail, "x509:") || strings.Contains(e.detail, "tls:") {
			msg += "; for a private CA paste it into tlsCACert, or enable tlsSkipVerify for testing"
		}
		return msg
	case kindTimeout:
		return fmt.Sprintf("%s at %s did not answer within %s; raise timeoutSeconds in the datasource settings or query a shorter time range", e.upstream, e.baseURL, e.timeout)
	case kindCancelled:
		return fmt.Sprintf("the request to %s was cancelled before it answered", e.upstream)
	case kindAuth:
		msg := fmt.Sprintf("%s at %s rejected the request with HTTP %d; check %s", e.upstream, e.baseURL, e.status, e.authHint)
		if e.detail != "" {
			msg += fmt.Sprintf(" (the %s says: %s)", e.upstream, e.detail)
		}
		return msg
	case kindSidecarAPI:
		code := ""
		if e.apiErrorType != "" {
			code = ", " + e.apiErrorType
		}
		switch {
		case e.status == http.StatusNotFound:
			return fmt.Sprintf("the %s found nothing to answer with (HTTP 404%s): %s", e.upstream, code, e.detail)
		case e.status >= 400 && e.status < 500:
			return fmt.Sprintf("the %s rejected the request (HTTP %d%s): %s", e.upstream, e.status, code, e.detail)
		default:
			return fmt.Sprintf("the %s at %s failed to answer (HTTP %d%s): %s", e.upstream, e.baseURL, e.status, code, e.detail)
		}
	case kindNotJSON:
		ct := e.contentType
		if ct == "" {
			ct = "no content type"
		}
		return fmt.Sprintf("%s at %s answered HTTP %d with %s instead of JSON; is this the right URL (the API base, not a UI or login page)?%s",
			e.upstream, e.baseURL, e.status, ct, snippetSuffix(e.detail))
	case kindAPI:
		if e.apiErrorType == "timeout" {
			return fmt.Sprintf("%s gave up on the query (its own query timeout): %s; query a shorter time range or a larger step", e.upstream, e.detail)
		}
		msg := fmt.Sprintf("%s rejected the query (HTTP %d, %s): %s", e.upstream, e.status, e.apiErrorType, e.detail)
		lower := strings.ToLower(e.detail)
		switch {
		case strings.Contains(lower, "maximum resolution"):
			msg += "; the time range has more points per series than the store allows: query a shorter time range or set a larger step"
		case strings.Contains(lower, "time range exceeds") || strings.Contains(lower, "query length"):
			msg += "; query a shorter time range"
		}
		return msg
	default:
		return fmt.Sprintf("%s at %s answered HTTP %d%s", e.upstream, e.baseURL, e.status, snippetSuffix(e.detail))
	}
}

func snippetSuffix(detail string) string {
	if detail == "" {
		return ""
	}
	return ": " + detail
}

func isLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// rawResponse is an upstream answer that arrived; interpreting the status is
// up to the caller because Prometheus puts error details in JSON bodies.
type rawResponse struct {
	status      int
	contentType string
	body        []byte
}

// get performs one GET below the base URL.
func (u *upstream) get(ctx context.Context, path string, params url.Values, maxBytes int64) (*rawResponse, error) {
	return u.do(ctx, http.MethodGet, path, params, nil, maxBytes)
}

// do performs one request below the base URL; body, when not nil, is sent
// as JSON.
func (u *upstream) do(ctx context.Context, method, path string, params url.Values, body []byte, maxBytes int64) (*rawResponse, error) {
	target := u.baseURL + path
	if len(params) > 0 {
		target += "?" + params.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %s", u.name, u.scrub(err.Error()))
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, u.transportError(ctx, err, time.Since(start))
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, u.transportError(ctx, err, time.Since(start))
	}
	if int64(len(raw)) > maxBytes {
		return nil, &upstreamError{
			kind: kindHTTPStatus, upstream: u.name, baseURL: u.baseURL, status: resp.StatusCode,
			detail: fmt.Sprintf("the answer is larger than %d MiB; query a shorter time range, a larger step or fewer services", maxBytes>>20),
		}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &rawResponse{status: resp.StatusCode, contentType: ct, body: raw}, nil
}

// transportError tells timeouts, cancellations and connection failures
// apart; the caller's context decides between the first two because the
// client reports both as deadline errors.
func (u *upstream) transportError(ctx context.Context, err error, elapsed time.Duration) error {
	base := &upstreamError{upstream: u.name, baseURL: u.baseURL, timeout: u.timeout}
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		base.kind = kindCancelled
		return base
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		// Grafana's own deadline can be shorter than timeoutSeconds; report
		// the time actually waited.
		base.kind = kindTimeout
		base.timeout = min(u.timeout, elapsed.Round(100*time.Millisecond))
		return base
	}
	// The caller's context is still live here, so any deadline is the
	// client's own timeout; depending on where it fires it surfaces as a
	// net.Error or as a bare context error.
	var netErr net.Error
	if (errors.As(err, &netErr) && netErr.Timeout()) || errors.Is(err, context.DeadlineExceeded) {
		base.kind = kindTimeout
		return base
	}
	base.kind = kindUnreachable
	base.detail = u.scrub(describeTransportError(err))
	return base
}

// describeTransportError drops the request URL that url.Error prepends; the
// message already names the base URL once.
func describeTransportError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) {
		return "TLS: " + err.Error()
	}
	return err.Error()
}

// snippet turns an error body into one printable, scrubbed line.
func (u *upstream) snippet(body []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(body))
	s = strings.Join(strings.Fields(s), " ")
	s = u.scrub(s)
	if r := []rune(s); len(r) > maxErrorSnippetLen {
		s = string(r[:maxErrorSnippetLen]) + "…"
	}
	return s
}

// httpError classifies a non-success answer whose body gave no better detail.
func (u *upstream) httpError(r *rawResponse) *upstreamError {
	e := &upstreamError{upstream: u.name, baseURL: u.baseURL, status: r.status, contentType: r.contentType, authHint: u.authHint}
	switch {
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		e.kind = kindAuth
	default:
		e.kind = kindHTTPStatus
		e.detail = u.snippet(r.body)
	}
	return e
}

func (u *upstream) notJSON(r *rawResponse) *upstreamError {
	return &upstreamError{
		kind: kindNotJSON, upstream: u.name, baseURL: u.baseURL, status: r.status,
		contentType: r.contentType, detail: u.snippet(r.body),
	}
}
