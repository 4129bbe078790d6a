"""What a run narrows its listings by: a House, and an answering body named by id or by name."""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files

from rapidfuzz import fuzz, process, utils

from store.fetch.client import FetchRequestError

HOUSES = ("Commons", "Lords")


class UnknownDepartment(FetchRequestError):
    """A department that matches no answering body, or several; the message names the close ones."""


def listing_filters(department: str | None, house: str | None) -> dict[str, str]:
    """The query every listing of a run shares: members' names and parties, and the body and house chosen."""
    filters = {"expandMember": "true"}
    if department:
        filters["answeringBodies"] = str(answering_body_id(department))
    if house:
        filters["house"] = house_name(house)
    return filters


def house_name(house: str) -> str:
    """The API's name for a house given in any case: "lords" is "Lords"."""
    for name in HOUSES:
        if house.strip().casefold() == name.casefold():
            return name
    raise FetchRequestError(f"no house called “{house}”: choose commons or lords")


def answering_body_id(department: str) -> int:
    """The API's id for a department given by its id ("60"), or by its name or part of it ("education")."""
    wanted = department.strip()
    if wanted.isdigit():
        return int(wanted)
    bodies = _answering_bodies()
    exact = {name: body for name, body in bodies.items() if name.casefold() == wanted.casefold()}
    matches = exact or {name: body for name, body in bodies.items() if wanted.casefold() in name.casefold()}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise UnknownDepartment(f"“{wanted}” could be any of: {'; '.join(sorted(matches))}")
    close = process.extract(
        wanted, list(bodies), scorer=fuzz.partial_ratio, processor=utils.default_process, score_cutoff=70, limit=3
    )
    hint = f"; did you mean {' or '.join(name for name, _, _ in close)}?" if close else "; give its id instead"
    raise UnknownDepartment(f"no department called “{wanted}”{hint}")


@functools.cache
def _answering_bodies() -> dict[str, int]:
    """The bundled table of answering bodies' names and ids (store/answering_bodies.toml)."""
    return tomllib.loads(files("store").joinpath("answering_bodies.toml").read_text("utf-8"))["answering_bodies"]


def filters_label(filters: dict[str, str]) -> str:
    """The part of a file name or a remembered position that says which house and body a run asked for."""
    house = f"-{filters['house'].lower()}" if "house" in filters else ""
    body = f"-body{filters['answeringBodies']}" if "answeringBodies" in filters else ""
    return house + body
