"""Convocation: a letter inviting a participant, with the venue, days, times and trainers."""

from __future__ import annotations

from allervers_desktop.documents.canvas import PAGE_WIDTH, Canvas, TextStyle
from allervers_desktop.documents.model import Convocation
from allervers_desktop.documents.parts import (
    BODY,
    BODY_BOLD,
    CONTENT_WIDTH,
    MARGIN,
    field_rows,
    footer,
    letterhead,
    signature_block,
    table,
)
from allervers_desktop.formatting import hours_fr, long_date, short_date

ADDRESS = TextStyle(10.5)
ADDRESS_BOLD = TextStyle(10.5, bold=True)
SALUTATIONS = {"Mme": "Madame", "M.": "Monsieur"}
EXPECTED = {"Mme": "attendue", "M.": "attendu"}


def paint_convocation(canvas: Canvas, convocation: Convocation) -> None:
    canvas.start_page()
    identity = convocation.identity
    group = convocation.group
    course = group.course
    participant = convocation.participant
    y = letterhead(canvas, identity, course.provider_name, ("CONVOCATION", group.title))
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
    provider = f" animée par {course.provider_name}" if course.provider_name else ""
    expected = EXPECTED.get(participant.civility, "attendu(e)")
    intro = (
        f"Nous avons le plaisir de vous confirmer votre inscription à la formation "
        f"« {course.title} »{module}{provider}. Vous êtes {expected} aux dates et "
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
    y = field_rows(
        canvas,
        y,
        [
            ("Groupe", group.title),
            ("Lieu", group.place),
            ("Durée", hours_fr(group.hours_planned)),
            ("Intervenant(e)s", trainers),
            ("Prérequis", course.prerequisites),
            ("Financement", course.funding_line),
            ("Votre contact", contact),
        ],
        label_width=34,
        bold=("Lieu",),
    )
    y += 3
    closing = (
        "Merci de vous présenter quelques minutes avant le début de la séance ; en cas "
        "d'empêchement, prévenez-nous au plus tôt. Nous vous prions d'agréer, "
        f"{salutation}, l'expression de nos salutations distinguées."
    )
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, closing, BODY)
    signature_block(canvas, y + 6, identity, "", convocation.issued_on, with_place=False)
    organisation = identity.organisation_name or course.provider_name
    footer(canvas, " – ".join(p for p in (organisation, *identity.address_lines) if p), "")
