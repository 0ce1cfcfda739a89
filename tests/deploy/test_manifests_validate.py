"""Both overlays build, every object is valid Kubernetes, and checkov's policies pass."""

from __future__ import annotations

import json
import subprocess
from typing import Any

Rendered = Any  # conftest.Rendered: one overlay built by kustomize
Tools = Any  # conftest.Tools: where the checking tools are

# Kinds from operators' CRDs, which the bundled Kubernetes schemas cannot know: each is
# checked by its own test below instead.
CUSTOM_KINDS = {"RabbitmqCluster"}
KUBERNETES_VERSION = "1.37.0"  # the newest that kubernetes-validate 1.37.0 bundles

_VALIDATE = """
import sys, json, yaml, kubernetes_validate
errors = []
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if not doc or doc["kind"] in json.loads(sys.argv[3]):
        continue
    try:
        kubernetes_validate.validate(doc, sys.argv[2], strict=True)
    except kubernetes_validate.ValidationError as error:
        path = "/".join(map(str, error.path))
        errors.append(f"{doc['kind']}/{doc['metadata']['name']} {path}: {error.message}")
print(json.dumps(errors))
"""


def test_both_overlays_render_the_eight_deployables(overlay: Rendered) -> None:
    names = {d["metadata"]["name"] for d in overlay.of_kind("Deployment")}
    services = {"customer", "sales", "marketing", "support", "analytics", "notifications"}
    assert names == {"gateway", "console"} | services
    assert {
        o["metadata"].get("namespace") for o in overlay.objects if o["kind"] != "Namespace"
    } == {"crm"}


def test_every_object_validates_strictly_against_the_kubernetes_schemas(
    overlay: Rendered, tools: Tools
) -> None:
    result = subprocess.run(
        [
            str(tools.kubernetes_validate / "python"),
            "-c",
            _VALIDATE,
            str(overlay.path),
            KUBERNETES_VERSION,
            json.dumps(sorted(CUSTOM_KINDS)),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout) == []


def test_the_only_custom_resource_is_the_prod_rabbitmq_cluster(overlay: Rendered) -> None:
    custom = [o for o in overlay.objects if o["kind"] in CUSTOM_KINDS]
    if overlay.overlay == "dev":
        assert custom == []
        return
    (cluster,) = custom
    assert cluster["apiVersion"] == "rabbitmq.com/v1beta1"
    assert cluster["metadata"]["name"] == "rabbitmq"
    assert cluster["spec"]["replicas"] >= 3
    assert cluster["spec"]["persistence"]["storage"]
    assert ":" in cluster["spec"]["image"]
    assert not cluster["spec"]["image"].endswith(":latest")


def test_checkov_kubernetes_policies_pass_and_every_skip_is_justified(
    overlay: Rendered, tools: Tools
) -> None:
    result = subprocess.run(
        [
            str(tools.checkov / "checkov"),
            "--file",
            str(overlay.path),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        env={"BC_SKIP_MAPPING": "TRUE", "PATH": "/usr/bin:/bin", "HOME": str(tools.checkov)},
        timeout=300,
    )
    report = json.loads(result.stdout)
    failed = [
        f"{c['check_id']} {c['resource']}: {c['check_name']}"
        for c in report["results"]["failed_checks"]
    ]
    assert failed == [], "\n".join(failed)
    assert report["summary"]["passed"] > 500
    skipped = report["results"]["skipped_checks"]
    unjustified = [
        c["check_id"] for c in skipped if len(c["check_result"].get("suppress_comment", "")) < 20
    ]
    assert unjustified == []
