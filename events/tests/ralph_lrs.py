"""A real Ralph LRS (`ralph-malph`) on loopback, for the forwarding tests and
`bench/xapi_forwarding.py`.

It runs `ralph runserver -b fs` exactly as Ralph documents it, on a free port, with HTTP Basic
credentials in a throwaway `auth.json` and its file-system backend writing statements to
`<folder>/fs_lrs.jsonl`. One adjustment: Ralph's file backend creates its file on the first
write and refuses every later one ("already exists and overwrite is not allowed"), so a
`sitecustomize` on the server's PYTHONPATH sets that backend to append mode (field notes:
"its file backend needs append mode"). Everything else — validation against its models, the
xAPI duplicate rules (an equal statement sent again is dropped; a different one under a known
id is a 409) — is Ralph's own.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import bcrypt
import httpx

USERNAME = "rapport"
PASSWORD = "rapport-lrs-test"
APPEND_HOOK = """\
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RalphLRS:
    """`with RalphLRS(folder) as lrs:` starts the LRS and waits until it answers (or raises
    RuntimeError with its log); leaving stops its process group. `lrs.url` is the xAPI
    endpoint to configure (`RAPPORT_XAPI_LRS_URL`); `lrs.statements()` what it stored."""

    def __init__(self, folder: Path, *, start_timeout: float = 60.0) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "ralph.log"

    def __enter__(self) -> "RalphLRS":
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Write the credentials and the append hook, start `ralph runserver`, wait for it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        hook = self.folder / "hook"
        hook.mkdir(exist_ok=True)
        (hook / "sitecustomize.py").write_text(APPEND_HOOK)
        password_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        (self.folder / "auth.json").write_text(
            json.dumps(
                [
                    {
                        "username": USERNAME,
                        "hash": password_hash,
                        "scopes": ["all"],
                        "agent": {"mbox": "mailto:rapport-forwarder@example.com"},
                    }
                ]
            )
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(hook),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_APP_DIR": str(self.folder),
        }
        ralph = Path(sys.executable).with_name("ralph")
        argv = [str(ralph), "runserver", "-b", "fs", "--fs-default-directory-path"]
        argv += [str(self.folder), "-h", "127.0.0.1", "-p", str(self.port)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=hook, env=env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Ralph did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the server's process group (runserver runs uvicorn with a reloader child)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS stored, in the order it stored them."""
        path = self.folder / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
