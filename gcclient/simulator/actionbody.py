"""Which action a ``POST /servers/{id}/action`` asks for, as nova's wsgi found it.

Nova of every era (2012.1 wsgi.py:88-103, 693-702, 905-916; 2012.2 wsgi.py:147-167, 775-784,
1005-1011; 2014.1 wsgi.py:165-185, 811-818, 638-662, 919-934, 1056-1059) reads the
``Content-Type`` header without its parameters: absent, empty, ``text/plain`` or any type it
does not know leaves no body type, so no action can be found ("There is no such action:
None"). A JSON body must have exactly one key ("Malformed request body"); a JSON value that
has a length of one but no keys (``[1]``, ``"x"``), or no length at all (``null``, ``5``),
makes the lookup fail with an AttributeError or a TypeError, which nova answers 404. An XML
body names its action by its root element and is turned into the same dictionary nova's
XMLDeserializer made.
"""

from __future__ import annotations

from typing import Any
from xml.dom import minidom
from xml.parsers.expat import ExpatError

from .request import Request
from .responses import ApiError, bad_request, not_found
from .wire import MAX_JSON_DEPTH

JSON_TYPES = ("application/json", "application/vnd.openstack.compute+json")
XML_TYPES = ("application/xml", "application/vnd.openstack.compute+xml")


def media_type(req: Request) -> str | None:
    """``json``, ``xml`` or None, from the header as webob's ``content_type`` gives it (the
    text before the first ``;``, not folded to lower case)."""
    header = req.header("Content-Type")
    if header is None:
        return None
    content_type = header.split(";", 1)[0]
    if content_type in JSON_TYPES:
        return "json"
    if content_type in XML_TYPES:
        return "xml"
    return None


def malformed() -> ApiError:
    return bad_request("Malformed request body")


def requested_action(req: Request) -> tuple[str, Any]:
    """The action key and its value, or the error nova answered."""
    mtype = media_type(req)
    if mtype is None:
        raise bad_request("There is no such action: None")
    if mtype == "xml":
        return _xml_action(req.raw)
    if not req.raw:
        raise malformed()
    body = req.json()  # "Malformed request body" when it is not JSON
    if isinstance(body, (dict, list, str)):
        if len(body) != 1:
            raise malformed()
        if isinstance(body, dict):
            key, value = next(iter(body.items()))
            return key, value
    raise not_found()  # decoded.keys() or len(decoded) failed


def _xml_action(raw: bytes) -> tuple[str, Any]:
    """nova's safe_minidom_parse_string refuses a DOCTYPE (entities); the root element names
    the action and XMLDeserializer._from_xml_node gives its value."""
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise malformed()
    try:
        document = minidom.parseString(raw)
    except (ExpatError, ValueError):
        raise malformed()
    root = document.childNodes[0]
    if root.nodeType != root.ELEMENT_NODE:  # a comment first: ``tagName`` is missing
        raise not_found()
    if _depth(root) > MAX_JSON_DEPTH:  # the same bound as a JSON body's (see Limits)
        raise malformed()
    return root.tagName, _from_xml_node(root)


def _depth(root: Any) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_JSON_DEPTH:
            stack.extend((child, depth + 1) for child in node.childNodes)
    return deepest


def _from_xml_node(node: Any) -> Any:
    children = node.childNodes
    if len(children) == 1 and children[0].nodeType == node.TEXT_NODE:
        return children[0].nodeValue
    result: dict[str, Any] = {}
    for name in node.attributes.keys():
        if not name.startswith("xmlns"):
            result[name] = node.attributes[name].nodeValue
    for child in children:
        if child.nodeType != node.TEXT_NODE:
            result[child.nodeName] = _from_xml_node(child)
    return result


__all__ = ["media_type", "requested_action"]
