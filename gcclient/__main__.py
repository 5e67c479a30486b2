import sys

from gcclient.cli.app import main

sys.exit(main())
