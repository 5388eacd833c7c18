package models

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func selfSignedPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "seismo test CA"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IsCA:         true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestLoadPluginSettingsValid(t *testing.T) {
	caPEM := selfSignedPEM(t)
	tests := []struct {
		name   string
		json   string
		secure map[string]string
		check  func(t *testing.T, s *PluginSettings)
	}{
		{
			name: "minimal settings get defaults",
			json: `{"prometheusUrl":"http://prometheus:9090"}`,
			check: func(t *testing.T, s *PluginSettings) {
				assert.Equal(t, "http://prometheus:9090", s.PrometheusURL)
				assert.Equal(t, "", s.SidecarURL)
				assert.Equal(t, AuthNone, s.PrometheusAuth)
				assert.Equal(t, 30*time.Second, s.Timeout)
				assert.False(t, s.TLSSkipVerify)
			},
		},
		{
			name: "trailing slash and spaces are trimmed, path prefix kept",
			json: `{"prometheusUrl":"  https://mimir.example.com/prometheus/ ","sidecarUrl":"http://seismo-sidecar:8080/"}`,
			check: func(t *testing.T, s *PluginSettings) {
				assert.Equal(t, "https://mimir.example.com/prometheus", s.PrometheusURL)
				assert.Equal(t, "http://seismo-sidecar:8080", s.SidecarURL)
			},
		},
		{
			name:   "basic auth",
			json:   `{"prometheusUrl":"http://p:9090","prometheusAuth":"basic","prometheusUser":"grafana"}`,
			secure: map[string]string{"prometheusPassword": "pa ss"},
			check: func(t *testing.T, s *PluginSettings) {
				assert.Equal(t, AuthBasic, s.PrometheusAuth)
				assert.Equal(t, "grafana", s.PrometheusUser)
				// Passwords are taken verbatim: spaces may be part of them.
				assert.Equal(t, "pa ss", s.Secrets.PrometheusPassword.Reveal())
			},
		},
		{
			name:   "bearer auth, case-insensitive, pasted newline trimmed",
			json:   `{"prometheusUrl":"http://p:9090","prometheusAuth":"Bearer"}`,
			secure: map[string]string{"prometheusBearerToken": "tok123\n", "sidecarToken": " side456 "},
			check: func(t *testing.T, s *PluginSettings) {
				assert.Equal(t, AuthBearer, s.PrometheusAuth)
				assert.Equal(t, "tok123", s.Secrets.PrometheusBearerToken.Reveal())
				assert.Equal(t, "side456", s.Secrets.SidecarToken.Reveal())
			},
		},
		{
			name:   "TLS options",
			json:   `{"prometheusUrl":"https://p:9090","tlsSkipVerify":true}`,
			secure: map[string]string{"tlsCACert": caPEM},
			check: func(t *testing.T, s *PluginSettings) {
				assert.True(t, s.TLSSkipVerify)
				assert.True(t, s.Secrets.TLSCACert.IsSet())
			},
		},
		{
			name:  "timeout as number",
			json:  `{"prometheusUrl":"http://p:9090","timeoutSeconds":5}`,
			check: func(t *testing.T, s *PluginSettings) { assert.Equal(t, 5*time.Second, s.Timeout) },
		},
		{
			name:  "timeout as string from a form input",
			json:  `{"prometheusUrl":"http://p:9090","timeoutSeconds":"120"}`,
			check: func(t *testing.T, s *PluginSettings) { assert.Equal(t, 120*time.Second, s.Timeout) },
		},
		{
			name:  "empty timeout means default",
			json:  `{"prometheusUrl":"http://p:9090","timeoutSeconds":""}`,
			check: func(t *testing.T, s *PluginSettings) { assert.Equal(t, 30*time.Second, s.Timeout) },
		},
		{
			name: "unknown keys are ignored",
			json: `{"prometheusUrl":"http://p:9090","somethingNewer":{"x":1}}`,
			check: func(t *testing.T, s *PluginSettings) {
				assert.Equal(t, "http://p:9090", s.PrometheusURL)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadPluginSettings(backend.DataSourceInstanceSettings{
				JSONData: []byte(tc.json), DecryptedSecureJSONData: tc.secure,
			})
			require.NoError(t, err)
			tc.check(t, s)
		})
	}
}

