"""Certificat de réalisation, after the Ministry of Labour's model, one page per participant."""

from __future__ import annotations

from allervers_desktop.documents.canvas import (
    ACCENT,
    MUTED,
    PAGE_WIDTH,
    RULE,
    Canvas,
    Run,
    TextStyle,
)
from allervers_desktop.documents.model import Certificate, CourseInfo
from allervers_desktop.documents.parts import (
    CONTENT_WIDTH,
    FOOTER_TOP,
    MARGIN,
    footer,
    letterhead,
    title_block,
)
from allervers_desktop.formatting import format_nda, hours_fr, short_date
from allervers_desktop.services.providers import ProviderData

TEXT = TextStyle(10.5)
FILLED = TextStyle(10.5, bold=True)
BOX_LABEL = TextStyle(10.5)
SMALL = TextStyle(8.5, color=MUTED)
COMMITMENT = (
    "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, "
    "je m'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le "
    "présent certificat pendant une durée de 3 ans à compter de la fin de l'année du dernier "
    "paiement. En cas de cofinancement des fonds européens, la durée de conservation est "
    "étendue conformément aux obligations conventionnelles spécifiques."
)
NATURES = (
    ("training", "action de formation"),
    ("skills_assessment", "bilan de compétences"),
    ("vae", "action de VAE"),
    ("apprenticeship", "action de formation par apprentissage"),
)
BLANK = "……………………………"
NATURE_TITLE = "Nature de l'action concourant au développement des compétences :"
COMMITMENT_STYLE = TextStyle(9.5, italic=True)


def _paragraph(canvas: Canvas, y: float, runs: list[Run], indent: float = 0) -> float:
    lines = canvas.wrap_runs(runs, CONTENT_WIDTH - indent)
    step = canvas.line_height(TEXT) * 1.25
    return y + canvas.draw_runs(MARGIN + indent, y, lines, step)


def registration_lines(provider: ProviderData) -> list[str]:
    """« SIRET … – NDA … » under the provider's address on its letterhead."""
    parts = [provider.siret_label]
    if provider.nda:
        parts.append(f"NDA {format_nda(provider.nda)}")
    line = " – ".join(part for part in parts if part)
    return [line] if line else []


def legal_footer(provider: ProviderData) -> str:
    """The provider's legal mentions: name, SIRET, NDA (« ne vaut pas agrément »)."""
    parts = [provider.name, provider.siret_label]
    if provider.nda:
        parts.append(f"{provider.nda_label}. Cet enregistrement ne vaut pas agrément de l'État.")
    return " – ".join(part for part in parts if part)


