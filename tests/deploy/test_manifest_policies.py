"""Policy checks over the rendered manifests of both overlays.

What kube-score and kube-linter would check and checkov does not: selectors that really
match the pods, an autoscaler and a disruption budget per Deployment, a termination grace
period that covers the drain, network isolation with the ingress controller as the only
way in (to the gateway for the API, to the console for everything else).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

Rendered = Any  # conftest.Rendered: one overlay built by kustomize
ROOT = Path(__file__).resolve().parents[2]
# The static web server of the console: no settings, database, broker or /metrics.
CONSOLE = "console"
GATEWAY_PATHS = {("/api", "Prefix"), ("/docs", "Prefix"), ("/openapi.json", "Exact")}

_OUTSIDE_SOURCES = {
    # namespace -> the pods there allowed to open connections into the platform
    "ingress-nginx": ("ingress-nginx", {"gateway", CONSOLE}),
    "monitoring": ("prometheus", None),  # Prometheus scrapes every /metrics
}


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"]["metadata"]["labels"]
    return labels


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        present = expression["key"] in labels
        value = labels.get(expression["key"])
        operator = expression["operator"]
        if operator == "In" and value not in expression["values"]:
            return False
        if operator == "NotIn" and value in expression["values"]:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _workloads(overlay: Rendered) -> list[dict[str, Any]]:
    workloads: list[dict[str, Any]] = overlay.of_kind("Deployment") + overlay.of_kind("StatefulSet")
    return workloads


def test_every_deployment_has_startup_liveness_and_readiness_probes_on_the_chassis_endpoints(
    overlay: Rendered,
) -> None:
    for deployment in overlay.of_kind("Deployment"):
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        ports = {port["name"] for port in container["ports"]}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] in ports


def test_every_container_has_cpu_and_memory_requests_and_limits(overlay: Rendered) -> None:
    for workload in _workloads(overlay):
        for container in workload["spec"]["template"]["spec"]["containers"]:
            resources = container["resources"]
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources[bound]), workload["metadata"]["name"]


def test_every_pod_runs_as_non_root_with_a_read_only_root_and_no_capabilities(
    overlay: Rendered,
) -> None:
    for workload in _workloads(overlay):
        pod = workload["spec"]["template"]["spec"]
        name = workload["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] > 0, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert "add" not in context["capabilities"], name


def test_service_accounts_carry_no_api_token(overlay: Rendered) -> None:
    for account in overlay.of_kind("ServiceAccount"):
        assert account["automountServiceAccountToken"] is False


def test_every_deployment_has_an_autoscaler_on_cpu_and_a_disruption_budget_matching_its_pods(
    overlay: Rendered,
) -> None:
    autoscalers = {
        h["spec"]["scaleTargetRef"]["name"]: h for h in overlay.of_kind("HorizontalPodAutoscaler")
    }
    budgets = overlay.of_kind("PodDisruptionBudget")
    for deployment in overlay.of_kind("Deployment"):
        name = deployment["metadata"]["name"]
        labels = _pod_labels(deployment)
        assert _selects(deployment["spec"]["selector"], labels)
        assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"

        hpa = autoscalers[name]
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
        (metric,) = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu"
        assert 50 <= metric["resource"]["target"]["averageUtilization"] <= 85
        assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 120

        matching = [b for b in budgets if _selects(b["spec"]["selector"], labels)]
        assert len(matching) == 1, f"{name}: {len(matching)} disruption budgets"
        assert matching[0]["spec"].get("maxUnavailable") == 1


def test_prod_runs_at_least_three_pods_of_everything(rendered: dict[str, Rendered]) -> None:
    for hpa in rendered["prod"].of_kind("HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] >= 3
        assert hpa["spec"]["maxReplicas"] >= 10


def test_services_select_exactly_the_pods_of_their_deployment(overlay: Rendered) -> None:
    for deployment in overlay.of_kind("Deployment"):
        service = overlay.named("Service", deployment["metadata"]["name"])
        assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert service["spec"]["ports"][0]["targetPort"] == container["ports"][0]["name"]


def test_rollouts_keep_capacity_and_the_grace_period_covers_the_drain(
    overlay: Rendered, pod_env: Any
) -> None:
    for deployment in overlay.of_kind("Deployment"):
        strategy = deployment["spec"]["strategy"]
        assert strategy["type"] == "RollingUpdate"
        assert strategy["rollingUpdate"]["maxUnavailable"] == 0
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        if deployment["metadata"]["name"] == CONSOLE:
            # nginx finishes its requests in flight within worker_shutdown_timeout.
            config = (ROOT / "console" / "deploy" / "nginx.conf").read_text()
            found = re.search(r"^worker_shutdown_timeout (\d+)s;", config, re.MULTILINE)
            assert found, "the console's server must bound its graceful stop"
            drain, flush = float(found.group(1)), 0.0
        else:
            env = pod_env(overlay, deployment)
            drain = float(env["CRM_SHUTDOWN_GRACE_SECONDS"]["value"])
            flush = float(env["CRM_EVENTS__STOP_TIMEOUT_SECONDS"]["value"])
        assert pre_stop >= 5
        assert pod["terminationGracePeriodSeconds"] > pre_stop + drain + flush


def test_no_image_uses_latest_or_an_implicit_tag(overlay: Rendered) -> None:
    images = [
        container["image"]
        for workload in _workloads(overlay)
        for container in workload["spec"]["template"]["spec"]["containers"]
    ]
    images += [obj["spec"]["image"] for obj in overlay.of_kind("RabbitmqCluster")]
    for image in images:
        name, _, tag = image.rpartition(":")
        assert name, f"{image} has no tag"
        assert "/" not in tag, f"{image} has no tag"
        assert tag != "latest", image


def test_the_namespace_enforces_the_restricted_pod_security_standard(overlay: Rendered) -> None:
    (namespace,) = overlay.of_kind("Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_nothing_in_the_namespace_is_reachable_without_a_policy(overlay: Rendered) -> None:
    deny = overlay.named("NetworkPolicy", "default-deny-all")
    assert deny["spec"]["podSelector"] == {}
    assert sorted(deny["spec"]["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny["spec"]
    assert "egress" not in deny["spec"]
    for workload in _workloads(overlay):
        labels = _pod_labels(workload)
        own = [
            p
            for p in overlay.of_kind("NetworkPolicy")
            if p["spec"]["podSelector"]
            and _selects(p["spec"]["podSelector"], labels)
            and "Ingress" in p["spec"]["policyTypes"]
        ]
        assert own, f"{workload['metadata']['name']} has no ingress policy of its own"


def test_network_policies_leave_the_ingress_controller_as_the_only_way_in(
    overlay: Rendered,
) -> None:
    workloads = _workloads(overlay)
    for policy in overlay.of_kind("NetworkPolicy"):
        name = policy["metadata"]["name"]
        targets = {
            _pod_labels(w)["app.kubernetes.io/name"]
            for w in workloads
            if _selects(policy["spec"]["podSelector"], _pod_labels(w))
        }
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), f"{name}: an ingress rule without 'from' admits everyone"
            assert rule.get("ports"), f"{name}: an ingress rule without ports"
            for peer in rule["from"]:
                assert "ipBlock" not in peer, f"{name}: ingress by address"
                if "namespaceSelector" not in peer:
                    continue  # pods of this namespace
                namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                pods, allowed_targets = _OUTSIDE_SOURCES[namespace]
                assert peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == pods
                if allowed_targets is not None:
                    assert targets <= allowed_targets, f"{name}: {namespace} may reach {targets}"
    for service in overlay.of_kind("Service"):
        assert service["spec"].get("type", "ClusterIP") in {"ClusterIP", "ExternalName"}


def test_one_host_serves_the_console_and_the_api(overlay: Rendered) -> None:
    """One origin: "/" is the console's, the API and its documentation the gateway's."""
    (ingress,) = overlay.of_kind("Ingress")
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] in ingress["spec"]["tls"][0]["hosts"]
    routes = {
        (path["path"], path["pathType"]): path["backend"]["service"]["name"]
        for path in rule["http"]["paths"]
    }
    assert routes.pop(("/", "Prefix")) == CONSOLE
    assert set(routes) >= GATEWAY_PATHS
    assert set(routes.values()) == {"gateway"}, "only '/' goes to the console"
    for path, _ in routes:
        assert path != "/", "the console is the only catch-all"
    # Every route of the console's page is left to the console.
    assert not {path for path, _ in routes} & {"/customers", "/sales", "/settings", "/login"}


INSIDE_ONLY_PATHS = ("/healthz", "/readyz", "/metrics")


def _ingress_backend(paths: list[dict[str, Any]], path: str) -> dict[str, Any] | None:
    """The backend an Ingress sends ``path`` to: an Exact match, else the longest
    matching Prefix (by whole path elements), as the Ingress specification says."""
    best: tuple[int, dict[str, Any]] | None = None
    for entry in paths:
        route = entry["path"]
        if entry["pathType"] == "Exact":
            length = 10**6 if path == route else -1
        else:
            stem = route.rstrip("/")
            matches = not stem or path == stem or path.startswith(f"{stem}/")
            length = len(stem) if matches else -1
        if length >= 0 and (best is None or length > best[0]):
            best = (length, entry["backend"]["service"])
    return best[1] if best else None


def _container_port(container: dict[str, Any], port: str | int) -> int | None:
    for declared in container.get("ports", []):
        if port in (declared.get("name"), declared["containerPort"]):
            number: int = declared["containerPort"]
            return number
    return int(port) if str(port).isdigit() else None


def _served_inside(deployment: dict[str, Any]) -> set[tuple[str, int | None]]:
    """The (path, container port) pairs its pods answer the kubelet and Prometheus on."""
    template = deployment["spec"]["template"]
    served: set[tuple[str, int | None]] = set()
    for container in template["spec"]["containers"]:
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            check = container.get(probe, {}).get("httpGet")
            if check:
                served.add((check["path"], _container_port(container, check["port"])))
        annotations = template["metadata"].get("annotations", {})
        if annotations.get("prometheus.io/scrape") == "true":
            port = annotations.get("prometheus.io/port", "")
            path = annotations.get("prometheus.io/path", "/metrics")
            served.add((path, _container_port(container, port)))
    return served


def test_probes_and_metrics_are_not_routed_from_outside(overlay: Rendered) -> None:
    """The kubelet probes and Prometheus scrapes inside the cluster; whatever the Ingress
    sends /healthz, /readyz or /metrics to must not be the port a pod answers them on."""
    served = {
        _pod_labels(deployment)["app.kubernetes.io/name"]: _served_inside(deployment)
        for deployment in overlay.of_kind("Deployment")
    }
    assert ("/metrics", 8080) in served["gateway"]  # the check would see a scrape port
    for ingress in overlay.of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in INSIDE_ONLY_PATHS:
                backend = _ingress_backend(rule["http"]["paths"], path)
                if backend is None:
                    continue
                service = overlay.named("Service", backend["name"])
                wanted = backend["port"].get("name", backend["port"].get("number"))
                (port,) = [
                    p for p in service["spec"]["ports"] if wanted in (p.get("name"), p["port"])
                ]
                (deployment,) = [
                    d
                    for d in overlay.of_kind("Deployment")
                    if _selects({"matchLabels": service["spec"]["selector"]}, _pod_labels(d))
                ]
                (container,) = deployment["spec"]["template"]["spec"]["containers"]
                target = _container_port(container, port.get("targetPort", port["port"]))
                name = _pod_labels(deployment)["app.kubernetes.io/name"]
                assert (path, target) not in served[name], (
                    f"{overlay.overlay}: {rule.get('host')}{path} reaches {name}'s {path}"
                )


def test_the_console_opens_no_connection_of_its_own(overlay: Rendered) -> None:
    console = overlay.named("Deployment", CONSOLE)
    for peer, port in _egress_peers(overlay, _pod_labels(console)):
        namespace = peer.get("namespaceSelector", {}).get("matchLabels", {})
        assert (namespace.get("kubernetes.io/metadata.name"), port) == ("kube-system", 53), peer
    (container,) = console["spec"]["template"]["spec"]["containers"]
    assert "env" not in container
    assert "envFrom" not in container


def _egress_peers(overlay: Rendered, labels: dict[str, str]) -> list[tuple[dict[str, Any], int]]:
    peers: list[tuple[dict[str, Any], int]] = []
    for policy in overlay.of_kind("NetworkPolicy"):
        if "Egress" not in policy["spec"]["policyTypes"]:
            continue
        if not _selects(policy["spec"]["podSelector"], labels):
            continue
        for rule in policy["spec"].get("egress", []):
            assert rule.get("to"), policy["metadata"]["name"]
            assert rule.get("ports"), policy["metadata"]["name"]
            for peer in rule["to"]:
                peers.extend((peer, port["port"]) for port in rule["ports"])
    return peers


def test_each_service_reaches_only_its_database_the_broker_dns_tracing_and_its_relays(
    overlay: Rendered,
) -> None:
    for deployment in overlay.of_kind("Deployment"):
        name = deployment["metadata"]["name"]
        for peer, port in _egress_peers(overlay, _pod_labels(deployment)):
            selector = peer.get("podSelector", {}).get("matchLabels", {})
            namespace = peer.get("namespaceSelector", {}).get("matchLabels", {})
            if "app.kubernetes.io/instance" in selector:
                assert selector["app.kubernetes.io/instance"] == f"mongodb-{name}"
                assert port == 27017
            elif namespace:
                target = namespace["kubernetes.io/metadata.name"]
                assert (target, port) in {("kube-system", 53), ("observability", 4318)}
            elif "ipBlock" in peer:
                # managed datastores and mail relay (prod), webhooks (the gateway only)
                assert overlay.overlay == "prod" or name == "gateway"
                if peer["ipBlock"]["cidr"] == "0.0.0.0/0":
                    assert name == "gateway"
                    assert port == 443
                    assert "10.0.0.0/8" in peer["ipBlock"]["except"]
            else:
                target = selector["app.kubernetes.io/name"]
                # Redis: the gateway keeps the token deny-list there, services read it.
                allowed = {"rabbitmq": 5672, "mailpit": 1025, "redis": 6379}
                if name == "gateway":
                    allowed |= {"customer": 8101, "sales": 8102}
                    allowed |= {"marketing": 8103, "support": 8104, "analytics": 8105}
                    allowed |= {"notifications": 8106}
                assert allowed.get(target) == port, f"{name} -> {target}:{port}"
                if target == "mailpit":
                    assert name in {"marketing", "support", "analytics", "notifications"}


def test_dev_datastores_admit_only_their_own_clients(rendered: dict[str, Rendered]) -> None:
    dev = rendered["dev"]
    for statefulset in dev.of_kind("StatefulSet"):
        labels = _pod_labels(statefulset)
        assert statefulset["spec"]["volumeClaimTemplates"], "persistent volumes"
        instance = labels.get("app.kubernetes.io/instance", "")
        if instance.startswith("mongodb-"):
            policy = dev.named("NetworkPolicy", instance)
            (rule,) = policy["spec"]["ingress"]
            (peer,) = rule["from"]
            assert peer["podSelector"]["matchLabels"] == {
                "app.kubernetes.io/name": instance.removeprefix("mongodb-")
            }
    mongo = {s["metadata"]["name"] for s in dev.of_kind("StatefulSet")}
    # Each deployable that keeps data has its own MongoDB; the console keeps none.
    keepers = {d["metadata"]["name"] for d in dev.of_kind("Deployment")} - {CONSOLE}
    assert {f"mongodb-{name}" for name in keepers} <= mongo
    assert {"rabbitmq", "redis"} <= mongo


def test_no_secret_objects_live_in_the_repository(overlay: Rendered) -> None:
    # Secrets are created at install time (deploy/dev-secrets.sh, or the secret manager).
    assert overlay.of_kind("Secret") == []
