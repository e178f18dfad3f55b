class ServiceError(RuntimeError):
    """A server could not be started, stopped or reached; the message says how to fix it."""
