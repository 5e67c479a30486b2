import sys

from gcclient.cli.entry import main

sys.exit(main())
