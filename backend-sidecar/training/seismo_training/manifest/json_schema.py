"""A small JSON Schema (2020-12) validator for the subset of keywords our schemas use.

Keywords outside the subset raise SchemaError instead of being ignored, so a schema edit
that relies on an unsupported keyword cannot silently weaken validation.
"""

from __future__ import annotations

import re
from datetime import datetime

_ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(Exception):
    """The schema itself uses something this validator does not implement."""


def _is_date_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


class Validator:
    def __init__(self, schema: dict):
        self.root = schema

    def errors(self, instance) -> list[str]:
        problems: list[str] = []
        self._check(self.root, instance, "$", problems)
        return problems

    def _resolve(self, ref: str) -> dict:
        if not ref.startswith("#/"):
            raise SchemaError(f"only local $ref supported, got {ref!r}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _check(self, schema: dict, value, path: str, out: list[str]) -> None:
        for keyword, arg in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            handler = getattr(self, "_kw_" + keyword.lstrip("$"), None)
            if handler is None:
                raise SchemaError(f"unsupported keyword {keyword!r} at {path}")
            handler(arg, value, path, out, schema)

    def _kw_ref(self, ref, value, path, out, _):
        self._check(self._resolve(ref), value, path, out)

    def _kw_type(self, types, value, path, out, _):
        names = [types] if isinstance(types, str) else types
        if not any(_TYPES[name](value) for name in names):
            out.append(f"{path}: expected {' or '.join(names)}, got {type(value).__name__}")

    def _kw_const(self, const, value, path, out, _):
        if value != const or type(value) is not type(const):
            out.append(f"{path}: must be {const!r}")

    def _kw_enum(self, options, value, path, out, _):
        if value not in options:
            out.append(f"{path}: {value!r} is not one of {options}")

    def _kw_required(self, names, value, path, out, _):
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    out.append(f"{path}: missing required property {name!r}")

    def _kw_properties(self, props, value, path, out, _):
        if isinstance(value, dict):
            for name, sub in props.items():
                if name in value:
                    self._check(sub, value[name], f"{path}.{name}", out)

    def _kw_additionalProperties(self, extra, value, path, out, schema):
        if not isinstance(value, dict):
            return
        known = set(schema.get("properties", {}))
        for name in value:
            if name in known:
                continue
            if extra is False:
                out.append(f"{path}: unexpected property {name!r}")
            elif isinstance(extra, dict):
                self._check(extra, value[name], f"{path}.{name}", out)

    def _kw_minProperties(self, n, value, path, out, _):
        if isinstance(value, dict) and len(value) < n:
            out.append(f"{path}: needs at least {n} properties")

    def _kw_items(self, sub, value, path, out, _):
        if isinstance(value, list):
            for i, item in enumerate(value):
                self._check(sub, item, f"{path}[{i}]", out)

    def _kw_minItems(self, n, value, path, out, _):
        if isinstance(value, list) and len(value) < n:
            out.append(f"{path}: needs at least {n} items, has {len(value)}")

    def _kw_maxItems(self, n, value, path, out, _):
        if isinstance(value, list) and len(value) > n:
            out.append(f"{path}: allows at most {n} items, has {len(value)}")

    def _number(self, value) -> bool:
        return _TYPES["number"](value)

    def _kw_minimum(self, bound, value, path, out, _):
        if self._number(value) and value < bound:
            out.append(f"{path}: {value} is below the minimum {bound}")

    def _kw_maximum(self, bound, value, path, out, _):
        if self._number(value) and value > bound:
            out.append(f"{path}: {value} is above the maximum {bound}")

    def _kw_exclusiveMinimum(self, bound, value, path, out, _):
        if self._number(value) and value <= bound:
            out.append(f"{path}: {value} must be greater than {bound}")

    def _kw_minLength(self, n, value, path, out, _):
        if isinstance(value, str) and len(value) < n:
            out.append(f"{path}: shorter than {n} characters")

    def _kw_pattern(self, pattern, value, path, out, _):
        if isinstance(value, str) and not re.search(pattern, value):
            out.append(f"{path}: {value!r} does not match {pattern!r}")

    def _kw_format(self, fmt, value, path, out, _):
        if fmt != "date-time":
            raise SchemaError(f"unsupported format {fmt!r} at {path}")
        if isinstance(value, str) and not _is_date_time(value):
            out.append(f"{path}: {value!r} is not an RFC 3339 date-time")

    def _kw_oneOf(self, options, value, path, out, _):
        results = [self._sub_errors(option, value, path) for option in options]
        passing = sum(1 for r in results if not r)
        if passing != 1:
            detail = "; ".join(r[0] for r in results if r) or "several alternatives match"
            out.append(f"{path}: must match exactly one alternative ({detail})")

    def _kw_anyOf(self, options, value, path, out, _):
        results = [self._sub_errors(option, value, path) for option in options]
        if all(results):
            out.append(f"{path}: matches no alternative ({'; '.join(r[0] for r in results)})")

    def _sub_errors(self, schema, value, path) -> list[str]:
        problems: list[str] = []
        self._check(schema, value, path, problems)
        return problems
