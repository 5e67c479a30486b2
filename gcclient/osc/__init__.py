"""The ``openstack`` plugin: gc's live-image commands inside python-openstackclient.

``pip install 'gcclient[osc]'`` then ``openstack live image list``. The
commands are gc's own command classes (:mod:`gcclient.cli`) over the same wire
(:mod:`gcclient.api.gcwire`); only where the wire comes from differs: OSC's session.
"""