def paint_realisation(canvas: Canvas, certificate: Certificate) -> None:
    """The Ministry of Labour's model on the provider's letterhead, signed for the provider."""
    canvas.start_page()
    issuer = certificate.issuer
    provider = certificate.provider
    group = certificate.group
    course = group.course
    participant = certificate.participant
    y = letterhead(
        canvas,
        issuer,
        provider.name,
        (
            f"N° {certificate.number}",
            f"Délivré le {short_date(certificate.issued_on)}",
            *certificate.replaces_lines,
        ),
        registration_lines(provider),
    )
    y = title_block(canvas, y + 2, "CERTIFICAT DE RÉALISATION")
    # Never anyone else's name: an unknown representative leaves the line to fill by hand.
    signatory = provider.legal_representative or BLANK
    y = _paragraph(
        canvas,
        y,
        [
            ("Je soussigné(e) ", TEXT),
            (signatory, FILLED),
            (
                ", représentant légal du dispensateur de l'action concourant au "
                "développement des compétences ",
                TEXT,
            ),
            (certificate.provider_name or BLANK, FILLED),
        ],
    )
    y += 4
    y = _paragraph(canvas, y, [("atteste que :", TEXT)])
    y += 3
    y = _paragraph(canvas, y, [(participant.formal_name, FILLED)], indent=8)
    employer = participant.employer or BLANK
    employee = participant.agree("salarié", "salariée", "salarié(e)")
    y = _paragraph(canvas, y, [(f"{employee} de l'entreprise ", TEXT), (employer, FILLED)], 8)
    y += 3
    title = course.title + (f" – {course.module}" if course.module else "")
    y = _paragraph(canvas, y, [("a suivi l'action ", TEXT), (title, FILLED)])
    y += 6
    y = canvas.reuse(("natures", course.action_nature, y), lambda: _natures(canvas, course, y))
    y += 3
    dates = group.dates
    first = short_date(dates[0]) if dates else BLANK
    last = short_date(dates[-1]) if dates else BLANK
    hours = hours_fr(certificate.hours_attended)
    y = _paragraph(
        canvas,
        y,
        [
            ("qui s'est déroulée du ", TEXT),
            (first, FILLED),
            (" au ", TEXT),
            (last, FILLED),
            (" pour une durée de ", TEXT),
            (hours, FILLED),
            (".", TEXT),
        ],
    )
    if course.funding_line:
        y += 2
        y += canvas.text(
            MARGIN, y, CONTENT_WIDTH, f"Action financée par {course.funding_line}.", SMALL
        )
    y += 8
    canvas.reuse(
        ("realisation-end", issuer, certificate.issue_city, certificate.issued_on, y),
        lambda: _commitment_and_signature(canvas, certificate, y),
    )
    footer(
        canvas,
        legal_footer(provider) or f"{participant.full_name} – {group.title} – {course.title}",
        f"Certificat n° {certificate.number}",
    )


def _natures(canvas: Canvas, course: CourseInfo, y: float) -> float:
    """The four « Nature de l'action » boxes, the course's one ticked; return the y below."""
    y = _paragraph(canvas, y, [(NATURE_TITLE, TEXT)]) + 2
    box = 4.2
    for value, label in NATURES:
        canvas.checkbox(MARGIN + 8, y + 0.4, box, course.action_nature == value)
        canvas.text(MARGIN + 8 + box + 3, y, CONTENT_WIDTH - 20, label, BOX_LABEL)
        y += 7
    return y


def _commitment_and_signature(canvas: Canvas, certificate: Certificate, y: float) -> None:
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, COMMITMENT, COMMITMENT_STYLE) + 12
    _signature_area(canvas, y, certificate)


def _signature_area(canvas: Canvas, y: float, certificate: Certificate) -> None:
    """« Fait à », « Le » on the left; the stamp and signature box on the right."""
    identity = certificate.issuer
    canvas.text(MARGIN, y, 70, "Fait à :", TEXT)
    canvas.text(MARGIN + 16, y, 60, certificate.issue_city or BLANK, FILLED)
    canvas.text(MARGIN, y + 8, 70, "Le :", TEXT)
    canvas.text(MARGIN + 16, y + 8, 60, short_date(certificate.issued_on), FILLED)
    x = PAGE_WIDTH / 2 - 2
    width = PAGE_WIDTH - MARGIN - x
    height = min(58.0, FOOTER_TOP - 6 - y)
    canvas.rect(x, y, width, height, RULE, 0.3)
    caption = "Cachet et signature du responsable du dispensateur de formation"
    top = y + 2.5
    top += canvas.text(x + 3, top, width - 6, caption, TextStyle(9, bold=True, color=ACCENT))
    top += canvas.text(x + 3, top, width - 6, "(nom, prénom, qualité du signataire)", SMALL)
    top += 2
    if identity.signatory_name:
        top += canvas.text(x + 3, top, width - 6, identity.signatory_name, FILLED)
    if identity.signatory_title:
        top += canvas.text(x + 3, top, width - 6, identity.signatory_title, TEXT)
    room = y + height - top - 3
    if identity.signature is not None and room > 8:
        image = canvas.decoded(identity.signature.content)
        canvas.image(image, x + 3, top + 1, width - 6, room, "c")
