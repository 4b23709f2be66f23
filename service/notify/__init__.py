"""Delivering notifications to the outside: the channels' senders and the worker's task."""
