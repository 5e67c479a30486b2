"""gcclient's benchmark: the runner library and one module per section."""
