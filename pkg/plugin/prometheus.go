package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// promEnvelope is the response wrapper of the Prometheus HTTP API, which
// Mimir and Thanos serve as well.
type promEnvelope struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Warnings  []string        `json:"warnings"`
	Infos     []string        `json:"infos"`
}

type promResult struct {
	data     json.RawMessage
	warnings []string
	infos    []string
}

// promGet calls one API endpoint and unwraps the envelope.
func (u *upstream) promGet(ctx context.Context, path string, params url.Values, maxBytes int64) (*promResult, error) {
	r, err := u.get(ctx, path, params, maxBytes)
	if err != nil {
		return nil, err
	}
	if r.status == 401 || r.status == 403 {
		return nil, u.httpError(r)
	}
	var env promEnvelope
	if err := json.Unmarshal(r.body, &env); err != nil || env.Status == "" {
		// Error pages from proxies and load balancers are rarely JSON; for
		// those the status code is the useful part.
		if r.status >= 500 {
			return nil, u.httpError(r)
		}
		return nil, u.notJSON(r)
	}
	if env.Status != "success" {
		detail := u.scrub(env.Error)
		if detail == "" {
			detail = "no error message given"
		}
		return nil, &upstreamError{
			kind: kindAPI, upstream: u.name, baseURL: u.baseURL, status: r.status,
			apiErrorType: env.ErrorType, detail: detail,
		}
	}
	if r.status < 200 || r.status > 299 {
		return nil, u.httpError(r)
	}
	return &promResult{data: env.Data, warnings: env.Warnings, infos: env.Infos}, nil
}

// promSeries is one series of a range query.
type promSeries struct {
	labels map[string]string
	times  []time.Time
	values []float64
}

type promMatrixItem struct {
	Metric map[string]string    `json:"metric"`
	Values [][2]json.RawMessage `json:"values"`
}

type promQueryData struct {
	ResultType string          `json:"resultType"`
	Result     json.RawMessage `json:"result"`
}

// queryRange runs a range query; series come back sorted by labels so that
// frames are in a stable order.
func (u *upstream) queryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) ([]promSeries, *promResult, error) {
	params := url.Values{
		"query": {expr},
		"start": {formatPromTime(start)},
		"end":   {formatPromTime(end)},
		"step":  {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)},
	}
	res, err := u.promGet(ctx, "/api/v1/query_range", params, maxQueryBodyBytes)
	if err != nil {
		return nil, nil, err
	}
	var qd promQueryData
	if err := json.Unmarshal(res.data, &qd); err != nil {
		return nil, nil, u.malformed("the query_range data", err)
	}
	if qd.ResultType != "matrix" {
		return nil, nil, u.malformed("the query_range data", fmt.Errorf("resultType is %q, expected matrix", qd.ResultType))
	}
	var items []promMatrixItem
	if err := json.Unmarshal(qd.Result, &items); err != nil {
		return nil, nil, u.malformed("the query_range result", err)
	}
	out := make([]promSeries, 0, len(items))
	for _, it := range items {
		s := promSeries{
			labels: it.Metric,
			times:  make([]time.Time, 0, len(it.Values)),
			values: make([]float64, 0, len(it.Values)),
		}
		for _, pair := range it.Values {
			ts, err := parsePromTimestamp(pair[0])
			if err != nil {
				return nil, nil, u.malformed("a sample timestamp", err)
			}
			v, err := parsePromValue(pair[1])
			if err != nil {
				return nil, nil, u.malformed("a sample value", err)
			}
			s.times = append(s.times, ts)
			s.values = append(s.values, v)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return labelKey(out[i].labels) < labelKey(out[j].labels) })
	return out, res, nil
}

// labelValues lists the values of one label over series matching match.
func (u *upstream) labelValues(ctx context.Context, label, match string, start, end time.Time) ([]string, error) {
	params := url.Values{
		"match[]": {match},
		"start":   {formatPromTime(start)},
		"end":     {formatPromTime(end)},
	}
	res, err := u.promGet(ctx, "/api/v1/label/"+url.PathEscape(label)+"/values", params, maxQueryBodyBytes)
	if err != nil {
		return nil, err
	}
	var values []string
	if err := json.Unmarshal(res.data, &values); err != nil {
		return nil, u.malformed("the label values", err)
	}
	sort.Strings(values)
	return values, nil
}

// series lists the label sets of series matching match.
func (u *upstream) series(ctx context.Context, match string, start, end time.Time) ([]map[string]string, error) {
	params := url.Values{
		"match[]": {match},
		"start":   {formatPromTime(start)},
		"end":     {formatPromTime(end)},
	}
	res, err := u.promGet(ctx, "/api/v1/series", params, maxQueryBodyBytes)
	if err != nil {
		return nil, err
	}
	var sets []map[string]string
	if err := json.Unmarshal(res.data, &sets); err != nil {
		return nil, u.malformed("the series list", err)
	}
	return sets, nil
}

type promBuildInfo struct {
	Version string `json:"version"`
}

func (u *upstream) buildInfo(ctx context.Context) (*promBuildInfo, error) {
	res, err := u.promGet(ctx, "/api/v1/status/buildinfo", nil, maxSmallBodyBytes)
	if err != nil {
		return nil, err
	}
	var bi promBuildInfo
	if err := json.Unmarshal(res.data, &bi); err != nil {
		return nil, u.malformed("the build info", err)
	}
	return &bi, nil
}

func (u *upstream) malformed(what string, err error) error {
	return &upstreamError{
		kind: kindHTTPStatus, upstream: u.name, baseURL: u.baseURL, status: 200,
		detail: fmt.Sprintf("%s could not be read (%s); is this a Prometheus-compatible API?", what, u.scrub(err.Error())),
	}
}

func formatPromTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

func parsePromTimestamp(raw json.RawMessage) (time.Time, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %s is not a number", raw)
	}
	return time.UnixMilli(int64(math.Round(f * 1000))).UTC(), nil
}

// parsePromValue reads a sample value; Prometheus sends them as strings so
// that NaN and ±Inf survive JSON.
func parsePromValue(raw json.RawMessage) (float64, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("value %s is not a string", raw)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("value %q is not a number", s)
	}
	return v, nil
}

func labelKey(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(l[k])
		b.WriteByte(0)
	}
	return b.String()
}
