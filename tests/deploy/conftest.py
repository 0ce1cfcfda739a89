"""Fixtures of the deployment tests: the checking tools and the rendered manifests.

No cluster and no Docker engine run here, so the manifests are checked offline. The tools
are fetched by the tests themselves, once, and cached under ``.local/tools``: kustomize
(``kubectl kustomize`` when kubectl is on PATH, else built from the Go module proxy),
kubernetes-validate and checkov (each in a venv of its own, so checkov's many
dependencies stay out of the platform's lock). They are installed in parallel.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".local" / "tools"
KUSTOMIZE_VERSION = "v5.7.1"
KUBERNETES_VALIDATE_VERSION = "1.37.0"
CHECKOV_VERSION = "3.3.30"
OVERLAYS = ("dev", "prod")
DEPLOYABLES = (
    "gateway",
    "customer",
    "sales",
    "marketing",
    "support",
    "analytics",
    "notifications",
)


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def _python_tool(name: str, requirement: str) -> Path:
    """A venv under .local/tools holding one pinned tool; reused while the pin matches."""
    venv = TOOLS / name
    stamp = venv / "installed.txt"
    if stamp.exists() and stamp.read_text() == requirement:
        return venv / "bin"
    shutil.rmtree(venv, ignore_errors=True)
    # As the Makefile finds it: on PATH, else the module pip installed it as.
    uv = [found] if (found := shutil.which("uv")) else ["python3", "-m", "uv"]
    _run([*uv, "venv", "--quiet", "--python", "3.11", str(venv)])
    _run([*uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), requirement])
    stamp.write_text(requirement)
    return venv / "bin"


def _kustomize() -> list[str]:
    built = TOOLS / "bin" / "kustomize"
    if built.exists():
        return [str(built), "build"]
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    env = {
        **os.environ,
        "GOBIN": str(TOOLS / "bin"),
        "GOPATH": str(TOOLS / "go"),
        "GOFLAGS": "-modcacherw",
    }
    _run(["go", "install", f"sigs.k8s.io/kustomize/kustomize/v5@{KUSTOMIZE_VERSION}"], env=env)
    return [str(built), "build"]


@dataclass(frozen=True)
class Tools:
    kustomize: list[str]  # the command that builds a kustomization folder given after it
    kubernetes_validate: Path
    checkov: Path


@pytest.fixture(scope="session")
def tools() -> Tools:
    TOOLS.mkdir(parents=True, exist_ok=True)
    # Another test run on this checkout may be installing the same tools right now.
    with (TOOLS / ".lock").open("w") as lock, ThreadPoolExecutor(max_workers=3) as pool:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kustomize: Future[list[str]] = pool.submit(_kustomize)
        validate = pool.submit(
            _python_tool,
            "kubernetes-validate",
            f"kubernetes-validate=={KUBERNETES_VALIDATE_VERSION}",
        )
        checkov = pool.submit(_python_tool, "checkov", f"checkov=={CHECKOV_VERSION}")
        return Tools(kustomize.result(), validate.result(), checkov.result())


@dataclass(frozen=True)
class Rendered:
    """One overlay built by kustomize: the YAML file and its objects."""

    overlay: str
    path: Path
    objects: list[dict[str, Any]]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj["kind"] == kind]

    def named(self, kind: str, name: str) -> dict[str, Any]:
        matches = [obj for obj in self.of_kind(kind) if obj["metadata"]["name"] == name]
        assert len(matches) == 1, f"{self.overlay}: expected one {kind} {name}"
        return matches[0]


@pytest.fixture(scope="session")
def rendered(tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for overlay in OVERLAYS:
        built = _run([*tools.kustomize, str(ROOT / "k8s" / "overlays" / overlay)])
        path = out / f"{overlay}.yaml"
        path.write_text(built.stdout)
        objects = [obj for obj in yaml.safe_load_all(built.stdout) if obj]
        result[overlay] = Rendered(overlay, path, objects)
    return result


@pytest.fixture(scope="session", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest, rendered: dict[str, Rendered]) -> Rendered:
    chosen: Rendered = rendered[request.param]
    return chosen


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def config_reference() -> ModuleType:
    """deploy/config_reference.py: what each deployable's settings class reads."""
    return _load(ROOT / "deploy" / "config_reference.py", "crm_deploy_config_reference")


@pytest.fixture(scope="session")
def pod_env() -> Callable[[Rendered, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The environment a Deployment's first container gets: name -> its source entry
    (``{"value": ...}``, ``{"configMap": name}`` or the ``valueFrom`` of the env entry)."""

    def resolve(overlay: Rendered, deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env: dict[str, dict[str, Any]] = {}
        for source in container.get("envFrom", []):
            assert "configMapRef" in source, "secrets come through secretKeyRef, one by one"
            config_map = overlay.named("ConfigMap", source["configMapRef"]["name"])
            for key, value in config_map.get("data", {}).items():
                env[key] = {"value": value, "configMap": config_map["metadata"]["name"]}
        for entry in container.get("env", []):
            env[entry["name"]] = entry.get("valueFrom") or {"value": entry.get("value", "")}
        return env

    return resolve
