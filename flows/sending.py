"""Sending one outbox message with apprise, and keeping what apprise said about it.

One ``Apprise`` per message (its row's URL), the text as ``NotifyFormat.TEXT`` (with
apprise's default an e-mail's text/plain part is empty and the HTML part carries the raw
text), the subject as title, the row's files as ``AppriseAttachment``. apprise's
``notify()`` answers True (sent), False (a service refused or failed) or None (no
service accepted the URL); apprise's own retries stay off (our backoff decides).

The dedup key travels in the message so that a receiver can drop a second copy (after
an operator's ``notify retry`` of a row whose outcome was unknown): as the header
``X-Ethicsflow-Dedup-Key`` (e-mail header; HTTP header of ``json://``, ``xml://``,
``form://``) and, for ``json://``, also as the payload field ``dedup_key``.

**Why not ``apprise.LogCapture``.** It attaches a handler to apprise's one shared
logger, so with several messages in flight at once each capture would also collect the
other threads' lines. :func:`_captured` does the same with a handler that keeps only the
sending thread's records; the error kept is what apprise logged from its first warning
on (the failure, then the details it logs at debug level, e.g. ``Connection refused``).
While messages are in flight apprise's logger does not propagate to the root logger:
its lines name recipients, which do not belong in logs.

**Cost of an e-mail.** apprise's e-mail plugin builds ``ssl.create_default_context()``
for every message, even for plain SMTP that never uses it, and with OpenSSL 3 loading the
CA bundle that way is slow enough to cap delivery per process (docs/internals.md). The
plugin is handed a context that is built only when used (SSL or STARTTLS), with the
same settings applied in the same order, so verification is unchanged (the dispatch
tests check STARTTLS with and without ``verify=no``).
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from apprise import Apprise, AppriseAsset, AppriseAttachment, NotifyFormat
from apprise.logger import LOGGER_NAME

from ethicsflow.models.notifications.delivery import MAX_ERROR, NO_SERVICE, Message, Outcome
from ethicsflow.models.notifications.listing import mask_url

DEDUP_HEADER = "X-Ethicsflow-Dedup-Key"
DEDUP_FIELD = "dedup_key"
FORMATS = {"text": NotifyFormat.TEXT, "markdown": NotifyFormat.MARKDOWN, "html": NotifyFormat.HTML}
ASSET = AppriseAsset(app_id="ethicsflow", app_desc="ethicsflow notifications")


def send(message: Message) -> Outcome:
    """Send one message; never raises for a failed delivery (the outcome says why)."""
    missing = [path for path in message.attachments if not os.path.isfile(path)]
    if missing:
        return Outcome(False, f"attachment not found: {', '.join(missing)}"[:MAX_ERROR])
    with _captured() as log:
        try:
            result = _notify(message)
        except Exception as exc:  # a bug or an unexpected input inside apprise
            return Outcome(False, f"apprise raised {type(exc).__name__}: {exc}"[:MAX_ERROR])
    if result is True:
        return Outcome(True)
    head = NO_SERVICE if result is None else "not delivered"
    details = log.text()
    return Outcome(result, (f"{head}: {details}" if details else head)[:MAX_ERROR])


def _notify(message: Message) -> bool | None:
    plugin = Apprise.instantiate(message.url, asset=ASSET)
    if not plugin:
        return None
    _stamp(plugin, message.dedup_key)
    notifier = Apprise(asset=ASSET)
    notifier.add(plugin)
    attach = AppriseAttachment(list(message.attachments)) if message.attachments else None
    result: bool | None = notifier.notify(
        body=message.body,
        title=message.subject,
        body_format=FORMATS.get(message.body_format, NotifyFormat.TEXT),
        attach=attach,
    )
    return result


def _stamp(plugin: Any, dedup_key: str) -> None:
    """Put the dedup key into the message where the service has room for it."""
    headers = getattr(plugin, "headers", None)
    if isinstance(headers, dict):
        headers[DEDUP_HEADER] = dedup_key
    extras = getattr(plugin, "payload_extras", None)  # json://, xml://, form://
    if isinstance(extras, dict):
        extras[DEDUP_FIELD] = dedup_key


def privacy_url(url: str) -> str:
    """The URL as apprise prints it with its secrets hidden (per service), header values
    hidden too; our own masking when apprise cannot read the URL."""
    with _captured():
        plugin = Apprise.instantiate(url, asset=ASSET)
    if not plugin:
        return mask_url(url)
    shown = str(plugin.url(privacy=True))
    parts = urlsplit(shown)
    query = [(k, "****" if k.startswith("+") else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="@")))


# --- what apprise logs while one thread sends --------------------------------------------


class _ThreadLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)

    def text(self) -> str:
        """The lines from apprise's first warning on (else its last few lines)."""
        lines = [r.getMessage() for r in self.records]
        first = next((i for i, r in enumerate(self.records) if r.levelno >= logging.WARNING), None)
        kept = lines[first:] if first is not None else lines[-5:]
        return " | ".join(line.strip() for line in kept if line.strip())


