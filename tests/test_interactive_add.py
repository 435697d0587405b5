"""The interactive `clinics add`, driven through a pseudo-terminal: a bad answer at each question is asked
again with the reason, and Ctrl-C or a refusal prints the command line that keeps what was typed."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shlex
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

TIMEOUT = 600.0  # seconds to wait for one prompt (a bound, not a speed check: the machine may be busy)
# read(2)'s system call number (as /proc/PID/syscall gives it) on the machines tests run on
READ_CALL = {"x86_64": "0", "aarch64": "63", "i686": "3", "armv7l": "3"}.get(os.uname().machine)


def _controlling_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`tripplan ARGS` on a pseudo-terminal: what it prints is read until an expected text appears."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        main, child = pty.openpty()
        env = {
            **os.environ,
            "COLUMNS": "200",
            "NO_COLOR": "1",
            "TRIPPLAN_TODAY": "2026-11-30",
            "TRIPPLAN_DATA_DIR": str(tmp_path / "userdata"),
            "TRIPPLAN_CACHE_DIR": str(tmp_path / "cache"),
            "TERM": "dumb",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tripplan", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            start_new_session=True,
            preexec_fn=_controlling_terminal,  # so Ctrl-C (\x03) is the SIGINT a terminal sends
        )
        os.close(child)
        self.fd = main
        self.seen = ""

    def expect(self, text: str) -> str:
        """Everything printed up to and including `text` (then forgotten, so the next expect reads on)."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {text!r}; printed so far:\n{self.seen}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the other end closed
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"ended before {text!r}; printed:\n{self.seen}")
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        at = self.seen.index(text) + len(text)
        before, self.seen = self.seen[:at], self.seen[at:]
        return before

    def reading(self) -> bool | None:
        """Whether the process is blocked reading its terminal (standard input) right now: read from /proc
        (None where the system does not say)."""
        try:
            call = Path(f"/proc/{self.proc.pid}/syscall").read_text().split()
        except OSError:
            call = []
        if READ_CALL is not None and len(call) > 1:  # "running", or the call it waits in and its arguments
            return call[0] == READ_CALL and int(call[1], 16) == 0
        try:
            return Path(f"/proc/{self.proc.pid}/wchan").read_text() in ("wait_woken", "n_tty_read")
        except OSError:
            return None

    def wait_for_reader(self) -> None:
        """Wait until the process waits for a key: its prompt is shown and it reads its terminal, so what
        is sent next answers that prompt (a key sent earlier could land while the process still works)."""
        deadline = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < deadline:
            state = self.reading()
            if state is None:  # no way to tell: give a busy machine a moment
                time.sleep(1.0)
                return
            if state:
                return
            time.sleep(0.02)
        if self.proc.poll() is None:
            raise AssertionError(f"not waiting for input after {TIMEOUT} s; printed so far:\n{self.seen}")

    def send(self, line: str) -> None:
        """Type `line` and Enter, once the process is waiting for it."""
        self.wait_for_reader()
        os.write(self.fd, (line + "\r").encode())

    def interrupt(self) -> None:
        """Ctrl-C, once the process is waiting at its prompt."""
        self.wait_for_reader()
        os.write(self.fd, b"\x03")

    def rest(self) -> tuple[int, str]:
        """The exit code and everything printed until the process ends."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if chunk:
                    self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
                    continue
            # ended, and nothing more to read (a closed pseudo-terminal reads as ready but empty)
            if self.proc.poll() is not None:
                break
        code = self.proc.wait(timeout=TIMEOUT)
        return code, self.seen

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        os.close(self.fd)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start `tripplan ARGS` on a pseudo-terminal; every one started is ended after the test."""
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        started.append(Terminal(tmp_path, *args))
        return started[-1]

    yield start
    for t in started:
        t.close()


# (prompt, a bad answer, the reason it is refused, a good answer)
STEPS = [
    ("Clinic id", "Tokyo Knee!", "is not an id", "tokyo-knee"),
    ("Name", "", "an answer is needed", "銀座鳳凰クリニック"),
    ("Country", "Japon", "Did you mean: Japan (JP)", "日本"),
    ("City", "", "an answer is needed", "東京都中央区"),
    ("ASRM class", "IV", "is not one of: I, II, III", "II"),
    ("Cell source", "JP", "names no cell source tripplan knows", "adipose"),
    ("Processing", "grown", "cultured", "cultured"),
    ("How the cells are given", "through the aura", "is not a route tripplan recognises", "IV drip"),
    ("Treatment quoted", "", "an answer is needed", "cultured adipose MSC"),
    ("Joints", "elbowz", "Did you mean: elbow", "knee"),
    ("Quoted price", "lots", "must be a whole number", "1650000"),
    ("Currency", "XYZ", "unknown currency 'XYZ'", "円"),
    ("Day of the quote", "31 Febtember", "", "2026-11-20"),
]


