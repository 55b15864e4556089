"""Recusal (回避) at the use cases: who is acting or being assigned, from the token and the
staff directory, checked against the case (domain/recusal.py)."""

from __future__ import annotations

from ..domain import recusal
from ..domain.actor import Actor
from ..domain.lifecycle import Action
from ..domain.model import Complaint


def people() -> list[recusal.Staff]:
    """The directory's staff (cached per process); none when no directory is configured,
    so a respondent is then matched by user id and the actor's own token name only."""
    from ..adapters.directory import DirectoryUnavailable, get_directory

    try:
        return [recusal.Staff(p.user_id, p.name) for p in get_directory().people()]
    except DirectoryUnavailable:
        return []


def person(user_id: str, name: str = "") -> recusal.Staff:
    known = next((p for p in people() if p.user_id == user_id), None)
    return recusal.Staff(user_id, known.name if known and known.name else name)


def check(complaint: Complaint, action: Action, command, actor: Actor) -> None:
    """409 if the actor (by id, the directory's name or the token's), or the handler an
    assignment names, must stay out of the case."""
    doing = f"{action.value.replace('_', ' ')} it"
    recusal.check(complaint, person(actor.user_id, actor.name), doing)
    if actor.name:
        recusal.check(complaint, recusal.Staff(actor.user_id, actor.name), doing)
    if action == Action.assign:
        recusal.check(complaint, person(command.handler), "be assigned it")


def recused(complaint: Complaint) -> list[dict]:
    return [
        {"user_id": user_id, "reason": reason}
        for user_id, reason in sorted(recusal.recused(complaint, people()).items())
    ]
