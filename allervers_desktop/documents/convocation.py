"""Convocation: the Opco's letter inviting a participant for the provider: objectives, programme,
venue, days, times, trainers, prerequisites, what to bring, accessibility and rules, contact."""

from __future__ import annotations

from collections.abc import Callable

from allervers_desktop.documents.canvas import PAGE_WIDTH, Canvas, TextStyle
from allervers_desktop.documents.model import Convocation
from allervers_desktop.documents.parts import (
    BODY,
    BODY_BOLD,
    CONTENT_WIDTH,
    FOOTER_TOP,
    MARGIN,
    VALUE,
    field_rows,
    footer,
    letterhead,
    signature_block,
    table,
)
from allervers_desktop.formatting import hours_fr, long_date, short_date
from allervers_desktop.services.providers import ProviderData

ADDRESS = TextStyle(10.5)
ADDRESS_BOLD = TextStyle(10.5, bold=True)
LABEL_WIDTH = 34.0
LIMIT = FOOTER_TOP - 4  # lowest y a row may reach
SALUTATIONS = {"Mme": "Madame", "M.": "Monsieur"}
EXPECTED = {"Mme": "attendue", "M.": "attendu"}


def paint_convocation(canvas: Canvas, convocation: Convocation) -> None:
    canvas.start_page()
    identity = convocation.identity
    group = convocation.group
    course = group.course
    participant = convocation.participant
    # The Opco sends it (« Paramètres »), for the provider: see ``ISSUERS``.
    y = letterhead(canvas, identity, course.opco_name, ("CONVOCATION", group.title))
    # Recipient, where a window envelope shows it.
    x = PAGE_WIDTH / 2 + 10
    width = PAGE_WIDTH - MARGIN - x
    ry = max(y, 48.0)
    ry += canvas.text(x, ry, width, participant.formal_name, ADDRESS_BOLD)
    for line in (participant.job_title, participant.employer, participant.employer_city):
        if line:
            ry += canvas.text(x, ry, width, line, ADDRESS)
    place = identity.city or group.city
    issued = short_date(convocation.issued_on)
    dated = f"{place}, le {issued}" if place else f"Le {issued}"
    ry += 8
    ry += canvas.text(x, ry, width, dated, BODY)
    y = ry + 10
    subject = f"Objet : convocation à la formation « {course.title} »"
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, subject, BODY_BOLD) + 6
    salutation = SALUTATIONS.get(participant.civility, "Madame, Monsieur")
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, f"{salutation},", BODY) + 3
    module = f", {course.module}," if course.module else ""
    led_by = f" animée par {course.provider_name}" if course.provider_name else ""
    expected = EXPECTED.get(participant.civility, "attendu(e)")
    intro = (
        f"Nous avons le plaisir de vous confirmer votre inscription à la formation "
        f"« {course.title} »{module}{led_by}. Vous êtes {expected} aux dates et "
        "horaires suivants :"
    )
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, intro, BODY) + 4
    rows = []
    for day in group.dates:
        halves = {half.period: half.times_label for half in group.half_days_of(day)}
        rows.append([long_date(day).capitalize(), halves.get("am", "—"), halves.get("pm", "—")])
    y = table(canvas, y, ["Date", "Matin", "Après-midi"], [70, 50, CONTENT_WIDTH - 120], rows)
    y += 5
    trainers = "\n".join(
        f"{trainer.name}{f', {trainer.job_title}' if trainer.job_title else ''}"
        for trainer in group.trainers
    )
    contact = " – ".join(
        part for part in (course.opco_contact_name, course.opco_contact_email) if part
    )
    if contact and course.opco_name:
        contact = f"{contact} ({course.opco_name})"
    provider = course.provider
    organisation = identity.organisation_name or course.opco_name
    footer_text = " – ".join(p for p in (organisation, *identity.address_lines) if p)

    def next_page() -> float:
        footer(canvas, footer_text, "")
        canvas.start_page()
        title = f"Convocation de {participant.formal_name} – {group.title} (suite)"
        return 20 + canvas.text(MARGIN, 20, CONTENT_WIDTH, title, BODY_BOLD) + 6

    y = _paged_rows(
        canvas,
        y,
        [
            ("Lieu", group.place),
            ("Durée", hours_fr(group.hours_planned)),
            ("Intervenant(e)s", trainers),
            ("Prérequis", course.prerequisites),
            ("À apporter", course.what_to_bring),
            ("Accessibilité", _accessibility(provider)),
            ("Règlement intérieur", _rules(provider)),
            ("Votre contact", contact),
            ("Financement", course.funding_line),
            ("Objectifs", _objectives(course.objectives)),
            ("Programme", _programme(course.programme)),
        ],
        next_page,
    )
    y += 3
    closing = (
        "Merci de vous présenter quelques minutes avant le début de la séance ; en cas "
        "d'empêchement, prévenez-nous au plus tôt. Nous vous prions d'agréer, "
        f"{salutation}, l'expression de nos salutations distinguées."
    )
    if y + len(canvas.wrap(closing, BODY, CONTENT_WIDTH)) * canvas.line_height(BODY) + 40 > LIMIT:
        y = next_page()
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, closing, BODY)
    signature_block(canvas, y + 6, identity, "", convocation.issued_on, with_place=False)
    footer(canvas, footer_text, "")


def _paged_rows(
    canvas: Canvas, y: float, rows: list[tuple[str, str]], next_page: Callable[[], float]
) -> float:
    """« Label  value » rows, going on to a new page before a row that would not fit."""
    for label, value in rows:
        if not value:
            continue
        lines = len(canvas.wrap(value, VALUE, CONTENT_WIDTH - LABEL_WIDTH))
        if y + lines * canvas.line_height(VALUE) > LIMIT:
            y = next_page()
        y = field_rows(canvas, y, [(label, value)], label_width=LABEL_WIDTH, bold=("Lieu",))
    return y


def _objectives(objectives: tuple[str, ...]) -> str:
    return "\n".join(f"{number}. {text}" for number, text in enumerate(objectives, start=1))


def _programme(programme: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The title of each day; the detail is in the course sheet sent with the letter."""
    days = [
        f"Jour {number} : {title}" if title else f"Jour {number}"
        for number, (title, _items) in enumerate(programme, start=1)
    ]
    if not days:
        return ""
    return "\n".join([*days, "Le programme détaillé figure sur la fiche technique jointe."])


def _accessibility(provider: ProviderData) -> str:
    """Who to tell about a disability (référent handicap of the provider)."""
    if not provider.accessibility_contact:
        return ""
    contact = " ".join(provider.accessibility_contact.split())
    return (
        f"Pour tout besoin d'adaptation lié à une situation de handicap, contactez le référent "
        f"handicap{f' de {provider.name}' if provider.name else ''} : {contact}."
    )


def _rules(provider: ProviderData) -> str:
    rules = provider.internal_rules.strip()
    if not rules:
        return ""
    owner = f" de {provider.name}" if provider.name else ""
    if rules.lower().startswith(("http://", "https://", "www.")) and " " not in rules:
        return (
            f"Le règlement intérieur{owner}, qui s'applique pendant la formation, est "
            f"consultable sur {rules}"
        )
    return f"Le règlement intérieur{owner} s'applique pendant la formation : {rules}"
