"""One module per ``flowlogs`` command; each defines ``command``."""
