"""One module per provider API shape, behind the transport registry (transports.py):
the provider for a channel is chosen in settings (SMS_PROVIDER, WHATSAPP_PROVIDER).

A gateway is read, not trusted: its answer's body is parsed, a 2xx that says the message
was rejected is a permanent failure with the provider's reason, and the provider's id for
the message is returned, stored on the row and matched by the status callbacks."""
