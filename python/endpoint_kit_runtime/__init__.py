"""The endpoint-kit Python worker (see framing.py for the protocol)."""
