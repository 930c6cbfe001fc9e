"""Output folders that are never clobbered, mixed or left half-written.

A run (or comparison) folder is written like this:

1. the target ``-o`` is checked before anything is simulated: it must not exist, or (with
   ``--overwrite``) be a folder that sim wrote, proved by the marker file :data:`MARKER` in it —
   never a regular file, a device or a foreign folder;
2. an exclusive ``fcntl`` lock is taken on the sibling lock file ``.<name>.lock``; a second
   process writing the same target at the same time fails at once (exit code 2);
3. temporaries left by killed runs (``.<name>.tmp-*``, ``.<name>.old-*``) are removed — holding
   the lock proves nobody is writing them;
4. everything is written into a fresh temporary sibling ``.<name>.tmp-<pid>-<hex>`` (which also
   proves the parent is writable, before the simulation starts); the marker is written last;
5. the temporary folder is renamed into place; an old folder is moved aside first and deleted
   after.

A process killed at any point leaves either the old folder, or the new one complete, plus at most
a hidden temporary that the next run cleans up; :meth:`sim.results.Result.load` refuses a folder
without the marker.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sim.errors import SimError

__all__ = [
    "MARKER",
    "OutputFolder",
    "OutputFolderError",
    "acquire_lock",
    "is_sim_folder",
    "make_temp_sibling",
    "release_lock",
    "require_sim_folder",
    "short_error",
    "target_lock",
]

#: The file that proves a folder was written, completely, by sim.
MARKER = ".sim-run"
_MARKER_TEXT = "This folder was written by sim; `--overwrite` may replace it.\n"


class OutputFolderError(SimError):
    """An output folder that cannot be used (exists, foreign, locked, not writable): exit 2."""

    exit_code = 2


def is_sim_folder(path: Path) -> bool:
    """True when ``path`` is a real folder (not a symlink) holding the sim marker file."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and (path / MARKER).is_file()


def _check_target(target: Path, overwrite: bool) -> None:
    try:
        st = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputFolderError(f"{target}: cannot use as output folder: {exc.strerror}") from None
    if not overwrite:
        raise OutputFolderError(f"{target}: output folder exists; use --overwrite to replace it")
    if not stat.S_ISDIR(st.st_mode):
        raise OutputFolderError(
            f"{target}: exists and is not a folder; --overwrite replaces only folders sim wrote"
        )
    if not (target / MARKER).is_file():
        raise OutputFolderError(
            f"{target}: exists and was not written by sim (no {MARKER} marker); "
            "--overwrite replaces only folders sim wrote"
        )


class OutputFolder:
    """Context manager: lock ``target``, hand out a temporary sibling, rename it into place.

    Use::

        with OutputFolder(target, overwrite=False) as out:
            ...  # simulate, then write into out.tmp
            out.commit()

    Leaving the block without :meth:`commit` (an error, an interrupt) removes the temporary and
    leaves ``target`` as it was.

    Raises
    ------
    OutputFolderError
        On entry: ``target`` exists (without ``overwrite``), is not a sim folder, is locked by
        another process, or its parent is not writable.
    """

    def __init__(self, target: str | Path, *, overwrite: bool = False) -> None:
        self.target = Path(target)
        if self.target.name in ("", ".", ".."):
            self.target = self.target.resolve()
        self.overwrite = overwrite
        self._lock_fd: int | None = None
        self._tmp: Path | None = None
        self.committed = False

    @property
    def tmp(self) -> Path:
        """The temporary folder to write into."""
        if self._tmp is None:
            raise RuntimeError("OutputFolder used outside its `with` block")
        return self._tmp

    def __enter__(self) -> OutputFolder:
        _check_target(self.target, self.overwrite)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputFolderError(
                f"{self.target.parent}: cannot create the output folder's parent: {exc.strerror}"
            ) from None
        self._lock()
        try:
            _check_target(self.target, self.overwrite)  # again, now that we hold the lock
            self._clean_stale()
            self._tmp = make_temp_sibling(self.target)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._tmp is not None and not self.committed:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._unlock()

    def commit(self) -> Path:
        """Mark the temporary folder complete and rename it to ``target``."""
        tmp = self.tmp
        (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _check_target(self.target, self.overwrite)
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            self.target.rename(old)
            tmp.rename(self.target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(self.target)
        self.committed = True
        return self.target

    # -- lock --------------------------------------------------------------------------------
    def _lock(self) -> None:
        self._lock_fd = acquire_lock(self.target)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            release_lock(self.target, self._lock_fd)
            self._lock_fd = None

    def _clean_stale(self) -> None:
        """Remove temporaries of killed runs (safe: we hold the lock on this target)."""
        prefixes = (f".{self.target.name}.tmp-", f".{self.target.name}.old-")
        try:
            entries = list(self.target.parent.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


def lock_path(target: Path) -> Path:
    """The sibling lock file of ``target``: ``.<name>.lock``."""
    return target.with_name(f".{target.name}.lock")


def acquire_lock(target: Path) -> int:
    """Take the exclusive lock on ``target`` (its sibling lock file); return the descriptor.

    Raises
    ------
    OutputFolderError
        When another process holds it, or the parent folder is not writable.
    """
    import fcntl

    path = lock_path(target)
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise OutputFolderError(
                f"{target.parent}: output folder's parent is not writable: {exc.strerror}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputFolderError(
                    f"{target}: another sim process is writing this output folder; "
                    "wait for it or choose another -o"
                ) from None
            raise
        # the holder before us may have unlinked the file: lock the file that is there now
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)
    raise OutputFolderError(f"{target}: cannot lock the output folder")  # pragma: no cover


def release_lock(target: Path, fd: int) -> None:
    """Remove the lock file and release the lock taken by :func:`acquire_lock`."""
    try:
        lock_path(target).unlink(missing_ok=True)
    finally:
        os.close(fd)  # closing releases the flock


@contextmanager
def target_lock(target: str | Path) -> Iterator[None]:
    """Hold the exclusive lock on ``target`` for the ``with`` block (a sweep folder)."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = acquire_lock(path)
    try:
        yield
    finally:
        release_lock(path, fd)


def short_error(exc: BaseException, limit: int = 200) -> str:
    """``Type: first line of the message``, at most ``limit`` characters."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def require_sim_folder(folder: Path, files: tuple[str, ...]) -> None:
    """Raise (exit code 2) unless ``folder`` is a complete folder written by sim."""
    if not folder.is_dir():
        raise OutputFolderError(f"{folder}: not a folder")
    missing = [f for f in (*files, MARKER) if not (folder / f).is_file()]
    if missing:
        raise OutputFolderError(
            f"{folder}: not a sim run folder, or an incomplete one (missing {', '.join(missing)})"
        )


def make_temp_sibling(target: Path) -> Path:
    """Create an empty temporary folder beside ``target`` (mode 0777 less the umask).

    ``tempfile.mkdtemp`` would make it 0700, and the renamed run folder would keep that mode.

    Raises
    ------
    OutputFolderError
        When the parent folder is not writable.
    """
    import secrets

    for _ in range(100):
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            tmp.mkdir(mode=0o777)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputFolderError(
                f"{target.parent}: output folder's parent is not writable: {exc.strerror}"
            ) from None
        return tmp
    raise OutputFolderError(f"{target.parent}: cannot create a temporary folder")
