"""The operations core shared by every front-end (gc, the Python API, the novaclient
extension, the openstack plugin): typed requests (:mod:`.launch`), the outcome of
every write (:mod:`.ledger`), the operations with waits and bulk runs
(:mod:`.operations`) and the one manager behind the Python APIs (:mod:`.manager`).
See docs/architecture.rst."""

# Servers acted on at once by the commands on several servers (``--parallel``).
DEFAULT_PARALLEL = 8
