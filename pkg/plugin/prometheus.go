package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	jsoniter "github.com/json-iterator/go"
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
	if err := jsoniter.ConfigCompatibleWithStandardLibrary.Unmarshal(r.body, &env); err != nil || env.Status == "" {
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
	out, err := decodeMatrix(res.data)
	if err != nil {
		var se *sampleError
		if errors.As(err, &se) {
			return nil, nil, u.malformed(se.what, se.err)
		}
		return nil, nil, u.malformed("the query_range data", err)
	}
	sort.Slice(out, func(i, j int) bool { return labelKey(out[i].labels) < labelKey(out[j].labels) })
	return out, res, nil
}

// sampleError says which part of a sample could not be read.
type sampleError struct {
	what string
	err  error
}

func (e *sampleError) Error() string { return e.what + ": " + e.err.Error() }

// decodeMatrix reads the data of a range query with a streaming parser:
// encoding/json's reflection costs about a microsecond per sample, which
// dominated a dashboard refresh (BenchmarkQueryDataDashboard).
func decodeMatrix(data []byte) ([]promSeries, error) {
	iter := jsoniter.ConfigDefault.BorrowIterator(data)
	defer jsoniter.ConfigDefault.ReturnIterator(iter)
	var (
		resultType string
		out        []promSeries
	)
	for field := iter.ReadObject(); field != ""; field = iter.ReadObject() {
		switch field {
		case "resultType":
			resultType = iter.ReadString()
		case "result":
			if iter.WhatIsNext() != jsoniter.ArrayValue {
				return nil, fmt.Errorf("result is not an array")
			}
			for iter.ReadArray() {
				s, err := decodeMatrixSeries(iter)
				if err != nil {
					return nil, err
				}
				out = append(out, s)
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			break
		}
	}
	if iter.Error != nil && !errors.Is(iter.Error, io.EOF) {
		return nil, fmt.Errorf("%s", iter.Error.Error())
	}
	if resultType != "matrix" {
		return nil, fmt.Errorf("resultType is %q, expected matrix", resultType)
	}
	if out == nil {
		out = []promSeries{}
	}
	return out, nil
}

func decodeMatrixSeries(iter *jsoniter.Iterator) (promSeries, error) {
	s := promSeries{labels: map[string]string{}}
	for field := iter.ReadObject(); field != ""; field = iter.ReadObject() {
		switch field {
		case "metric":
			for k := iter.ReadObject(); k != ""; k = iter.ReadObject() {
				s.labels[k] = iter.ReadString()
			}
		case "values":
			for iter.ReadArray() {
				t, v, err := decodeSample(iter)
				if err != nil {
					return s, err
				}
				s.times = append(s.times, t)
				s.values = append(s.values, v)
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			return s, iter.Error
		}
	}
	return s, iter.Error
}

// decodeSample reads one [unix seconds, "value"] pair; Prometheus sends
// values as strings so that NaN and ±Inf survive JSON.
func decodeSample(iter *jsoniter.Iterator) (time.Time, float64, error) {
	if !iter.ReadArray() {
		return time.Time{}, 0, &sampleError{what: "a sample", err: fmt.Errorf("a sample is not a [time, value] pair")}
	}
	if iter.WhatIsNext() != jsoniter.NumberValue {
		return time.Time{}, 0, &sampleError{what: "a sample timestamp", err: fmt.Errorf("timestamp %s is not a number", iter.SkipAndReturnBytes())}
	}
	ts := iter.ReadFloat64()
	if !iter.ReadArray() || iter.WhatIsNext() != jsoniter.StringValue {
		return time.Time{}, 0, &sampleError{what: "a sample value", err: fmt.Errorf("value %s is not a string", iter.SkipAndReturnBytes())}
	}
	text := iter.ReadString()
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return time.Time{}, 0, &sampleError{what: "a sample value", err: fmt.Errorf("value %q is not a number", text)}
	}
	if iter.ReadArray() {
		return time.Time{}, 0, &sampleError{what: "a sample", err: fmt.Errorf("a sample has more than a time and a value")}
	}
	return time.UnixMilli(int64(math.Round(ts * 1000))).UTC(), v, nil
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
