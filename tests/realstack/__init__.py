"""A real OpenStack in the loop: Keystone, Nova's compute API, Placement and Glance from PyPI.

``python -m tests.realstack up|down|status`` installs them (each in its own virtualenv,
cached outside the checkout), sets them up on sqlite, starts them on loopback ports and
stops them by their PIDs; ``pytest tests/realstack`` runs real ``gc`` processes against
the running stack and skips with one reason when it is not up. See ``stack.py`` for the
layout and ``README.rst`` for the times.
"""
