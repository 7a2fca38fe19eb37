"""French formatting of dates, times, hours and statuses, shared by the window and documents."""

from __future__ import annotations

import datetime as dt

from allervers_desktop.phones import display_phone

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

GROUP_STATUS_LABELS = {
    "planned": "Prévu",
    "confirmed": "Confirmé",
    "cancelled": "Annulé",
    "completed": "Terminé",
}
ENROLLMENT_STATUS_LABELS = {
    "registered": "Inscrit",
    "confirmed": "Confirmé",
    "waitlisted": "Liste d'attente",
    "cancelled": "Annulé",
    "transferred": "Transféré",
}
ATTENDANCE_STATUS_LABELS = {
    "present": "Présent",
    "absent": "Absent",
    "excused": "Excusé",
    "late": "En retard",
}
ACTION_NATURE_LABELS = {
    "training": "Action de formation",
    "skills_assessment": "Bilan de compétences",
    "vae": "Action de VAE",
    "apprenticeship": "Action de formation par apprentissage",
}
PERIOD_LABELS = {"am": "matin", "pm": "après-midi"}
ASSESSMENT_LABELS = {
    "acquired": "Objectifs acquis",
    "partial": "Objectifs partiellement acquis",
    "not_acquired": "Objectifs non acquis",
}
# Attendance words that agree with the person: (masculine, feminine, neutral).
ATTENDANCE_AGREEMENT = {
    "present": ("Présent", "Présente", "Présent(e)"),
    "absent": ("Absent", "Absente", "Absent(e)"),
    "excused": ("Excusé", "Excusée", "Excusé(e)"),
    "late": ("En retard", "En retard", "En retard"),
}


def gendered(civility: str, masculine: str, feminine: str, neutral: str = "") -> str:
    """The word agreeing with « Mme » / « M. »; the neutral form (« salarié(e) ») otherwise."""
    if civility == "Mme":
        return feminine
    if civility == "M.":
        return masculine
    return neutral or f"{masculine}(e)"


def agreed_attendance_label(status: str, civility: str) -> str:
    """« Présente » for Madame, « Présent » for Monsieur, « Présent(e) » when unknown."""
    forms = ATTENDANCE_AGREEMENT.get(status)
    if forms is None:
        return ATTENDANCE_STATUS_LABELS.get(status, status)
    return gendered(civility, *forms)


def short_date(value: dt.date | None) -> str:
    """« 25/09/2023 »."""
    return value.strftime("%d/%m/%Y") if value else ""


def long_date(value: dt.date) -> str:
    """« lundi 25 septembre 2023 »."""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def day_month(value: dt.date) -> str:
    """« lun. 25/09 »."""
    return f"{WEEKDAYS_SHORT[value.weekday()]} {value.strftime('%d/%m')}"


def clock(value: dt.time) -> str:
    """« 09:00 »."""
    return value.strftime("%H:%M")


def spoken_time(value: dt.time) -> str:
    """« 9 h 00 »."""
    return f"{value.hour} h {value.minute:02d}"


def decimal_fr(value: float) -> str:
    """French decimal without useless zeros: 10.5 -> « 10,5 », 14.0 -> « 14 »."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def duration_fr(minutes: int) -> str:
    """A duration in hours and minutes, as French readers write it: 190 -> « 3 h 10 »,
    840 -> « 14 h », 30 -> « 0 h 30 ». Exact to the minute, like the times it comes from."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}" if rest else f"{sign}{hours} h"


def hours_fr(value: float) -> str:
    """Hours (a float, e.g. 10.75) to the nearest minute: « 10 h 45 », « 14 h »."""
    return duration_fr(round(value * 60))


def attendance_label(
    status: str | None,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
    reason: str = "",
) -> str:
    """« En retard (arrivée 9 h 20) », « Présent (départ 11 h 00) », « Excusé — malade »."""
    if status is None:
        return "Non saisi"
    label = ATTENDANCE_STATUS_LABELS[status]
    times = presence_times(arrived_at, left_at)
    if times:
        label += f" ({times})"
    return f"{label} — {reason}" if reason else label


def presence_times(arrived_at: dt.time | None, left_at: dt.time | None) -> str:
    """« arrivée 9 h 20, départ 11 h 00 », or one of them, or nothing."""
    times = []
    if arrived_at is not None:
        times.append(f"arrivée {spoken_time(arrived_at)}")
    if left_at is not None:
        times.append(f"départ {spoken_time(left_at)}")
    return ", ".join(times)


def date_list(dates: list[dt.date]) -> str:
    """« 25/09/2023, 26/09/2023 »."""
    return ", ".join(short_date(day) for day in sorted(dates))


def date_range(dates: list[dt.date]) -> str:
    """« du 25/09/2023 au 26/09/2023 », or « le 25/09/2023 » for one day."""
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    if first == last:
        return f"le {short_date(first)}"
    return f"du {short_date(first)} au {short_date(last)}"


def parse_time(text: str) -> dt.time | None:
    """« 9h », « 09:30 », « 13 h 30 », « 920 », « 1345 » -> time; None when unreadable."""
    cleaned = text.strip().lower().replace(" ", "").replace("h", ":").replace(".", ":")
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    if cleaned.endswith(":"):
        cleaned += "00"
    try:
        hours, minutes = ([*cleaned.split(":"), "0"])[:2]
        return dt.time(int(hours), int(minutes or 0))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """« 25/09/2023 », « 25/09/23 », « 2023-09-25 » -> date; None when unreadable."""
    cleaned = text.strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def format_siret(siret: str) -> str:
    """« 123 456 789 00012 », as printed (anything else unchanged)."""
    if len(siret) != 14:
        return siret
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def format_nda(nda: str) -> str:
    """« 44 67 01234 67 »: région, département, sequence and key, as the prefecture prints it."""
    if len(nda) != 11:
        return nda
    return f"{nda[:2]} {nda[2:4]} {nda[4:9]} {nda[9:]}"


def phone(stored: str | None) -> str:
    """A stored phone number the French way: « +33623456789 » -> « 06 23 45 67 89 »."""
    return display_phone(stored)


# A person's fields as forms, exports and the Historique name them.
PERSON_FIELD_LABELS = {
    "civility": "Civilité",
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "E-mail",
    "phone": "Téléphone",
    "job_title": "Fonction",
    "employer_id": "Établissement",
}
