"""A tiny S3 on 127.0.0.1 that can stall or die, for testing how ``fetch`` behaves when S3 misbehaves.

It answers what ``fetch`` asks (ListObjectsV2 with prefix and delimiter, HeadObject, GetObject, path-style
URLs) from a dict of objects. After a set number of GetObject requests it either stalls (sends the
response headers and half of the body, then nothing) or dies (stops listening and drops every open
connection, like a killed process). Stalled handlers wait at most ``HANG`` seconds, so nothing outlives
a test for long.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

HANG = 30.0  # the longest a stalled handler waits before it lets go
Trouble = Literal["stall", "die"]


class LoopbackS3:
    """One bucket of ``objects`` served on 127.0.0.1; ``trouble`` starts after ``healthy_gets`` GetObjects."""

    def __init__(self, bucket: str, objects: Mapping[str, bytes], trouble: Trouble | None = None,
                 healthy_gets: int = 0, stall_listing: bool = False) -> None:
        self.bucket, self.objects = bucket, dict(objects)
        self.trouble, self.healthy_gets, self.stall_listing = trouble, healthy_gets, stall_listing
        self.gets = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.connections: set[socket.socket] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.handle_error = lambda *_: None  # type: ignore[method-assign]  # cut connections are expected
        self.dead = False

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def die(self) -> None:
        """Stop listening and cut every open connection, as when the process is killed."""
        with self.lock:
            if self.dead:
                return
            self.dead = True
        threading.Thread(target=self.server.shutdown, daemon=True).start()
        self.server.socket.close()
        for connection in list(self.connections):
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self.release.set()
        self.die()

    def next_get(self) -> Trouble | None:
        """Count a GetObject; the trouble it meets, if any."""
        with self.lock:
            self.gets += 1
            return self.trouble if self.gets > self.healthy_gets else None


def etag(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()


def _listing(s3: LoopbackS3, prefix: str, delimiter: str) -> bytes:
    keys, folders = [], []
    for key in sorted(s3.objects):
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix):]
        if delimiter and delimiter in rest:
            folder = prefix + rest.split(delimiter, 1)[0] + delimiter
            if folder not in folders:
                folders.append(folder)
        else:
            keys.append(key)
    contents = "".join(f"<Contents><Key>{escape(k)}</Key><LastModified>2024-05-01T00:00:00.000Z"
                       f"</LastModified><ETag>&quot;{etag(s3.objects[k])}&quot;</ETag>"
                       f"<Size>{len(s3.objects[k])}</Size><StorageClass>STANDARD</StorageClass></Contents>"
                       for k in keys)
    common = "".join(f"<CommonPrefixes><Prefix>{escape(f)}</Prefix></CommonPrefixes>" for f in folders)
    return ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult '
            'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Name>{s3.bucket}</Name><Prefix>{escape(prefix)}</Prefix><KeyCount>{len(keys) + len(folders)}"
            f"</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>{escape(delimiter)}</Delimiter>"
            f"<IsTruncated>false</IsTruncated>{contents}{common}</ListBucketResult>").encode()


def _handler(s3: LoopbackS3) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
            pass

        def setup(self) -> None:
            super().setup()
            s3.connections.add(self.connection)

        def finish(self) -> None:
            s3.connections.discard(self.connection)
            with suppress(OSError):
                super().finish()

        def _key(self) -> tuple[str, dict[str, list[str]]]:
            url = urlsplit(self.path)
            path = unquote(url.path).lstrip("/")
            bucket, _, key = path.partition("/")
            assert bucket == s3.bucket, f"unexpected bucket in {self.path}"
            return key, parse_qs(url.query)

        def _send(self, status: int, body: bytes, headers: Mapping[str, str] = {}) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _object_headers(self, body: bytes) -> dict[str, str]:
            return {"ETag": f'"{etag(body)}"', "Last-Modified": "Wed, 01 May 2024 00:00:00 GMT",
                    "Content-Type": "application/octet-stream"}

        def do_HEAD(self) -> None:
            key, _ = self._key()
            if key not in s3.objects:
                self._send(404, b"")
                return
            self._send(200, s3.objects[key], self._object_headers(s3.objects[key]))

        def do_GET(self) -> None:
            key, query = self._key()
            if not key:
                if s3.stall_listing:
                    s3.release.wait(HANG)
                    return
                body = _listing(s3, query.get("prefix", [""])[0], query.get("delimiter", [""])[0])
                self._send(200, body, {"Content-Type": "application/xml"})
                return
            if key not in s3.objects:
                self._send(404, b"<Error><Code>NoSuchKey</Code></Error>", {"Content-Type": "application/xml"})
                return
            body = s3.objects[key]
            trouble = s3.next_get()
            if trouble == "die":
                s3.die()
                return
            if trouble == "stall":
                self.send_response(200)
                for name, value in self._object_headers(body).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                s3.release.wait(HANG)
                return
            self._send(200, body, self._object_headers(body))

    return Handler


@contextmanager
def serving(bucket: str, objects: Mapping[str, bytes], **trouble: object) -> Iterator[LoopbackS3]:
    """A started LoopbackS3 (keyword arguments as LoopbackS3's), stopped afterwards."""
    server = LoopbackS3(bucket, objects, **trouble)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()
