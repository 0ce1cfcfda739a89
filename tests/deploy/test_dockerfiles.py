"""Static checks of each deployable's Dockerfile (no Docker engine runs here)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "gateway": "gateway",
    "customer": "services/customer",
    "sales": "services/sales",
    "marketing": "services/marketing",
    "support": "services/support",
    "analytics": "services/analytics",
    "notifications": "services/notifications",
}
PORTS = {
    "gateway": 8080,
    "customer": 8101,
    "sales": 8102,
    "marketing": 8103,
    "support": 8104,
    "analytics": 8105,
    "notifications": 8106,
}
# Every image, the console's too (a Node build and nginx: no Python package in it).
IMAGES = {**FOLDERS, "console": "console"}
WORKSPACE_PACKAGES = {
    "crm-chassis": "libs/chassis",
    "crm-contracts": "libs/contracts",
    "crm-localinfra": "libs/localinfra",
    **{f"crm-{name}": folder for name, folder in FOLDERS.items()},
}


@dataclass(frozen=True)
class Instruction:
    command: str
    value: str
    stage: int


def parse(path: Path) -> tuple[list[Instruction], dict[str, str]]:
    """Instructions (continuation lines joined, comments dropped) and the global ARGs."""
    logical, current = [], ""
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            logical.append(current)
            current = ""
    instructions, stage, args = [], -1, {}
    for text in logical:
        command, _, value = text.partition(" ")
        command = command.upper()
        if command == "FROM":
            stage += 1
        elif command == "ARG" and stage == -1:
            key, _, default = value.partition("=")
            args[key] = default
        instructions.append(Instruction(command, value.strip(), stage))
    return instructions, args


def _workspace_closure(package: str) -> set[str]:
    """The workspace packages a package needs at run time (its own included)."""
    needed, pending = set(), [package]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        meta = tomllib.loads((ROOT / WORKSPACE_PACKAGES[name] / "pyproject.toml").read_text())
        for requirement in meta["project"].get("dependencies", []):
            dependency = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
            if dependency in WORKSPACE_PACKAGES:
                pending.append(dependency)
    return needed


@pytest.fixture(params=sorted(FOLDERS))
def deployable(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(params=sorted(IMAGES))
def image(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def test_the_image_is_multi_stage_on_a_pinned_slim_base(image: str) -> None:
    instructions, args = parse(ROOT / IMAGES[image] / "Dockerfile")
    bases = [i.value.split()[0] for i in instructions if i.command == "FROM"]
    assert len(bases) >= 2
    for base in bases:
        image = args.get(base.strip("${}"), base) if base.startswith("$") else base
        name, _, tag = image.rpartition(":")
        assert name, image
        assert tag, image
        assert tag != "latest", image
        assert re.search(r"\d", tag), f"{image}: tag is not a version"
    runtime = args[bases[-1].strip("${}")]
    assert "slim" in runtime


def test_the_runtime_stage_runs_as_an_unprivileged_user_with_a_health_check(
    deployable: str,
) -> None:
    instructions, _ = parse(ROOT / FOLDERS[deployable] / "Dockerfile")
    last_stage = max(i.stage for i in instructions)
    runtime = [i for i in instructions if i.stage == last_stage]
    users = [i.value for i in runtime if i.command == "USER"]
    assert users, "no USER in the runtime stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) >= 10000
    (healthcheck,) = [i.value for i in runtime if i.command == "HEALTHCHECK"]
    assert f"127.0.0.1:{PORTS[deployable]}/healthz" in healthcheck
    (entrypoint,) = [i.value for i in runtime if i.command in {"ENTRYPOINT", "CMD"}]
    assert entrypoint == f'["python", "-m", "{deployable}"]'
    assert f"EXPOSE {PORTS[deployable]}" in {f"{i.command} {i.value}" for i in runtime}
    assert any("CRM_HTTP_HOST=0.0.0.0" in i.value for i in runtime if i.command == "ENV")


def test_the_image_carries_the_oci_labels(image: str) -> None:
    instructions, _ = parse(ROOT / IMAGES[image] / "Dockerfile")
    labels = " ".join(i.value for i in instructions if i.command == "LABEL")
    for key in ("title", "description", "version", "revision", "created", "source"):
        assert f"org.opencontainers.image.{key}=" in labels
    assert f'org.opencontainers.image.title="crm-{image}"' in labels


def test_the_image_copies_only_its_package_and_the_libs_it_needs(deployable: str) -> None:
    instructions, _ = parse(ROOT / FOLDERS[deployable] / "Dockerfile")
    copied = set()
    for instruction in instructions:
        if instruction.command == "COPY" and not instruction.value.startswith("--from"):
            sources = instruction.value.split()[:-1]
            copied.update(sources)
    package = f"crm-{deployable}"
    needed = {WORKSPACE_PACKAGES[name] for name in _workspace_closure(package)}
    assert copied == {"pyproject.toml", "uv.lock"} | needed
    syncs = [i.value for i in instructions if i.command == "RUN" and "uv sync" in i.value]
    assert syncs
    for sync in syncs:
        for flag in ("--frozen", "--no-dev", f"--package {package}"):
            assert flag in sync


def test_the_build_context_leaves_out_local_state_and_secrets() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for pattern in (".local", ".git", "**/.venv", "**/tests", "*.pem"):
        assert pattern in ignored


def test_the_console_is_built_from_the_lock_and_served_by_nginx_as_an_unprivileged_user() -> None:
    instructions, _ = parse(ROOT / "console" / "Dockerfile")
    build = [i for i in instructions if i.stage == 0]
    runtime = [i for i in instructions if i.stage == max(i.stage for i in instructions)]
    runs = [i.value for i in build if i.command == "RUN"]
    assert any(run.endswith("npm ci") for run in runs), "npm ci: exactly the lock file"
    assert "npm run build" in runs  # generates the typed client and type-checks first
    copies = [i.value for i in runtime if i.command == "COPY"]
    assert "--from=build /console/dist /usr/share/crm-console" in copies
    users = [i.value for i in runtime if i.command == "USER"]
    assert users[-1] == "10001:10001"
    (healthcheck,) = [i.value for i in runtime if i.command == "HEALTHCHECK"]
    assert "/dev/tcp/127.0.0.1/8081" in healthcheck  # the probes' own port, never published
    assert "GET /healthz" in healthcheck
    assert "EXPOSE 8080" in {f"{i.command} {i.value}" for i in runtime}
    (entrypoint,) = [i.value for i in runtime if i.command in {"ENTRYPOINT", "CMD"}]
    assert entrypoint.startswith('["/usr/sbin/nginx", "-c", "/etc/crm-console/nginx.conf"')
    # nginx drains on SIGQUIT; SIGTERM is its fast shutdown, which drops requests.
    assert "STOPSIGNAL SIGQUIT" in {f"{i.command} {i.value}" for i in runtime}


def test_the_console_server_writes_only_under_tmp_and_listens_unprivileged() -> None:
    config = (ROOT / "console" / "deploy" / "nginx.conf").read_text()
    assert "listen 8080 default_server;" in config
    assert "listen 8081;" in config
    assert "pid /tmp/nginx.pid;" in config
    assert "error_log stderr" in config
    # No "user" directive: the server never starts as root, so it switches to no one.
    assert not [line for line in config.splitlines() if line.strip().startswith("user ")]
    paths = [line.split()[1].rstrip(";") for line in config.splitlines() if "_temp_path " in line]
    assert len(paths) == 5
    assert all(path.startswith("/tmp/") and path.count("/") == 2 for path in paths), paths


def test_the_console_build_context_leaves_out_local_builds_and_secrets() -> None:
    ignored = (ROOT / "console" / ".dockerignore").read_text().split()
    for pattern in ("node_modules", "dist", "src/lib/api/schema.d.ts", "*.pem", ".env"):
        assert pattern in ignored


def test_build_images_builds_the_console_from_its_own_folder() -> None:
    script = (ROOT / "deploy" / "build-images.sh").read_text()
    assert (
        "for name in gateway customer sales marketing support analytics notifications console; do"
        in script
    )
    assert "[console]=console" in script
    assert "declare -A contexts=([console]=console)" in script
