"""The AsyncAPI 3.0 document of every domain event, generated from the contracts."""

from __future__ import annotations

from typing import Any

from crm_contracts.compatibility import current_schemas

ENVELOPE_HEADERS = {
    "type": "object",
    "description": "AMQP headers; the CloudEvents envelope travels in the body.",
    "properties": {"traceparent": {"type": "string", "description": "W3C trace context"}},
}


def _message_name(event_type: str) -> str:
    return event_type.removeprefix("crm.").replace(".", "_")


def asyncapi_document(exchange: str = "crm.events") -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event_type, schema in current_schemas().items():
        name = _message_name(event_type)
        service = event_type.split(".")[1]
        messages[name] = {
            "name": event_type,
            "title": schema.get("title", name),
            "summary": (schema.get("description") or "").strip() or None,
            "contentType": "application/cloudevents+json",
            "headers": ENVELOPE_HEADERS,
            "payload": {
                "type": "object",
                "required": ["specversion", "id", "source", "type", "time", "data"],
                "properties": {
                    "specversion": {"const": "1.0"},
                    "id": {"type": "string"},
                    "source": {"type": "string"},
                    "type": {"const": event_type},
                    "subject": {"type": "string"},
                    "time": {"type": "string", "format": "date-time"},
                    "traceparent": {"type": "string"},
                    "data": schema,
                },
            },
        }
        channels[name] = {
            "address": event_type,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": exchange, "type": "topic", "durable": True},
                }
            },
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "summary": f"Published by the {service} service.",
        }
    for message in messages.values():
        if message["summary"] is None:
            del message["summary"]
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "CRM domain events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 over one durable RabbitMQ topic exchange; "
            "the routing key is the event type.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
