"""gunicorn's application module for Keystone, Nova, Placement and Glance.

Their WSGI entry points parse ``sys.argv`` with oslo.config; under gunicorn that is
gunicorn's own command line and every worker dies with "unrecognized arguments:
--bind ...". This module hides it before importing the real application, named by
``GCRS_WSGI_MODULE``. It runs inside a service's virtualenv: standard library only.
"""

import importlib
import os
import sys

sys.argv = sys.argv[:1]
application = importlib.import_module(os.environ["GCRS_WSGI_MODULE"]).application