def test_a_bad_answer_at_each_question_is_asked_again(tmp_path: Path, terminal: Callable[..., Terminal]) -> None:
    term = terminal("clinics", "add")
    for prompt, bad, reason, good in STEPS:
        term.expect(prompt)
        term.expect(":")
        term.send(bad)
        refused = term.expect(prompt)  # asked again
        assert "Not taken" in refused, (prompt, refused)
        assert reason in refused, (prompt, refused)
        term.expect(":")
        term.send(good)
    term.expect("Add this clinic?")
    term.send("y")
    code, printed = term.rest()
    assert code == 0, printed
    assert "Added tokyo-knee" in printed
    saved = (tmp_path / "userdata" / "clinics.toml").read_text(encoding="utf-8")
    for value in ('"銀座鳳凰クリニック"', '"東京都中央区"', 'route = "intravenous"', 'route_as_given = "IV drip"'):
        assert value in saved, value
    assert "quoted_on = 2026-11-20" in saved.replace('"', "")


def _command_after(printed: str) -> list[str]:
    line = next(x for x in printed.splitlines() if x.strip().startswith("tripplan clinics add"))
    return shlex.split(line.strip())


def test_ctrl_c_prints_the_command_with_everything_answered(tmp_path: Path, terminal: Callable[..., Terminal]) -> None:
    term = terminal("clinics", "add", "--notes", "met at a fair")
    for prompt, _, _, good in STEPS[:6]:
        term.expect(prompt)
        term.expect(":")
        term.send(good)
    term.expect("Processing")
    term.expect(":")
    term.interrupt()
    code, printed = term.rest()
    assert code == 1
    assert "Nothing was added" in printed
    argv = _command_after(printed)
    given = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert given == {
        "--id": "tokyo-knee",
        "--name": "銀座鳳凰クリニック",
        "--country": "JP",
        "--city": "東京都中央区",
        "--asrm-class": "II",
        "--cell-source": "adipose",
        "--notes": "met at a fair",
    }
    assert not (tmp_path / "userdata" / "clinics.toml").exists()


def test_a_final_refusal_keeps_every_answer_as_a_command(tmp_path: Path, terminal: Callable[..., Terminal]) -> None:
    term = terminal("clinics", "add")
    for prompt, _, _, good in STEPS:
        term.expect(prompt)
        term.expect(":")
        term.send(good)
    term.expect("Add this clinic?")
    term.send("n")
    code, printed = term.rest()
    assert code == 1
    argv = _command_after(printed)
    assert argv[:3] == ["tripplan", "clinics", "add"]
    given = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert (given["--route"], given["--quoted-on"], given["--price"]) == ("IV drip", "2026-11-20", "1650000")
    assert not (tmp_path / "userdata" / "clinics.toml").exists()


def test_a_key_is_sent_only_once_the_prompt_waits_for_it() -> None:
    """What the tests above type reaches the prompt it answers, however slow the machine: send() waits until
    the process reads its terminal (here a process that shows its prompt, then works until told to read)."""
    import signal
    import threading

    main, child = pty.openpty()
    script = (
        "import signal, sys; signal.signal(signal.SIGUSR1, lambda *a: None); print('Q:', end='', flush=True); "
        "signal.pause(); print('got', input())"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=child, stdout=child, stderr=child, start_new_session=True
    )
    os.close(child)
    term = Terminal.__new__(Terminal)
    term.proc, term.fd, term.seen = proc, main, ""
    try:
        term.expect("Q:")
        assert term.reading() is not True  # shown its prompt, still working: not reading yet
        sender = threading.Thread(target=term.send, args=("hello",))
        sender.start()
        sender.join(0.5)
        assert sender.is_alive()  # waits: the process has not asked for the key
        os.kill(proc.pid, signal.SIGUSR1)  # now it reads
        sender.join(TIMEOUT)
        assert not sender.is_alive()
        code, printed = term.rest()
        assert code == 0
        assert "got hello" in printed
    finally:
        term.close()
