"""The officers' side: login, check-in, progress, certificate, external training, /m pages."""
