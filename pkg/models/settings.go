package models

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// PrometheusAuth selects how the backend authenticates to Prometheus.
type PrometheusAuth string

const (
	AuthNone   PrometheusAuth = "none"
	AuthBasic  PrometheusAuth = "basic"
	AuthBearer PrometheusAuth = "bearer"
)

// Timeout bounds, in seconds. The upper bound stays below Grafana's own
// data proxy and alert evaluation timeouts so that the backend reports the
// timeout itself, with a message, instead of being cut off.
const (
	DefaultTimeoutSeconds = 30
	MinTimeoutSeconds     = 1
	MaxTimeoutSeconds     = 300
)

// PluginSettings are the validated, non-secret settings of one datasource
// instance plus its secrets in their own type.
type PluginSettings struct {
	PrometheusURL  string         `json:"prometheusUrl"`
	SidecarURL     string         `json:"sidecarUrl,omitempty"`
	PrometheusAuth PrometheusAuth `json:"prometheusAuth"`
	PrometheusUser string         `json:"prometheusUser,omitempty"`
	TLSSkipVerify  bool           `json:"tlsSkipVerify,omitempty"`
	Timeout        time.Duration  `json:"-"`
	// Exported so that fmt reaches SecretSettings' own formatting methods;
	// fmt prints unexported struct fields raw.
	Secrets SecretSettings `json:"secrets"`
}

// rawSettings mirrors jsonData as the config editor and provisioning files
// write it.
type rawSettings struct {
	PrometheusURL  string          `json:"prometheusUrl"`
	SidecarURL     string          `json:"sidecarUrl"`
	PrometheusAuth string          `json:"prometheusAuth"`
	PrometheusUser string          `json:"prometheusUser"`
	TLSSkipVerify  bool            `json:"tlsSkipVerify"`
	TimeoutSeconds json.RawMessage `json:"timeoutSeconds"`
}

// FieldError names the setting at fault and tells the user what to do.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError collects every problem at once so that a user fixes the
// configuration in one round instead of one error per save.
type ValidationError struct {
	Problems []*FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return "invalid datasource settings: " + strings.Join(msgs, "; ")
}

// LoadPluginSettings parses and validates instance settings. It runs once per
// instance (Grafana recreates the instance when settings change), so requests
// never see a half-valid configuration.
func LoadPluginSettings(source backend.DataSourceInstanceSettings) (*PluginSettings, error) {
	var raw rawSettings
	if len(bytes.TrimSpace(source.JSONData)) > 0 {
		if err := json.Unmarshal(source.JSONData, &raw); err != nil {
			return nil, &ValidationError{Problems: []*FieldError{{
				Field:   "jsonData",
				Message: fmt.Sprintf("is not valid JSON (%v); save the datasource settings again or fix the provisioning file", err),
			}}}
		}
	}
	secrets := LoadSecretSettings(source.DecryptedSecureJSONData)
	// Pasted tokens often carry a trailing newline; it would make the header
	// invalid and the cause is invisible in the UI.
	secrets.SidecarToken = NewSecret(strings.TrimSpace(secrets.SidecarToken.Reveal()))
	secrets.PrometheusBearerToken = NewSecret(strings.TrimSpace(secrets.PrometheusBearerToken.Reveal()))

	s := &PluginSettings{
		PrometheusURL:  strings.TrimSpace(raw.PrometheusURL),
		SidecarURL:     strings.TrimSpace(raw.SidecarURL),
		PrometheusAuth: PrometheusAuth(strings.ToLower(strings.TrimSpace(raw.PrometheusAuth))),
		PrometheusUser: strings.TrimSpace(raw.PrometheusUser),
		TLSSkipVerify:  raw.TLSSkipVerify,
		Secrets:        secrets,
	}
	if s.PrometheusAuth == "" {
		s.PrometheusAuth = AuthNone
	}

	var problems []*FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}

	switch {
	case s.PrometheusURL == "" && source.URL != "":
		add("prometheusUrl", "required; set jsonData.prometheusUrl (the top-level url field is not used by this datasource), e.g. http://prometheus:9090")
	case s.PrometheusURL == "":
		add("prometheusUrl", "required; enter the base URL of Prometheus (or Mimir/Thanos), e.g. http://prometheus:9090")
	default:
		if u, msg := checkBaseURL(s.PrometheusURL, "http://prometheus:9090"); msg != "" {
			add("prometheusUrl", "%s", msg)
		} else {
			s.PrometheusURL = u
		}
	}
	if s.SidecarURL != "" {
		if u, msg := checkBaseURL(s.SidecarURL, "http://seismo-sidecar:8080"); msg != "" {
			add("sidecarUrl", "%s", msg)
		} else {
			s.SidecarURL = u
		}
	}

	switch s.PrometheusAuth {
	case AuthNone:
	case AuthBasic:
		if s.PrometheusUser == "" {
			add("prometheusUser", `required when prometheusAuth is "basic"; enter the user name Prometheus expects`)
		}
		if !secrets.PrometheusPassword.IsSet() {
			add(KeyPrometheusPassword, `required when prometheusAuth is "basic"; enter the password`)
		}
	case AuthBearer:
		if !secrets.PrometheusBearerToken.IsSet() {
			add(KeyPrometheusBearerToken, `required when prometheusAuth is "bearer"; enter the token`)
		}
	default:
		add("prometheusAuth", "%q is not supported; use one of none, basic, bearer", string(s.PrometheusAuth))
	}
	if s.PrometheusAuth == AuthBearer {
		if msg := checkToken(secrets.PrometheusBearerToken); msg != "" {
			add(KeyPrometheusBearerToken, "%s", msg)
		}
	}
	if msg := checkToken(secrets.SidecarToken); msg != "" {
		add(KeySidecarToken, "%s", msg)
	}

	if secrets.TLSCACert.IsSet() {
		if !x509.NewCertPool().AppendCertsFromPEM([]byte(secrets.TLSCACert.Reveal())) {
			add(KeyTLSCACert, "is not a PEM-encoded certificate; paste the CA certificate including the -----BEGIN CERTIFICATE----- line")
		}
	}

	timeout, msg := parseTimeoutSeconds(raw.TimeoutSeconds)
	if msg != "" {
		add("timeoutSeconds", "%s", msg)
	}
	s.Timeout = timeout

	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return s, nil
}

