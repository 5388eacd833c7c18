package plugin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// wireFrame is Grafana's data-frame JSON as the sidecar writes it: fields
// typed only by their Grafana type (time, number, string, boolean, other),
// without the Go type hints that the SDK's own decoder requires.
type wireFrame struct {
	Schema struct {
		Name   string          `json:"name"`
		RefID  string          `json:"refId"`
		Meta   *data.FrameMeta `json:"meta"`
		Fields []wireField     `json:"fields"`
	} `json:"schema"`
	Data struct {
		Values []json.RawMessage `json:"values"`
	} `json:"data"`
}

type wireField struct {
	Name   string            `json:"name"`
	Type   string            `json:"type"`
	Config *data.FieldConfig `json:"config"`
	Labels data.Labels       `json:"labels"`
}

// decodeWireFrames turns the sidecar's frames into SDK frames. Every field
// becomes nullable, since the wire format allows null anywhere; callers that
// need stricter shapes (time series for alerting) convert afterwards.
func decodeWireFrames(raw []json.RawMessage) (data.Frames, error) {
	frames := make(data.Frames, 0, len(raw))
	for i, r := range raw {
		var wf wireFrame
		if err := json.Unmarshal(r, &wf); err != nil {
			return nil, fmt.Errorf("frame %d is not data-frame JSON (%v)", i, err)
		}
		f, err := wf.toFrame()
		if err != nil {
			name := wf.Schema.Name
			if name == "" {
				name = fmt.Sprintf("%d", i)
			}
			return nil, fmt.Errorf("frame %q: %w", name, err)
		}
		frames = append(frames, f)
	}
	return frames, nil
}

func (wf *wireFrame) toFrame() (*data.Frame, error) {
	fields := wf.Schema.Fields
	values := wf.Data.Values
	if len(values) != 0 && len(values) != len(fields) {
		return nil, fmt.Errorf("the schema has %d fields but data has %d value arrays", len(fields), len(values))
	}
	f := data.NewFrame(wf.Schema.Name)
	f.RefID = wf.Schema.RefID
	f.Meta = wf.Schema.Meta
	rows := -1
	for i, wfld := range fields {
		var column json.RawMessage
		if len(values) > 0 {
			column = values[i]
		}
		field, err := decodeWireField(wfld, column)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", wfld.Name, err)
		}
		if rows >= 0 && field.Len() != rows {
			return nil, fmt.Errorf("field %q has %d values but the fields before it have %d", wfld.Name, field.Len(), rows)
		}
		rows = field.Len()
		f.Fields = append(f.Fields, field)
	}
	return f, nil
}

func decodeWireField(wf wireField, column json.RawMessage) (*data.Field, error) {
	if len(bytes.TrimSpace(column)) == 0 {
		column = json.RawMessage("[]")
	}
	var field *data.Field
	switch wf.Type {
	case "time":
		var ms []*float64
		if err := json.Unmarshal(column, &ms); err != nil {
			return nil, fmt.Errorf("time values must be epoch milliseconds (%v)", err)
		}
		times := make([]*time.Time, len(ms))
		for i, m := range ms {
			if m != nil {
				// Whole milliseconds and the fraction apart: epoch
				// nanoseconds exceed what a float64 holds exactly.
				whole := math.Floor(*m)
				t := time.UnixMilli(int64(whole)).Add(time.Duration(math.Round((*m - whole) * 1e6))).UTC()
				times[i] = &t
			}
		}
		field = data.NewField(wf.Name, wf.Labels, times)
	case "number":
		var nums []*float64
		if err := json.Unmarshal(column, &nums); err != nil {
			return nil, fmt.Errorf("number values must be numbers or null (%v)", err)
		}
		field = data.NewField(wf.Name, wf.Labels, nums)
	case "string":
		var strs []*string
		if err := json.Unmarshal(column, &strs); err != nil {
			return nil, fmt.Errorf("string values must be strings or null (%v)", err)
		}
		field = data.NewField(wf.Name, wf.Labels, strs)
	case "boolean":
		var bools []*bool
		if err := json.Unmarshal(column, &bools); err != nil {
			return nil, fmt.Errorf("boolean values must be true, false or null (%v)", err)
		}
		field = data.NewField(wf.Name, wf.Labels, bools)
	case "other":
		var items []json.RawMessage
		if err := json.Unmarshal(column, &items); err != nil {
			return nil, fmt.Errorf("values must be an array (%v)", err)
		}
		out := make([]*json.RawMessage, len(items))
		for i, it := range items {
			if !bytes.Equal(bytes.TrimSpace(it), []byte("null")) {
				v := it
				out[i] = &v
			}
		}
		field = data.NewField(wf.Name, wf.Labels, out)
	default:
		return nil, fmt.Errorf("type %q is not one of time, number, string, boolean, other", wf.Type)
	}
	field.Config = wf.Config
	return field, nil
}

// requireFields checks that a frame has the named fields; docs/frames.md
// is the contract both sides follow, and a missing field means the sidecar
// and this plugin disagree on it.
func requireFields(f *data.Frame, names ...string) string {
	var missing []string
	for _, n := range names {
		if _, idx := f.FieldByName(n); idx < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("has a %q frame without the fields %v", f.Name, missing)
}

// frameNamed finds a frame by name.
func frameNamed(frames data.Frames, name string) *data.Frame {
	for _, f := range frames {
		if f.Name == name {
			return f
		}
	}
	return nil
}
