"""Contact Guard companion: the detection engine and the local WebSocket server."""

__version__ = "0.1.0"
