"""A service's dead-letter queue: inspect and replay, over HTTP or the command line."""

from crm_chassis.events.deadletters.queue import (
    DeadLetter,
    discard_dead_letters,
    list_dead_letters,
    replay_dead_letters,
)
from crm_chassis.events.deadletters.router import dead_letters_router

__all__ = [
    "DeadLetter",
    "dead_letters_router",
    "discard_dead_letters",
    "list_dead_letters",
    "replay_dead_letters",
]
