"""A list answer decoded as it arrives: one server view at a time.

``gc list-launched`` of 10,000 servers read the whole answer (2 MB of text), decoded
it into 10,000 dicts and only then made its rows: 100 MB at the peak. Here the body
is read in chunks and each element of the top-level JSON array is decoded as soon as
its text is complete, so a caller that keeps only what it shows (a row) holds one
view at a time. Any other shape of answer (``{"servers": [...]}``, which some eras
give) is decoded whole, as :func:`gcclient.api.decoding.as_list` reads it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from gcclient.api import bodies, decoding, exceptions

if TYPE_CHECKING:  # the wire is the caller's: this module loads with gc's commands
    from gcclient.api.gcwire import Server, Wire

CHUNK = 64 * 1024
_WHITESPACE = " \t\n\r"


def json_array_items(chunks: Iterable[bytes]) -> Iterator[Any]:
    """The elements of a JSON array whose UTF-8 text arrives in ``chunks``; a body that
    is not an array is decoded whole and yielded as one value (``NotArray``)."""
    decoder = json.JSONDecoder()
    text = codecs.getincrementaldecoder("utf-8")()
    buffer, pos, state = "", 0, "start"
    source = iter(chunks)
    while True:
        chunk = next(source, None)
        buffer += text.decode(chunk or b"", final=chunk is None)
        while True:
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos == len(buffer):
                break
            char = buffer[pos]
            if state == "start":
                if char != "[":
                    rest = "".join(text.decode(c) for c in source) + text.decode(b"", final=True)
                    yield NotArray(buffer[pos:] + rest)
                    return
                pos, state = pos + 1, "first"
                continue
            if state == "end":
                raise decoding.Undecodable(f"text after the array: {buffer[pos : pos + 20]!r}")
            if char == "]" and state in ("first", "next"):
                pos, state = pos + 1, "end"
                continue
            if state == "next":
                if char != ",":
                    raise decoding.Undecodable(f"expected ',' or ']', got {char!r}")
                pos, state = pos + 1, "item"
                continue
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError:
                if chunk is None:
                    raise decoding.Undecodable("the array ends early") from None
                break  # the element's text is not complete yet
            if end == len(buffer) and not isinstance(item, (dict, list)) and chunk is not None:
                break  # a number or word may go on in the next chunk
            yield item
            pos, state = end, "next"
        buffer, pos = buffer[pos:], 0
        if chunk is None:
            if state == "start":
                yield NotArray("")  # an empty body: no server
            elif state != "end":
                raise decoding.Undecodable("the answer ends before its array does")
            return


class NotArray(str):
    """The whole text of a body that is not a JSON array."""


def iter_listed(wire: Wire, server_id: str, action: str) -> Iterator[Server]:
    """The servers a read-only list action answers (``gc_list_launched``,
    ``gc_list_blessed``), each as its text arrives, filtered as ``as_list`` does."""
    path = f"/servers/{server_id}/action"
    response = wire.read_response("POST", path, json=bodies.simple_body(action), stream=True)
    if response.status_code >= 300:
        try:
            wire.checked(response, "POST", path, action)  # an error, or a redirect's
        finally:
            response.close()
    try:
        for item in json_array_items(response.iter_content(CHUNK)):
            if isinstance(item, NotArray):
                yield from decoding.as_list(decoding.decode(item))
            elif isinstance(item, dict) and item.get("id") not in (None, ""):
                yield item
    except decoding.Undecodable:
        # The wire's words for a read it decodes whole (Wire._check).
        raise exceptions.ClientException(
            f"The server answered {action} with a body that is not JSON "
            f"(HTTP {response.status_code}, {response.headers.get('Content-Type', '')})",
            http_status=response.status_code,
        ) from None
    except OSError as exc:  # requests' connection and chunked-encoding errors
        raise exceptions.ConnectionFailure(f"The answer to {action} was cut off: {exc}") from None
    finally:
        response.close()
