"""gongshi (公示): a static-site generator for campaign publicity and disclosure."""

__version__ = "0.1.0"
