import sys

from gcclient.cli.application import main

sys.exit(main())
