"""What every transport and gateway raises, and their base class (transports.py says
which failure is which)."""


class TransportError(Exception):
    pass


class TransientError(TransportError):
    pass


class PermanentError(TransportError):
    def __init__(self, message, reason="refused", body=None):
        super().__init__(message)
        self.reason = reason
        self.body = body  # the provider's parsed answer, when there was one


class Transport:
    channel = ""

    def send(self, notification):
        raise NotImplementedError