func TestLoadPluginSettingsInvalid(t *testing.T) {
	tests := []struct {
		name   string
		url    string // top-level datasource URL
		json   string
		secure map[string]string
		// want maps field name to a fragment of its message.
		want map[string]string
		// mustNotContain guards against echoing secrets in messages.
		mustNotContain []string
	}{
		{
			name: "missing prometheusUrl",
			json: `{}`,
			want: map[string]string{"prometheusUrl": "required; enter the base URL of Prometheus"},
		},
		{
			name: "prometheusUrl given in the top-level url field only",
			url:  "http://prometheus:9090",
			json: `{}`,
			want: map[string]string{"prometheusUrl": "top-level url field is not used"},
		},
		{
			name: "scheme missing",
			json: `{"prometheusUrl":"localhost:9090"}`,
			want: map[string]string{"prometheusUrl": `"localhost:9090" is not an absolute http(s) URL; use e.g. http://prometheus:9090`},
		},
		{
			name: "unsupported scheme",
			json: `{"prometheusUrl":"ftp://prometheus:9090"}`,
			want: map[string]string{"prometheusUrl": "is not an absolute http(s) URL"},
		},
		{
			name:           "credentials in URL are refused without echoing them",
			json:           `{"prometheusUrl":"http://admin:hunter22@prometheus:9090","sidecarUrl":"admin:hunter22@sidecar:8080"}`,
			want:           map[string]string{"prometheusUrl": "must not contain credentials", "sidecarUrl": "must not contain credentials"},
			mustNotContain: []string{"hunter22"},
		},
		{
			name: "API path instead of base URL",
			json: `{"prometheusUrl":"http://prometheus:9090/api/v1/"}`,
			want: map[string]string{"prometheusUrl": "ends in /api/v1; give only the base URL, e.g. http://prometheus:9090"},
		},
		{
			name: "query string",
			json: `{"prometheusUrl":"http://prometheus:9090/?x=1"}`,
			want: map[string]string{"prometheusUrl": "has a query or fragment"},
		},
		{
			name: "bad sidecar URL",
			json: `{"prometheusUrl":"http://p:9090","sidecarUrl":"seismo-sidecar"}`,
			want: map[string]string{"sidecarUrl": "use e.g. http://seismo-sidecar:8080"},
		},
		{
			name: "unknown auth",
			json: `{"prometheusUrl":"http://p:9090","prometheusAuth":"oauth"}`,
			want: map[string]string{"prometheusAuth": `"oauth" is not supported; use one of none, basic, bearer`},
		},
		{
			name: "basic without user and password",
			json: `{"prometheusUrl":"http://p:9090","prometheusAuth":"basic"}`,
			want: map[string]string{
				"prometheusUser":     `required when prometheusAuth is "basic"`,
				"prometheusPassword": `required when prometheusAuth is "basic"`,
			},
		},
		{
			name: "bearer without token",
			json: `{"prometheusUrl":"http://p:9090","prometheusAuth":"bearer"}`,
			want: map[string]string{"prometheusBearerToken": `required when prometheusAuth is "bearer"`},
		},
		{
			name:           "bearer token pasted with its prefix",
			json:           `{"prometheusUrl":"http://p:9090","prometheusAuth":"bearer"}`,
			secure:         map[string]string{"prometheusBearerToken": "Bearer s3cr3t-token"},
			want:           map[string]string{"prometheusBearerToken": `starts with "Bearer "; enter only the token`},
			mustNotContain: []string{"s3cr3t-token"},
		},
		{
			name:           "sidecar token with inner whitespace",
			json:           `{"prometheusUrl":"http://p:9090"}`,
			secure:         map[string]string{"sidecarToken": "abc def-sidecar-secret"},
			want:           map[string]string{"sidecarToken": "contains spaces or control characters"},
			mustNotContain: []string{"def-sidecar-secret"},
		},
		{
			name:           "CA certificate that is not PEM",
			json:           `{"prometheusUrl":"https://p:9090"}`,
			secure:         map[string]string{"tlsCACert": "not-a-cert-secret"},
			want:           map[string]string{"tlsCACert": "is not a PEM-encoded certificate"},
			mustNotContain: []string{"not-a-cert-secret"},
		},
		{
			name: "timeout out of range",
			json: `{"prometheusUrl":"http://p:9090","timeoutSeconds":0}`,
			want: map[string]string{"timeoutSeconds": "between 1 and 300"},
		},
		{
			name: "timeout not a number",
			json: `{"prometheusUrl":"http://p:9090","timeoutSeconds":"soon"}`,
			want: map[string]string{"timeoutSeconds": "soon is not a whole number of seconds"},
		},
		{
			name: "timeout fractional",
			json: `{"prometheusUrl":"http://p:9090","timeoutSeconds":1.5}`,
			want: map[string]string{"timeoutSeconds": "whole number"},
		},
		{
			name: "jsonData is not JSON",
			json: `{"prometheusUrl":`,
			want: map[string]string{"jsonData": "is not valid JSON"},
		},
		{
			name: "every problem is reported at once",
			json: `{"prometheusUrl":"prometheus","sidecarUrl":"sidecar","prometheusAuth":"bearer","timeoutSeconds":999}`,
			want: map[string]string{
				"prometheusUrl":         "not an absolute",
				"sidecarUrl":            "not an absolute",
				"prometheusBearerToken": "required",
				"timeoutSeconds":        "between 1 and 300",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadPluginSettings(backend.DataSourceInstanceSettings{
				URL: tc.url, JSONData: []byte(tc.json), DecryptedSecureJSONData: tc.secure,
			})
			require.Error(t, err)
			assert.Nil(t, s)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %T", err)

			got := map[string]string{}
			for _, p := range AsFieldErrors(err) {
				got[p.Field] = p.Message
			}
			assert.Len(t, got, len(tc.want), "problems: %v", got)
			for field, fragment := range tc.want {
				assert.Contains(t, got[field], fragment, "field %s", field)
				// The message names the field so the user knows where to look.
				assert.Contains(t, err.Error(), field+": ")
			}
			for _, secret := range tc.mustNotContain {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
}

func TestSecretsNeverFormatted(t *testing.T) {
	const token = "tok-9f8e7d6c"
	const password = "pw-1a2b3c4d"
	secrets := LoadSecretSettings(map[string]string{
		KeySidecarToken:       token,
		KeyPrometheusPassword: password,
	})
	settings := PluginSettings{PrometheusURL: "http://p:9090", Secrets: secrets}

	renderings := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		renderings["secrets "+verb] = sprintf(verb, secrets)
		renderings["settings "+verb] = sprintf(verb, settings)
		renderings["settings pointer "+verb] = sprintf(verb, &settings)
		renderings["one secret "+verb] = sprintf(verb, secrets.SidecarToken)
	}
	for name, v := range map[string]any{"secrets": secrets, "settings": settings, "secret": secrets.SidecarToken} {
		b, err := jsonMarshal(v)
		require.NoError(t, err)
		renderings["json "+name] = string(b)
	}
	renderings["String"] = secrets.String()
	renderings["GoString"] = secrets.GoString()
	renderings["LogValue"] = secrets.LogValue().String()

	for name, out := range renderings {
		for _, secret := range []string{token, password, hexOf(token), hexOf(password)} {
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(secret), "%s revealed a secret: %s", name, out)
		}
	}
	// What is configured stays visible; that is what users debug with.
	assert.Contains(t, secrets.String(), KeySidecarToken)
	assert.Contains(t, renderings["json secrets"], `"prometheusPassword":"[redacted]"`)
	assert.NotContains(t, renderings["json secrets"], KeyTLSCACert)
	// Reveal is the one deliberate way to the value.
	assert.Equal(t, token, secrets.SidecarToken.Reveal())
}

func TestScrub(t *testing.T) {
	secrets := LoadSecretSettings(map[string]string{
		KeyPrometheusPassword:    "pw-secret",
		KeyPrometheusBearerToken: "bearer-secret-long",
		KeySidecarToken:          "bearer-secret", // a prefix of another secret
	})
	basic := "Z3JhZmFuYTpwdy1zZWNyZXQ=" // base64("grafana:pw-secret")
	text := "echo: Authorization: Basic " + basic + " bearer-secret-long bearer-secret pw-secret"
	out := secrets.Scrub(text, "grafana")
	for _, s := range []string{"pw-secret", "bearer-secret", basic} {
		assert.NotContains(t, out, s)
	}
	assert.Equal(t, "echo: Authorization: Basic [redacted] [redacted] [redacted] [redacted]", out)
	assert.Equal(t, "nothing here", secrets.Scrub("nothing here", "grafana"))
}
