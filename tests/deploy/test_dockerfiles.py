"""Static checks of the images' Dockerfiles (no Docker engine runs here).

The gateway and the services are built from one file, deploy/python-service.Dockerfile,
told which deployable by build arguments. Each deployable's image is checked as a builder
would see it: the file with the arguments deploy/build-images.sh passes (the script runs
here with a recording stand-in for docker) and those docker-compose.yml passes, expanded
where Docker expands them.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PYTHON_DOCKERFILE = ROOT / "deploy" / "python-service.Dockerfile"
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
# Every Dockerfile: the Python deployables' and the console's (a Node build and nginx).
DOCKERFILES = {"python": PYTHON_DOCKERFILE, "console": ROOT / "console" / "Dockerfile"}
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
    instructions: list[Instruction] = []
    stage, args = -1, {}
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


# Build arguments Docker expands in these instructions; RUN sees them as the shell's
# environment. HEALTHCHECK, ENTRYPOINT and CMD are left as written: Docker expands nothing
# in them.
EXPANDED = frozenset({"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "WORKDIR"})
VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def render(instructions: list[Instruction], given: dict[str, str]) -> list[Instruction]:
    """The instructions as a builder runs them with the build arguments ``given``.

    As Docker scopes them: a global ARG is seen by FROM only, and inside a stage only once
    that stage declares it again (keeping the global default unless given). A variable
    with no value is left as written, so that a test can find it.
    """
    global_args: dict[str, str | None] = {}
    scope: dict[str, str | None] = {}

    def expand(text: str, values: dict[str, str | None]) -> str:
        def value(match: re.Match[str]) -> str:
            found = values.get(match.group(1) or match.group(2))
            return match.group(0) if found is None else found

        return VARIABLE.sub(value, text)

    rendered = []
    for instruction in instructions:
        value = instruction.value
        if instruction.command == "ARG":
            key, has_default, default = value.partition("=")
            declared = default.strip('"') if has_default else None
            if instruction.stage == -1:
                global_args[key] = given.get(key, declared)
            else:
                scope[key] = given.get(key, declared if has_default else global_args.get(key))
        elif instruction.command == "FROM":
            scope = {}
            value = expand(value, global_args)
        elif instruction.command in EXPANDED or instruction.command == "RUN":
            value = expand(value, scope)
        rendered.append(replace(instruction, value=value))
    return rendered


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


def _project(deployable: str) -> dict[str, object]:
    meta = tomllib.loads((ROOT / FOLDERS[deployable] / "pyproject.toml").read_text())
    project: dict[str, object] = meta["project"]
    return project


@dataclass(frozen=True)
class Build:
    """One image build as deploy/build-images.sh asks for it."""

    dockerfile: Path
    args: dict[str, str]
    tag: str
    context: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """deploy/build-images.sh run with a stand-in for docker that records each build."""
    folder = tmp_path_factory.mktemp("docker")
    log = folder / "builds.jsonl"
    docker = folder / "docker"
    docker.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "with open(os.environ['DOCKER_LOG'], 'a') as log:\n"
        "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    docker.chmod(0o755)
    env = {**os.environ, "DOCKER": str(docker), "DOCKER_LOG": str(log), "REGISTRY": "test"}
    env.pop("BUILD_ARGS", None)
    subprocess.run(
        ["bash", str(ROOT / "deploy" / "build-images.sh"), "1.2.3"],
        env=env,
        check=True,
        capture_output=True,
    )
    found = {}
    for line in log.read_text().splitlines():
        command, *words, context = json.loads(line)
        assert command == "build"
        options: dict[str, list[str]] = {}
        for flag, value in zip(words[::2], words[1::2], strict=True):
            options.setdefault(flag, []).append(value)
        (tag,) = options["--tag"]
        (dockerfile,) = options["--file"]
        name = tag.removeprefix("test/crm-").removesuffix(":1.2.3")
        arguments = dict(argument.split("=", 1) for argument in options["--build-arg"])
        found[name] = Build(Path(dockerfile), arguments, tag, Path(context))
    return found


def _compose_build(deployable: str) -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    build = compose["services"][deployable]["build"]
    assert (ROOT / build["context"]).resolve() == ROOT
    assert (ROOT / build["dockerfile"]).resolve() == PYTHON_DOCKERFILE
    return {key: str(value) for key, value in build["args"].items()}


@pytest.fixture(params=["build-images.sh", "docker-compose.yml"])
def built_by(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def _image(deployable: str, built_by: str, builds: dict[str, Build]) -> list[Instruction]:
    """The Python Dockerfile as ``built_by`` builds ``deployable``."""
    if built_by == "build-images.sh":
        build = builds[deployable]
        assert build.dockerfile == PYTHON_DOCKERFILE
        assert build.context == ROOT
        given = build.args
    else:
        given = _compose_build(deployable)
    instructions, _ = parse(PYTHON_DOCKERFILE)
    return render(instructions, given)


@pytest.fixture(params=sorted(FOLDERS))
def deployable(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(params=sorted(DOCKERFILES))
def dockerfile(request: pytest.FixtureRequest) -> Path:
    return DOCKERFILES[request.param]


def test_the_python_deployables_share_one_dockerfile() -> None:
    # One way to build them: no deployable keeps a Dockerfile of its own.
    assert PYTHON_DOCKERFILE.is_file()
    for folder in FOLDERS.values():
        assert not (ROOT / folder / "Dockerfile").exists(), folder


def test_the_image_is_multi_stage_on_a_pinned_slim_base(dockerfile: Path) -> None:
    instructions, args = parse(dockerfile)
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


def test_every_variable_the_image_uses_is_given(
    deployable: str, built_by: str, builds: dict[str, Build]
) -> None:
    for instruction in _image(deployable, built_by, builds):
        left = {a or b for a, b in VARIABLE.findall(instruction.value)} - {"PATH"}
        assert not left, f"{instruction.command} {instruction.value}"


def test_build_images_and_compose_build_each_deployable_alike(
    deployable: str, builds: dict[str, Build]
) -> None:
    expected = {
        "SERVICE": deployable,
        "SERVICE_DIR": FOLDERS[deployable],
        "SERVICE_PORT": str(PORTS[deployable]),
    }
    assert _compose_build(deployable) == expected
    given = builds[deployable].args
    assert {key: given[key] for key in expected} == expected
    # The release's label describes the package as its pyproject does.
    assert given["SERVICE_DESCRIPTION"] == _project(deployable)["description"]
    assert given["VERSION"] == "1.2.3"


def test_the_runtime_stage_runs_as_an_unprivileged_user_with_a_health_check(
    deployable: str, built_by: str, builds: dict[str, Build]
) -> None:
    instructions = _image(deployable, built_by, builds)
    last_stage = max(i.stage for i in instructions)
    runtime = [i for i in instructions if i.stage == last_stage]
    users = [i.value for i in runtime if i.command == "USER"]
    assert users, "no USER in the runtime stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) >= 10000
    env = " ".join(i.value for i in runtime if i.command == "ENV").split()
    assert "CRM_HTTP_HOST=0.0.0.0" in env
    assert f"CRM_HTTP_PORT={PORTS[deployable]}" in env
    assert f"EXPOSE {PORTS[deployable]}" in {f"{i.command} {i.value}" for i in runtime}
    # The check asks the port the process serves on, read when it runs.
    (healthcheck,) = [i.value for i in runtime if i.command == "HEALTHCHECK"]
    assert "'http://127.0.0.1:%s/healthz' % os.environ['CRM_HTTP_PORT']" in healthcheck
    assert "$" not in healthcheck
    # The entry point is the package's own crm-<name> script, its __main__.main.
    (entrypoint,) = [i.value for i in runtime if i.command in {"ENTRYPOINT", "CMD"}]
    assert entrypoint == '["/opt/venv/bin/crm-service"]'
    links = [i.value for i in instructions if i.command == "RUN" and "crm-service" in i.value]
    assert links == [
        f'ln -s "crm-{deployable}" /opt/venv/bin/crm-service && test -x /opt/venv/bin/crm-service'
    ]
    scripts = _project(deployable)["scripts"]
    assert isinstance(scripts, dict)
    assert scripts[f"crm-{deployable}"] == f"{deployable}.__main__:main"
    assert "STOPSIGNAL SIGTERM" in {f"{i.command} {i.value}" for i in runtime}


class _Probe(http.server.ThreadingHTTPServer):
    """Answers /healthz with ``status``, as a deployable answers it."""

    status = 200


class _ProbeHandler(http.server.BaseHTTPRequestHandler):
    server: _Probe

    def do_GET(self) -> None:
        self.send_response(self.server.status if self.path == "/healthz" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def probe() -> Iterator[_Probe]:
    server = _Probe(("127.0.0.1", 0), _ProbeHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_health_check_asks_healthz_on_the_port_in_crm_http_port(
    probe: _Probe,
) -> None:
    instructions, _ = parse(PYTHON_DOCKERFILE)
    (healthcheck,) = [i.value for i in instructions if i.command == "HEALTHCHECK"]
    options, _, command = healthcheck.partition(" CMD ")
    assert options.split() == [
        "--interval=15s",
        "--timeout=3s",
        "--start-period=30s",
        "--retries=3",
    ]
    program, *arguments = json.loads(command)
    assert program == "python"

    def check(port: int) -> int:
        environment = {"PATH": os.environ["PATH"], "CRM_HTTP_PORT": str(port)}
        run = subprocess.run(
            [sys.executable, *arguments], env=environment, capture_output=True, timeout=30
        )
        return run.returncode

    port = probe.server_address[1]
    assert isinstance(port, int)
    assert check(port) == 0
    probe.status = 503
    assert check(port) == 1
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        assert check(unused.getsockname()[1]) == 1


def test_the_image_carries_the_oci_labels(dockerfile: Path) -> None:
    instructions, _ = parse(dockerfile)
    labels = " ".join(i.value for i in instructions if i.command == "LABEL")
    for key in ("title", "description", "version", "revision", "created", "source"):
        assert f"org.opencontainers.image.{key}=" in labels


def test_each_image_is_titled_and_described_as_its_deployable(
    deployable: str, built_by: str, builds: dict[str, Build]
) -> None:
    instructions = _image(deployable, built_by, builds)
    labels = " ".join(i.value for i in instructions if i.command == "LABEL")
    assert f'org.opencontainers.image.title="crm-{deployable}"' in labels
    described = re.search(r'org\.opencontainers\.image\.description="([^"]+)"', labels)
    assert described is not None
    if built_by == "build-images.sh":
        assert described.group(1) == _project(deployable)["description"]


def test_the_image_copies_only_its_package_and_the_libs_it_needs(
    deployable: str, built_by: str, builds: dict[str, Build]
) -> None:
    instructions = _image(deployable, built_by, builds)
    copied = set()
    for instruction in instructions:
        if instruction.command == "COPY" and not instruction.value.startswith("--from"):
            sources = instruction.value.split()[:-1]
            copied.update(sources)
    package = f"crm-{deployable}"
    needed = {WORKSPACE_PACKAGES[name] for name in _workspace_closure(package)}
    assert copied == {"pyproject.toml", "uv.lock"} | needed
    syncs = [
        i.value.replace('"', "")
        for i in instructions
        if i.command == "RUN" and "uv sync" in i.value
    ]
    assert len(syncs) == 2
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


def test_build_images_builds_the_console_from_its_own_folder(builds: dict[str, Build]) -> None:
    # Every deployable, in the order of FOLDERS, then the console.
    assert list(builds) == [*FOLDERS, "console"]
    console = builds["console"]
    assert console.dockerfile == DOCKERFILES["console"]
    assert console.context == ROOT / "console"
    assert not {"SERVICE", "SERVICE_DIR", "SERVICE_PORT"} & set(console.args)
    for build in builds.values():
        assert {"VERSION", "REVISION", "CREATED", "SOURCE"} <= set(build.args)
