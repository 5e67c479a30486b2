"""gc-simulator: a local Keystone + Nova + Gridcentric/Cobalt extension endpoint."""
