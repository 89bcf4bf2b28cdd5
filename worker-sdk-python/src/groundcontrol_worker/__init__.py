"""Groundcontrol workers in Python: plain functions that run the stages of one component.

See :class:`Worker`; the contract it implements is README "The topic contract".
"""
from .codec import Codec, WireFormatError, fingerprint_hex
from .context import StageContext
from .errors import MissingParam, NonRetryableError, StageCancelled
from .outcome import Outcome
from .worker import ConfigError, KafkaRefused, Worker

__all__ = ["Worker", "StageContext", "Outcome", "NonRetryableError", "MissingParam", "StageCancelled", "ConfigError",
           "KafkaRefused", "Codec", "WireFormatError", "fingerprint_hex"]
