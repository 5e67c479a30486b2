"""The ``gc`` command line: a cliff App and one command class per operation."""
