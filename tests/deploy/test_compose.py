"""docker-compose.yml runs the whole platform (checked statically: no Docker engine here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_every_deployable_and_its_infrastructure_on_pinned_images() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    deployables = {"gateway", "customer", "sales", "marketing", "support", "analytics"}
    infrastructure = {"mongodb", "rabbitmq", "redis", "mailpit", "jaeger", "prometheus"}
    assert set(services) == deployables | infrastructure
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
