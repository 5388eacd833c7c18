package models

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"
)

const redacted = "[redacted]"

// Secret holds one decrypted value from secureJsonData. The value sits in an
// unexported field and every formatting path (fmt verbs, JSON, slog) prints a
// placeholder, so a secret cannot end up in a log line or an error message by
// accident; code that needs the value calls Reveal on purpose.
type Secret struct {
	value string
}

// NewSecret wraps a value.
func NewSecret(value string) Secret { return Secret{value: value} }

// Reveal returns the value; call it only where it goes on the wire.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether a non-empty value is configured.
func (s Secret) IsSet() bool { return s.value != "" }

func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return redacted
}

// GoString covers %#v, which bypasses String.
func (s Secret) GoString() string { return s.String() }

// Format covers every other verb: without it %d or %x on a struct holding a
// string would print the raw bytes.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// MarshalJSON keeps secrets out of any JSON that embeds settings (health
// details, debug dumps).
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText covers encoders that prefer text over JSON.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue covers structured loggers built on log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// SecretSettings are the decrypted secureJsonData fields of the datasource.
// It is a separate type from PluginSettings so that secrets never travel with
// the plain settings that are safe to show.
type SecretSettings struct {
	SidecarToken          Secret
	PrometheusPassword    Secret
	PrometheusBearerToken Secret
	TLSCACert             Secret
}

// Secure JSON keys as stored by Grafana; the config editor writes the same keys.
const (
	KeySidecarToken          = "sidecarToken"
	KeyPrometheusPassword    = "prometheusPassword"
	KeyPrometheusBearerToken = "prometheusBearerToken"
	KeyTLSCACert             = "tlsCACert"
)

// LoadSecretSettings reads the decrypted secure JSON data. Unknown keys are
// ignored so that older backends accept settings saved by newer editors.
func LoadSecretSettings(decrypted map[string]string) SecretSettings {
	return SecretSettings{
		SidecarToken:          NewSecret(decrypted[KeySidecarToken]),
		PrometheusPassword:    NewSecret(decrypted[KeyPrometheusPassword]),
		PrometheusBearerToken: NewSecret(decrypted[KeyPrometheusBearerToken]),
		TLSCACert:             NewSecret(decrypted[KeyTLSCACert]),
	}
}

func (s SecretSettings) fields() map[string]Secret {
	return map[string]Secret{
		KeySidecarToken:          s.SidecarToken,
		KeyPrometheusPassword:    s.PrometheusPassword,
		KeyPrometheusBearerToken: s.PrometheusBearerToken,
		KeyTLSCACert:             s.TLSCACert,
	}
}

// Configured lists the keys that hold a value, sorted; useful for diagnostics
// because it tells what is set without telling what it is.
func (s SecretSettings) Configured() []string {
	var keys []string
	for k, v := range s.fields() {
		if v.IsSet() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (s SecretSettings) String() string {
	return "SecretSettings{configured: [" + strings.Join(s.Configured(), " ") + "]}"
}

// GoString covers %#v.
func (s SecretSettings) GoString() string { return s.String() }

// Format stops fmt from walking into the fields with verbs like %d.
func (s SecretSettings) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// MarshalJSON reports which secrets are configured, never their values.
func (s SecretSettings) MarshalJSON() ([]byte, error) {
	out := map[string]string{}
	for _, k := range s.Configured() {
		out[k] = redacted
	}
	return json.Marshal(out)
}

// LogValue covers structured loggers built on log/slog.
func (s SecretSettings) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Scrub replaces every configured secret in text, including the encoded
// forms that travel in Authorization headers. Upstream error bodies are shown
// to users; a misconfigured proxy that echoes request headers must not turn
// them into a leak.
func (s SecretSettings) Scrub(text string, basicUser string) string {
	if text == "" {
		return text
	}
	var needles []string
	for _, v := range s.fields() {
		if v.IsSet() {
			needles = append(needles, v.value)
		}
	}
	if s.PrometheusPassword.IsSet() {
		needles = append(needles, base64.StdEncoding.EncodeToString([]byte(basicUser+":"+s.PrometheusPassword.value)))
	}
	// Longest first so that a secret containing another is replaced whole.
	sort.Slice(needles, func(i, j int) bool { return len(needles[i]) > len(needles[j]) })
	for _, n := range needles {
		text = strings.ReplaceAll(text, n, redacted)
	}
	return text
}
