"""The MongoDB-protocol server: mongo-java-server started by our launcher.

Real mongod cannot run on these machines (see DESIGN.md, Storage), so local runs
and tests use mongo-java-server on Java 17. The launcher in
``tools/mongo-launcher`` is built with Maven once into ``.local/mongo-launcher``
and rebuilt only when its sources change.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from crm_localinfra.paths import local_dir, repo_root
from crm_localinfra.ports import wait_until
from crm_localinfra.processes import ManagedProcess

_LAUNCHER_CLASS = "crm.MongoLauncher"
_READY_LINE = "READY mongo-java-server"


def _launcher_sources(project: Path) -> list[Path]:
    return [project / "pom.xml", *sorted((project / "src").rglob("*.java"))]


def _sources_digest(project: Path) -> str:
    digest = hashlib.sha256()
    for source in _launcher_sources(project):
        digest.update(source.relative_to(project).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def build_launcher(force: bool = False) -> Path:
    """Build the launcher if needed and return its build folder (jar + ``lib/``).

    The fast path only hashes the sources: Maven runs when the jar is missing or
    the pom / Java sources changed since the last build.
    """
    project = repo_root() / "tools" / "mongo-launcher"
    build_dir = local_dir() / "mongo-launcher"
    stamp = build_dir / "sources.sha256"
    digest = _sources_digest(project)
    jar = build_dir / "mongo-launcher.jar"
    if not force and jar.is_file() and stamp.is_file() and stamp.read_text() == digest:
        return build_dir
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Maven (mvn) is needed to build tools/mongo-launcher; install maven")
    shutil.rmtree(build_dir / "lib", ignore_errors=True)
    result = subprocess.run(  # noqa: S603
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(project / "pom.xml"),
            f"-Dlauncher.buildDir={build_dir}",
            "package",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"building the mongo launcher failed:\n{result.stdout}{result.stderr}")
    stamp.write_text(digest)
    return build_dir


class MongoServer:
    """A mongo-java-server process on ``host:port``; H2 file backend when ``h2_file`` is set.

    ``stop()`` then ``start()`` restarts the same server; the data survives only
    with the H2 backend (the memory backend starts empty).
    """

    def __init__(
        self,
        port: int,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        h2_file: Path | None = None,
        pid_file: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.data_dir = data_dir
        self.h2_file = h2_file
        self.log_file = log_file or data_dir / "mongo.log"
        self._pid_file = pid_file
        self._process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"mongodb://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        build_dir = build_launcher()
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("Java 17 is needed for the MongoDB-protocol server")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            java,
            "-cp",
            f"{build_dir / 'mongo-launcher.jar'}:{build_dir / 'lib'}/*",
            _LAUNCHER_CLASS,
            "--port",
            str(self.port),
            "--bind",
            self.host,
        ]
        if self.h2_file is not None:
            self.h2_file.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--h2", str(self.h2_file)]
        self._process = ManagedProcess(
            "mongo", argv, log_file=self.log_file, pid_file=self._pid_file
        )
        log_size = self.log_file.stat().st_size if self.log_file.exists() else 0
        self._process.start()
        process = self._process
        wait_until(
            lambda: _READY_LINE in _read_from(self.log_file, log_size),
            timeout=timeout,
            what=f"MongoDB-protocol server on port {self.port}",
            abort=process.exit_reason,
        )

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
            self._process = None

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_running()


def _read_from(path: Path, offset: int) -> str:
    """The text appended to ``path`` after ``offset`` (what this run has logged)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode(errors="replace")
