import pytest

from seismo_training.manifest.json_schema import SchemaError, Validator

SCHEMA = {
    "type": "object",
    "required": ["n", "shape"],
    "additionalProperties": False,
    "properties": {
        "n": {"type": "integer", "minimum": 1},
        "shape": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/$defs/dim"}},
        "when": {"type": "string", "format": "date-time"},
        "maybe": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^[a-z]+$"}]},
        "map": {"type": "object", "additionalProperties": {"type": "number", "exclusiveMinimum": 0}},
    },
    "$defs": {"dim": {"type": "integer", "minimum": -1}},
}


def test_valid_document_has_no_errors():
    doc = {"n": 2, "shape": [-1, 3], "when": "2024-01-01T00:00:00Z", "maybe": None, "map": {"a": 0.5}}
    assert Validator(SCHEMA).errors(doc) == []


@pytest.mark.parametrize("doc, fragment", [
    ({"shape": [1, 2]}, "missing required property 'n'"),
    ({"n": True, "shape": [1, 2]}, "$.n: expected integer, got bool"),
    ({"n": 0, "shape": [1, 2]}, "below the minimum"),
    ({"n": 1, "shape": [1]}, "needs at least 2 items"),
    ({"n": 1, "shape": [1, -2]}, "$.shape[1]: -2 is below the minimum -1"),
    ({"n": 1, "shape": [1, 2], "extra": 1}, "unexpected property 'extra'"),
    ({"n": 1, "shape": [1, 2], "when": "yesterday"}, "not an RFC 3339 date-time"),
    ({"n": 1, "shape": [1, 2], "maybe": "ABC"}, "must match exactly one alternative"),
    ({"n": 1, "shape": [1, 2], "map": {"a": 0}}, "$.map.a: 0 must be greater than 0"),
])
def test_each_violation_is_reported_with_its_path(doc, fragment):
    errors = Validator(SCHEMA).errors(doc)
    assert any(fragment in e for e in errors), errors


def test_unsupported_keywords_are_refused_not_ignored():
    with pytest.raises(SchemaError, match="uniqueItems"):
        Validator({"type": "array", "uniqueItems": True}).errors([1, 1])
