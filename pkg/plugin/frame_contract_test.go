package plugin

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Checks of frames against docs/frames.md, in the terms the document uses:
// Grafana's data-frame JSON types (time, number, string, boolean, other),
// field names, labels and metadata.

// wireType is a field's type as Grafana's data-frame JSON names it.
func wireType(f *data.Field) string {
	ft := f.Type()
	switch {
	case ft.Time():
		return "time"
	case ft.Numeric():
		return "number"
	case ft == data.FieldTypeString || ft == data.FieldTypeNullableString:
		return "string"
	case ft == data.FieldTypeBool || ft == data.FieldTypeNullableBool:
		return "boolean"
	case ft.JSON():
		return "other"
	}
	return ft.ItemTypeString()
}

// column is one documented field: its name and data-frame JSON type.
type column struct{ name, typ string }

// columns reads "name:type" pairs.
func columns(specs ...string) []column {
	out := make([]column, len(specs))
	for i, s := range specs {
		name, typ, ok := strings.Cut(s, ":")
		if !ok {
			panic("column spec without a type: " + s)
		}
		out[i] = column{name, typ}
	}
	return out
}

// requireColumns checks that a frame has every documented field with its
// type; fields the document does not list are allowed (panels ignore them).
func requireColumns(t *testing.T, f *data.Frame, want []column) {
	t.Helper()
	for _, c := range want {
		field, idx := f.FieldByName(c.name)
		if !assert.GreaterOrEqualf(t, idx, 0, "frame %q has no field %q (fields: %s)", f.Name, c.name, fieldNames(f)) {
			continue
		}
		assert.Equalf(t, c.typ, wireType(field), "frame %q, field %q", f.Name, c.name)
	}
}

func fieldNames(f *data.Frame) string {
	names := make([]string, len(f.Fields))
	for i, fld := range f.Fields {
		names[i] = fld.Name
	}
	return strings.Join(names, ", ")
}