// checkBaseURL returns the URL without a trailing slash, or a message. The
// message never repeats a URL that carries credentials.
func checkBaseURL(raw, example string) (string, string) {
	// Checked before parsing: without a scheme, "user:pass@host" parses as
	// an opaque URL and the password would be echoed in the message below.
	if strings.Contains(raw, "@") {
		return "", "must not contain credentials (user:password@); remove them and use the authentication settings"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Sprintf("%q is not an absolute http(s) URL; use e.g. %s", raw, example)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") {
		return "", fmt.Sprintf("%q has a query or fragment; give only the base URL, e.g. %s", raw, example)
	}
	trimmed := strings.TrimRight(raw, "/")
	for _, suffix := range []string{"/api/v1", "/healthz", "/graph"} {
		if strings.HasSuffix(trimmed, suffix) {
			return "", fmt.Sprintf("%q ends in %s; give only the base URL, e.g. %s", raw, suffix, strings.TrimSuffix(trimmed, suffix))
		}
	}
	return trimmed, ""
}

// checkToken rejects values that cannot be sent as a single header value.
func checkToken(s Secret) string {
	v := s.Reveal()
	if v == "" {
		return ""
	}
	if strings.HasPrefix(strings.ToLower(v), "bearer ") {
		return `starts with "Bearer "; enter only the token, the prefix is added for you`
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "contains spaces or control characters; paste the token on its own"
	}
	return ""
}

// parseTimeoutSeconds accepts a JSON number or a numeric string, because
// form inputs and provisioning YAML produce either.
func parseTimeoutSeconds(raw json.RawMessage) (time.Duration, string) {
	text := strings.TrimSpace(string(raw))
	if text == "" || text == "null" || text == `""` {
		return DefaultTimeoutSeconds * time.Second, ""
	}
	if unq, err := strconv.Unquote(text); err == nil {
		text = strings.TrimSpace(unq)
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || n != float64(int64(n)) || n < MinTimeoutSeconds || n > MaxTimeoutSeconds {
		return 0, fmt.Sprintf("%s is not a whole number of seconds between %d and %d; leave it empty for the default of %d",
			text, MinTimeoutSeconds, MaxTimeoutSeconds, DefaultTimeoutSeconds)
	}
	return time.Duration(n) * time.Second, ""
}

// AsFieldErrors unwraps a settings error into its problems, for callers that
// render them one by one (health details).
func AsFieldErrors(err error) []*FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}
