"""Guarding the published event schemas against breaking changes.

Every event type's JSON Schema is checked into ``libs/contracts/schemas/``. A change
is compatible when every consumer written against the published schema still
reads the new events, and every new consumer still reads events already in
queues and archives: no field removed, no field's type changed, no new required
field. Adding an optional field is fine; a breaking change needs a new type
version (``.v2``) published beside the old one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crm_contracts.events import EVENT_TYPES

Schema = dict[str, Any]


def current_schemas() -> dict[str, Schema]:
    return {
        name: model.model_json_schema(mode="serialization")
        for name, model in sorted(EVENT_TYPES.items())
    }


def _resolve(schema: Schema, root: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: Schema = root["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return schema


def _shape(schema: Schema, root: Schema) -> Any:
    """A comparable summary of a field's type, ignoring titles, defaults and docs."""
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return sorted((_shape(option, root) for option in schema["anyOf"]), key=repr)
    if schema.get("type") == "object" and "properties" in schema:
        return {name: _shape(sub, root) for name, sub in schema["properties"].items()}
    if schema.get("type") == "array":
        return ["array", _shape(schema.get("items", {}), root)]
    return [schema.get("type"), schema.get("format")]


def breaking_changes(published: Schema, current: Schema) -> list[str]:
    """What would break a consumer if ``published`` were replaced by ``current``."""
    problems = []
    old_fields = published.get("properties", {})
    new_fields = current.get("properties", {})
    for name, old in old_fields.items():
        if name not in new_fields:
            problems.append(f"field {name!r} removed")
        elif _shape(old, published) != _shape(new_fields[name], current):
            problems.append(f"field {name!r} changed type")
    newly_required = set(current.get("required", [])) - set(published.get("required", []))
    for name in sorted(newly_required):
        problems.append(f"field {name!r} became required")
    return problems


def load_published(folder: Path) -> dict[str, Schema]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def write_published(folder: Path) -> list[str]:
    """Write the schema of every event type that is not published yet; returns their names.

    Published schemas are never overwritten: changing one is what the check forbids.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in current_schemas().items():
        path = folder / f"{name}.json"
        if not path.exists():
            path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
            written.append(name)
    return written