// labelKeys lists a field's label names, sorted.
func labelKeys(f *data.Field) []string {
	keys := make([]string, 0, len(f.Labels))
	for k := range f.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// seriesSpec is one documented time-series frame: the value field's name,
// its label names and its unit ("" when the document names none).
type seriesSpec struct {
	value  string
	labels []string
	unit   string
}

// requireSeries checks the "timeseries-multi" shape every numeric query
// type returns: Time and the value field, labelled as documented, typed for
// Grafana's dataplane reader; it returns the value field.
func requireSeries(t *testing.T, f *data.Frame, spec seriesSpec) *data.Field {
	t.Helper()
	require.NotNilf(t, f.Meta, "frame %q has no meta", f.Name)
	assert.Equalf(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type, "frame %q type", f.Name)
	assert.Equalf(t, data.FrameTypeVersion{0, 1}, f.Meta.TypeVersion, "frame %q type version", f.Name)
	require.GreaterOrEqualf(t, len(f.Fields), 2, "frame %q needs Time and %s", f.Name, spec.value)
	assert.Equalf(t, data.TimeSeriesTimeFieldName, f.Fields[0].Name, "frame %q: the first field is Time", f.Name)
	assert.Equalf(t, "time", wireType(f.Fields[0]), "frame %q: Time is a time field", f.Name)
	value, idx := f.FieldByName(spec.value)
	require.GreaterOrEqualf(t, idx, 0, "frame %q has no field %q (fields: %s)", f.Name, spec.value, fieldNames(f))
	assert.Equalf(t, "number", wireType(value), "frame %q, field %q", f.Name, spec.value)
	assert.ElementsMatchf(t, spec.labels, labelKeys(value), "labels of %q in frame %q", spec.value, f.Name)
	if spec.unit != "" {
		require.NotNilf(t, value.Config, "frame %q, field %q has no config", f.Name, spec.value)
		assert.Equalf(t, spec.unit, value.Config.Unit, "unit of %q in frame %q", spec.value, f.Name)
	}
	return value
}

// numbers returns the non-null values of a number field.
func numbers(t *testing.T, f *data.Field) []float64 {
	t.Helper()
	var out []float64
	for i := range f.Len() {
		v, err := f.NullableFloatAt(i)
		require.NoError(t, err)
		if v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// stringsOf returns a string field's values, nulls as "".
func stringsOf(f *data.Field) []string {
	out := make([]string, f.Len())
	for i := range out {
		switch v := f.At(i).(type) {
		case string:
			out[i] = v
		case *string:
			if v != nil {
				out[i] = *v
			}
		}
	}
	return out
}

// fieldOf returns a frame's field by name or fails.
func fieldOf(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	field, idx := f.FieldByName(name)
	require.GreaterOrEqualf(t, idx, 0, "frame %q has no field %q (fields: %s)", f.Name, name, fieldNames(f))
	return field
}

// isNoData tells the dataplane's "no data" answer: one typed frame without fields.
func isNoData(frames data.Frames) bool {
	return len(frames) == 1 && len(frames[0].Fields) == 0
}

// requireNoData checks a "no data" answer and that its notice says why.
func requireNoData(t *testing.T, frames data.Frames, noticeContains string) {
	t.Helper()
	require.Truef(t, isNoData(frames), "expected the no-data answer, got %d frame(s)", len(frames))
	require.NotNil(t, frames[0].Meta)
	var texts []string
	for _, n := range frames[0].Meta.Notices {
		texts = append(texts, n.Text)
	}
	assert.Contains(t, strings.Join(texts, "\n"), noticeContains)
}

// requireArrow encodes frames as Grafana's server receives them from a
// backend plugin and decodes them again; a frame that cannot cross that
// boundary never reaches a panel or an alert rule.
func requireArrow(t *testing.T, frames data.Frames) {
	t.Helper()
	encoded, err := frames.MarshalArrow()
	require.NoError(t, err)
	decoded, err := data.UnmarshalArrowFrames(encoded)
	require.NoError(t, err)
	require.Len(t, decoded, len(frames))
	for i, f := range frames {
		require.Equalf(t, len(f.Fields), len(decoded[i].Fields), "frame %q after Arrow", f.Name)
		assert.Equalf(t, f.Rows(), decoded[i].Rows(), "rows of frame %q after Arrow", f.Name)
	}
}

// customMap reads a frame's meta.custom as JSON, the way the browser gets it.
func customMap(t *testing.T, f *data.Frame) map[string]any {
	t.Helper()
	require.NotNilf(t, f.Meta, "frame %q has no meta", f.Name)
	require.NotNilf(t, f.Meta.Custom, "frame %q has no meta.custom", f.Name)
	raw, err := json.Marshal(f.Meta.Custom)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// requireKeys checks that a JSON object has the named keys.
func requireKeys(t *testing.T, what string, obj map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, ok := obj[k]
		assert.Truef(t, ok, "%s lacks %q (has %s)", what, k, strings.Join(sortedKeys(obj), ", "))
	}
}

func sortedKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// requireOneOf checks that every value is one of the allowed ones.
func requireOneOf(t *testing.T, what string, values []string, allowed ...string) {
	t.Helper()
	for _, v := range values {
		assert.Truef(t, slices.Contains(allowed, v), "%s %q is not one of %v", what, v, allowed)
	}
}

// times returns a time field's non-null values.
func times(f *data.Field) []time.Time {
	var out []time.Time
	for i := range f.Len() {
		switch v := f.At(i).(type) {
		case time.Time:
			out = append(out, v)
		case *time.Time:
			if v != nil {
				out = append(out, *v)
			}
		}
	}
	return out
}

func frameNames(frames data.Frames) string {
	names := make([]string, len(frames))
	for i, f := range frames {
		names[i] = fmt.Sprintf("%q", f.Name)
	}
	return strings.Join(names, ", ")
}

// notices lists the notices of every frame, to explain an unexpected answer.
func notices(frames data.Frames) string {
	var texts []string
	for _, f := range frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			texts = append(texts, n.Text)
		}
	}
	return "notices: " + strings.Join(texts, " | ")
}
