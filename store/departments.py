"""What a question's own words say plainly about its department and its house."""

from __future__ import annotations

import re

# The office a question is put to (or a minister's brief), and the department that answers.
# Longer phrases come first so that "Health and Social Care" wins over "Health".
_OFFICES = (
    ("Housing, Communities and Local Government", "Ministry of Housing, Communities and Local Government"),
    ("Levelling Up, Housing and Communities", "Department for Levelling Up, Housing and Communities"),
    ("Environment, Food and Rural Affairs", "Department for Environment, Food and Rural Affairs"),
    ("Foreign, Commonwealth and Development Affairs", "Foreign, Commonwealth and Development Office"),
    ("Foreign and Commonwealth Affairs", "Foreign and Commonwealth Office"),
    ("Science, Innovation and Technology", "Department for Science, Innovation and Technology"),
    ("Culture, Media and Sport", "Department for Culture, Media and Sport"),
    ("Digital, Culture, Media and Sport", "Department for Digital, Culture, Media and Sport"),
    ("Energy Security and Net Zero", "Department for Energy Security and Net Zero"),
    ("Business, Energy and Industrial Strategy", "Department for Business, Energy and Industrial Strategy"),
    ("Health and Social Care", "Department of Health and Social Care"),
    ("Children, Schools and Families", "Department for Children, Schools and Families"),
    ("Work and Pensions", "Department for Work and Pensions"),
    ("Business and Trade", "Department for Business and Trade"),
    ("International Development", "Department for International Development"),
    ("International Trade", "Department for International Trade"),
    ("the Home Department", "Home Office"),
    ("Northern Ireland", "Northern Ireland Office"),
    ("Education", "Department for Education"),
    ("Transport", "Department for Transport"),
    ("Defence", "Ministry of Defence"),
    ("Justice", "Ministry of Justice"),
    ("Scotland", "Scotland Office"),
    ("Wales", "Wales Office"),
    ("the Cabinet Office", "Cabinet Office"),
    ("Women and Equalities", "Women and Equalities"),
    ("Health", "Department of Health"),
)

# Ministers addressed by title rather than "Secretary of State for …".
_TITLES = (
    ("Chancellor of the Exchequer", "Treasury"),
    ("Minister for the Cabinet Office", "Cabinet Office"),
    ("Chancellor of the Duchy of Lancaster", "Cabinet Office"),
    ("Minister for Women and Equalities", "Women and Equalities"),
    ("Attorney General", "Attorney General"),
    ("Solicitor General", "Attorney General"),
    ("Leader of the House", "Leader of the House"),
    ("Prime Minister", "Prime Minister"),
)

_OFFICE_PATTERN = re.compile(
    r"(?:Secretary\s+of\s+State|Minister(?:\s+of\s+State)?)\s+(?:for|of)\s+(?P<office>[^.;:?]+)",
    re.IGNORECASE,
)
_LORDS_OPENING = re.compile(r"^\s*To\s+ask\s+(?:His|Her)\s+Majesty['’]s\s+Government", re.IGNORECASE)
_COMMONS_OPENING = re.compile(r"^\s*To\s+ask\s+the\s+", re.IGNORECASE)


def _office_department(office: str) -> str | None:
    folded = office.casefold()
    for phrase, department in _OFFICES:
        if folded.startswith(phrase.casefold()):
            return department
    return None


def department_from_question(question: str) -> str | None:
    """The department a Commons question is put to, read from its "To ask the …" opening alone."""
    opening = _COMMONS_OPENING.match(question)
    if not opening:
        return None
    addressee = question[opening.end() :]
    if (match := _OFFICE_PATTERN.match(addressee)) and (department := _office_department(match.group("office"))):
        return department
    folded = addressee.casefold()
    return next((department for title, department in _TITLES if folded.startswith(title.casefold())), None)


def house_from_question(question: str) -> str | None:
    """Lords questions ask His or Her Majesty's Government; Commons ones ask a named minister."""
    if _LORDS_OPENING.match(question):
        return "Lords"
    if _COMMONS_OPENING.match(question):
        return "Commons"
    return None
