"""French Novel Tool: French novels in, short self-standing sentences out."""

__version__ = "0.1.0"
