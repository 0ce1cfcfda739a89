"""docker-compose.yml runs the whole platform (checked statically: no Docker engine here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_every_deployable_and_its_infrastructure_on_pinned_images() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    deployables = {
        "gateway",
        "customer",
        "sales",
        "marketing",
        "support",
        "analytics",
        "notifications",
    }
    infrastructure = {"mongodb", "rabbitmq", "redis", "mailpit", "jaeger", "prometheus"}
    assert set(services) == deployables | {"console"} | infrastructure
    for name, service in services.items():
        image = service["image"]
        assert ":" in image, name
        assert not image.endswith(":latest"), name
        if name in deployables:
            assert service["build"]["dockerfile"].endswith("Dockerfile")
            assert service["read_only"] is True
            assert service["cap_drop"] == ["ALL"]
            assert service["environment"]["CRM_HTTP_HOST"] == "0.0.0.0"
            assert {"mongodb", "rabbitmq"} <= set(service["depends_on"]), name
    assert "management" in services["rabbitmq"]["image"]
    gateway = services["gateway"]
    assert "redis" in gateway["depends_on"]
    assert gateway["environment"]["CRM_JWT_PRIVATE_KEY_FILE"].startswith("/run/secrets/")
    scraped = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    targets = scraped["scrape_configs"][0]["static_configs"][0]["targets"]
    assert {target.split(":")[0] for target in targets} == deployables


def test_the_console_and_the_api_share_one_published_origin() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    console = services["console"]
    assert console["build"] == {"context": "console", "dockerfile": "Dockerfile"}
    assert console["read_only"] is True
    assert console["cap_drop"] == ["ALL"]
    assert "/tmp" in console["tmpfs"]
    assert console["ports"] == ["8080:8080"]
    # The console's server proxies the API (tests/deploy/test_console_server.py runs it).
    (mount,) = console["volumes"]
    source, target, mode = mount.split(":")
    assert (ROOT / source).resolve() == ROOT / "console" / "deploy" / "gateway-proxy.conf"
    assert target == "/etc/crm-console/conf.d/gateway-proxy.conf"
    assert mode == "ro"
    assert "gateway" in console["depends_on"]
    assert "gateway:8080" in (ROOT / source).read_text()
    # Nothing else answers people on the web port: the gateway is reached through it.
    assert "ports" not in services["gateway"]