_LOGGER = logging.getLogger(LOGGER_NAME)
_lock = threading.Lock()
_held = [0, logging.NOTSET, True]  # holders, saved level, saved propagate


@contextmanager
def quiet_apprise() -> Iterator[None]:
    """apprise's logger at debug level, not propagating to the root logger, while any
    caller holds this (a batch of sends holds it once: setting a logger's level clears
    every logger's cache)."""
    with _lock:
        if _held[0] == 0:
            _held[1:] = [_LOGGER.level, _LOGGER.propagate]
            _LOGGER.setLevel(logging.DEBUG)
            _LOGGER.propagate = False
        _held[0] += 1
    try:
        yield
    finally:
        with _lock:
            _held[0] -= 1
            if _held[0] == 0:
                _LOGGER.setLevel(int(_held[1]))
                _LOGGER.propagate = bool(_held[2])


@contextmanager
def _captured() -> Iterator[_ThreadLog]:
    handler = _ThreadLog()
    with quiet_apprise():
        _LOGGER.addHandler(handler)
        try:
            yield handler
        finally:
            _LOGGER.removeHandler(handler)


# --- the e-mail plugin's TLS context, built only when used --------------------------------


class _LazyTLSContext:
    """Stands in for ``ssl.create_default_context(...)``: settings made before first use
    are recorded and replayed, in order, on the real context built at first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "_make", lambda: ssl.create_default_context(*args, **kwargs))
        object.__setattr__(self, "_settings", [])
        object.__setattr__(self, "_context", None)

    def _real(self) -> ssl.SSLContext:
        context: ssl.SSLContext | None = object.__getattribute__(self, "_context")
        if context is None:
            context = object.__getattribute__(self, "_make")()
            for name, value in object.__getattribute__(self, "_settings"):
                setattr(context, name, value)
            object.__setattr__(self, "_context", context)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        context = object.__getattribute__(self, "_context")
        if context is None:
            object.__getattribute__(self, "_settings").append((name, value))
        else:
            setattr(context, name, value)


class _SSLModule:
    """The ``ssl`` module as apprise's e-mail plugin sees it: the same, except that
    ``create_default_context`` is lazy."""

    create_default_context = _LazyTLSContext

    def __getattr__(self, name: str) -> Any:
        return getattr(ssl, name)


def _prepare_apprise() -> None:
    """Load apprise's plugins once (quietly) and give the e-mail plugin the lazy context."""
    # imported here, like the e-mail plugin below: only after this module set up apprise
    from apprise.plugins import N_MGR

    with warnings.catch_warnings():
        # apprise's PGP support imports `imghdr` (deprecated in Python 3.11, gone in 3.13)
        warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
        N_MGR.load_modules()
    # imported after load_modules, which imports it under the warnings filter above
    from apprise.plugins.email import base

    if getattr(base, "ssl", None) is ssl:
        setattr(base, "ssl", _SSLModule())  # noqa: B010  (module attribute, typed as module)


_prepare_apprise()
