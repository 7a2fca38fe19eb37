"""Commands ``attendance``, ``print`` and ``settings`` (identity on documents)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table

STATUSES = ("present", "absent", "excused", "late")
PERIODS = ("am", "pm")
PRINT_KINDS = ("signin", "attestation", "realisation", "convocation", "course-sheet")
SHORT_STATUS = {"present": "P", "absent": "A", "excused": "E", "late": "R", None: "·"}


def _date(text: str) -> dt.date:
    from allervers_desktop.formatting import parse_date

    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"date illisible : « {text} » (AAAA-MM-JJ)")
    return value


def _time(text: str) -> dt.time:
    from allervers_desktop.formatting import parse_time

    value = parse_time(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"heure illisible : « {text} » (HH:MM)")
    return value


def register(subparsers: Any) -> None:
    attendance = subparsers.add_parser(
        "attendance",
        help="voir ou saisir les présences d'un groupe",
        description="Sans option, affiche la grille des présences du groupe.",
    )
    attendance.add_argument("group", type=int, metavar="GROUP_ID")
    action = attendance.add_mutually_exclusive_group()
    action.add_argument(
        "--all", choices=STATUSES, metavar="STATUT", help="même statut pour tous (present…)"
    )
    action.add_argument(
        "--mark",
        nargs=4,
        metavar=("PARTICIPANT_ID", "DATE", "am|pm", "STATUT"),
        help="statut d'un participant pour une demi-journée",
    )
    action.add_argument(
        "--clear",
        nargs=3,
        metavar=("PARTICIPANT_ID", "DATE", "am|pm"),
        help="effacer la saisie d'un participant pour une demi-journée",
    )
    action.add_argument(
        "--unlock",
        metavar="MOTIF",
        help="déverrouiller les présences d'un groupe terminé dont les documents sont délivrés",
    )
    attendance.add_argument("--reason", default="", help="motif (statut « excused »)")
    attendance.add_argument(
        "--arrived", type=_time, metavar="HH:MM", help="avec --mark … late : heure d'arrivée"
    )
    attendance.add_argument(
        "--left",
        type=_time,
        metavar="HH:MM",
        help="avec --mark … present|late : heure de départ (parti(e) plus tôt)",
    )
    attendance.add_argument("--date", type=_date, help="avec --all : ce jour seulement")
    attendance.add_argument("--period", choices=PERIODS, help="avec --all : matin ou après-midi")
    attendance.add_argument(
        "--only-empty", action="store_true", help="avec --all : garder ce qui est déjà saisi"
    )
    attendance.add_argument("--json", action="store_true", help="sortie JSON")
    attendance.set_defaults(handler=guarded(run_attendance))

    printing = subparsers.add_parser(
        "print",
        help="imprimer en PDF : émargement, attestations, certificats, convocations, fiche",
    )
    printing.add_argument("kind", choices=PRINT_KINDS)
    printing.add_argument("--group", type=int, metavar="ID", help="groupe")
    printing.add_argument("--course", type=int, metavar="ID", help="formation (course-sheet)")
    printing.add_argument(
        "--participant",
        type=int,
        action="append",
        metavar="ID",
        help="seulement ce participant (option répétable)",
    )
    target = printing.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="FICHIER.pdf", help="un seul fichier PDF")
    target.add_argument(
        "--out-dir", type=Path, metavar="DOSSIER", help="un fichier PDF par participant (ou jour)"
    )
    printing.add_argument(
        "--blank-rows", type=int, default=0, metavar="N", help="émargement : N lignes vierges"
    )
    printing.add_argument(
        "--blank", action="store_true", help="émargement : feuille vierge (sans les inscrits)"
    )
    printing.add_argument(
        "--date", type=_date, action="append", help="émargement : ce jour seulement (répétable)"
    )
    printing.add_argument(
        "--issue-date",
        "--issued-on",
        dest="issued_on",
        type=_date,
        metavar="AAAA-MM-JJ",
        help="date de délivrance des attestations et certificats émis maintenant (défaut : "
        "aujourd'hui ; une date passée est enregistrée comme antidatée), ou date d'envoi "
        "des convocations",
    )
    printing.add_argument(
        "--reissue",
        action="store_true",
        help="attestations/certificats dont les données ont changé : émettre une version "
        "corrigée (nouveau numéro, « annule et remplace »)",
    )
    printing.add_argument(
        "--force", action="store_true", help="remplacer un fichier PDF en lecture seule"
    )
    printing.set_defaults(handler=guarded(run_print))

    settings = subparsers.add_parser(
        "settings",
        help="identité imprimée sur les documents (Paramètres)",
        description="Sans option, affiche les paramètres ; les options les modifient.",
    )
    settings.add_argument("--organisation", help="nom de l'organisme")
    settings.add_argument("--address", help="adresse (\\n pour aller à la ligne)")
    settings.add_argument("--signatory", help="nom du signataire")
    settings.add_argument("--signatory-title", help="qualité du signataire")
    settings.add_argument("--city", help="ville de signature (« Fait à … »)")
    settings.add_argument("--logo", type=Path, metavar="IMAGE", help="logo (PNG, JPEG)")
    settings.add_argument("--signature", type=Path, metavar="IMAGE", help="image de signature")
    settings.add_argument("--no-logo", action="store_true", help="retirer le logo")
    settings.add_argument("--no-signature", action="store_true", help="retirer la signature")
    settings.add_argument("--sender", metavar="ADRESSE", help="adresse d'expéditeur des messages")
    settings.add_argument("--smtp-host", metavar="SERVEUR", help="serveur d'envoi (SMTP)")
    settings.add_argument("--smtp-port", type=int, metavar="N", help="port du serveur d'envoi")
    settings.add_argument(
        "--smtp-security",
        choices=("none", "starttls", "ssl"),
        help="sécurité de la connexion (starttls : port 587, ssl : port 465)",
    )
    settings.add_argument(
        "--smtp-user",
        metavar="UTILISATEUR",
        help="identifiant (le mot de passe reste dans le trousseau du système, ou dans la "
        "variable ALLERVERS_SMTP_PASSWORD)",
    )
    settings.add_argument(
        "--smtp-password",
        action="store_true",
        help="demander le mot de passe du serveur d'envoi et le garder dans le trousseau du "
        "système (jamais en clair)",
    )
    settings.add_argument("--json", action="store_true", help="sortie JSON")
    settings.set_defaults(handler=guarded(run_settings))


def _participant_id(text: str) -> int:
    from allervers_desktop.services.errors import ServiceError

    try:
        return int(text)
    except ValueError:
        raise ServiceError(f"Numéro de participant illisible : « {text} ».") from None


def _checked_date(text: str) -> dt.date:
    from allervers_desktop.formatting import parse_date
    from allervers_desktop.services.errors import ServiceError

    value = parse_date(text)
    if value is None:
        raise ServiceError(f"Date illisible : « {text} » (attendu : AAAA-MM-JJ).")
    return value


def run_attendance(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import (
        ATTENDANCE_STATUS_LABELS,
        PERIOD_LABELS,
        attendance_label,
        duration_fr,
        short_date,
    )
    from allervers_desktop.services import attendance as service
    from allervers_desktop.services.errors import ServiceError

    if (args.date or args.period or args.only_empty) and not args.all:
        return fail("--date, --period et --only-empty ne s'emploient qu'avec --all.")
    if (args.arrived or args.left) and not args.mark:
        return fail("--arrived et --left ne s'emploient qu'avec --mark.")
    with opened_database(args) as database:
        if args.unlock is not None:
            from allervers_desktop.services.attendance_lock import unlock_attendance

            with database.transaction() as session:
                unlock = unlock_attendance(session, args.group, args.unlock)
            print(
                f"Présences déverrouillées le {unlock.unlocked_at:%d/%m/%Y à %H:%M} par "
                f"{unlock.unlocked_by} (motif : {unlock.reason})."
            )
            return 0
        if args.all:
            with database.transaction() as session:
                grid = service.attendance_grid(session, args.group)
                chosen = args.date is not None or args.period is not None
                wanted = [
                    column.half_day_id
                    for column in grid.columns
                    if (args.date is None or column.date == args.date)
                    and (args.period is None or column.period == args.period)
                    and (chosen or column.started(grid.now))
                ]
                if not wanted and chosen:
                    raise ServiceError("Aucune demi-journée du groupe ne correspond.")
                changed = service.mark_all(
                    session,
                    args.group,
                    args.all,
                    half_day_ids=wanted if wanted else None,
                    only_empty=args.only_empty,
                )
            label = ATTENDANCE_STATUS_LABELS[args.all].lower()
            print(
                f"{len(changed)} saisie(s) passée(s) à « {label} » sur "
                f"{len(wanted)} demi-journée(s) du groupe « {grid.group_label} »."
            )
            return 0
        if args.mark or args.clear:
            values = args.mark or args.clear
            participant_id = _participant_id(values[0])
            day = _checked_date(values[1])
            period = values[2]
            status = args.mark[3] if args.mark else None
            if status is not None and status not in STATUSES:
                return fail(f"Statut inconnu : « {status} » ({', '.join(STATUSES)}).")
            with database.transaction() as session:
                enrollment = service.find_enrollment(session, args.group, participant_id)
                half_day = service.find_half_day(session, args.group, day, period)
                name = enrollment.participant.full_name
                if status is None:
                    service.clear_cell(session, enrollment.id, half_day.id)
                    what = "saisie effacée"
                else:
                    service.set_cell(
                        session,
                        enrollment.id,
                        half_day.id,
                        status,
                        args.reason,
                        arrived_at=args.arrived,
                        left_at=args.left,
                    )
                    state = service.CellState(status, "", args.arrived, args.left)
                    minutes = state.minutes(half_day.start_time, half_day.end_time)
                    what = attendance_label(status, args.arrived, args.left).lower()
                    if state.counts:
                        what += f", {duration_fr(minutes)} suivie(s)"
            print(f"{name}, {short_date(day)} {PERIOD_LABELS[period]} : {what}.")
            return 0
        with database.session() as session:
            grid = service.attendance_grid(session, args.group)
    return _show_grid(grid, args.json)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _short_cell(state: Any) -> str:
    """« P », « R 9:20 », « P →11:00 », « R 9:20→11:00 », « · »."""
    text = SHORT_STATUS[state.status]
    if state.arrived_at is not None:
        text += f" {state.arrived_at.hour}:{state.arrived_at.minute:02d}"
    if state.left_at is not None:
        text += f"{'' if state.arrived_at else ' '}→{state.left_at.hour}:{state.left_at.minute:02d}"
    return text


def _clock(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _show_grid(grid: Any, as_json: bool) -> int:
    from allervers_desktop.formatting import hours_fr

    if as_json:
        print_json(
            {
                "group_id": grid.group_id,
                "group": grid.group_label,
                "half_days": [
                    {
                        "id": column.half_day_id,
                        "date": column.date.isoformat(),
                        "period": column.period,
                        "label": column.label,
                        "start": _clock(column.start_time),
                        "end": _clock(column.end_time),
                        "hours": column.hours,
                        "open": column.started(grid.now),
                        "rate": grid.half_day_rate(column.half_day_id),
                    }
                    for column in grid.columns
                ],
                "participants": [
                    {
                        "participant_id": row.participant_id,
                        "enrollment_id": row.enrollment_id,
                        "name": row.name,
                        "employer": row.employer,
                        "cells": {
                            str(column.half_day_id): {
                                "date": column.date.isoformat(),
                                "period": column.period,
                                "status": state.status,
                                "reason": state.reason,
                                "arrived_at": _clock(state.arrived_at),
                                "left_at": _clock(state.left_at),
                                "hours_attended": round(column.attended_hours(state), 4),
                                "minutes_attended": column.attended_minutes(state),
                            }
                            for column in grid.columns
                            if (state := row.cell(column.half_day_id)).is_recorded
                        },
                        "hours_attended": round(grid.hours_attended(row), 4),
                        "minutes_attended": grid.minutes_attended(row),
                        "hours_attended_label": hours_fr(grid.hours_attended(row)),
                        "hours_planned": grid.hours_planned,
                    }
                    for row in grid.rows
                ],
                "rate": grid.group_rate(),
                "locked": grid.locked,
            }
        )
        return 0
    headers = ["N°", "Participant", *[column.label for column in grid.columns], "Heures"]
    table = [
        [
            str(row.participant_id),
            row.name,
            *[_short_cell(row.cell(column.half_day_id)) for column in grid.columns],
            f"{hours_fr(grid.hours_attended(row))} / {hours_fr(grid.hours_planned)}",
        ]
        for row in grid.rows
    ]
    print_table(headers, table)
    rates = ", ".join(
        f"{column.label} {_percent(grid.half_day_rate(column.half_day_id))}"
        for column in grid.columns
    )
    print(
        "P présent, A absent, E excusé, R en retard (heure d'arrivée), →HH:MM parti(e) à, "
        f"· non saisi. Taux : {rates}."
    )
    print(f"Taux de présence du groupe : {_percent(grid.group_rate())}.")
    if grid.locked:
        print(grid.locked_reason)
    return 0


def run_print(args: argparse.Namespace) -> int:
    from allervers_desktop.documents.batch import DocumentRequest, export_documents
    from allervers_desktop.documents.fonts import prepare_fonts
    from allervers_desktop.documents.model import DocumentKind

    kind = DocumentKind(args.kind)
    if kind is DocumentKind.COURSE_SHEET:
        if args.course is None:
            return fail("course-sheet demande --course ID.")
        if args.group is not None or args.participant:
            return fail("course-sheet ne prend ni --group ni --participant.")
    elif args.group is None:
        return fail(f"{args.kind} demande --group ID.")
    elif args.course is not None:
        return fail("--course ne s'applique qu'à course-sheet.")
    if kind is not DocumentKind.SIGNIN and (args.blank_rows or args.blank or args.date):
        return fail("--blank-rows, --blank et --date ne s'appliquent qu'à signin.")
    if args.reissue and not kind.is_certificate:
        return fail("--reissue ne s'applique qu'aux attestations et certificats.")
    if args.issued_on and not (kind.is_certificate or kind is DocumentKind.CONVOCATION):
        return fail(
            "--issue-date ne s'applique qu'aux attestations, certificats et convocations."
        )
    request = DocumentRequest(
        kind=kind,
        group_id=args.group,
        course_id=args.course,
        participant_ids=tuple(args.participant) if args.participant else None,
        blank_rows=args.blank_rows,
        blank_sheet=args.blank,
        days=tuple(args.date or ()),
        issued_on=args.issued_on,
        reissue=args.reissue,
    )
    prepare_fonts()
    split = args.out_dir is not None
    output = args.out_dir if split else args.out
    with opened_database(args) as database:
        changed = _changed_before(database, request) if not args.reissue else []
        result = export_documents(
            database, request, output, split=split, replace_read_only=args.force
        )
    for line in result.report.lines:
        print(f"allervers : avertissement : {line}", file=sys.stderr)
    if changed:
        print(
            f"allervers : note : {len(changed)} document(s) réimprimé(s) à l'identique alors "
            "que leurs données ont changé depuis leur délivrance : "
            + " ; ".join(change.line for change in changed)
            + ". Relancez avec --reissue pour émettre une version corrigée (nouveau numéro, "
            "« annule et remplace »).",
            file=sys.stderr,
        )
    for path in result.files:
        print(f"Écrit : {path}")
    numbers = f" ; n° {result.numbers[0]} à {result.numbers[-1]}" if result.numbers else ""
    print(f"{result.documents} document(s), {result.pages} page(s){numbers}.")
    return 0


def _changed_before(database: Any, request: Any) -> list[Any]:
    """The documents of the request a reprint would give as issued although their data
    changed (read before printing)."""
    from allervers_desktop.documents.issuing import changed_documents

    if not request.kind.is_certificate or request.group_id is None:
        return []
    with database.session() as session:
        return changed_documents(
            session,
            request.kind,
            request.group_id,
            request.participant_ids,
        )


def run_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from allervers_desktop.mail.config import load_mail_settings, save_mail_settings
    from allervers_desktop.services.settings import get_identity, read_image_file, save_identity

    texts = {
        "organisation_name": args.organisation,
        "address": args.address.replace("\\n", "\n") if args.address is not None else None,
        "signatory_name": args.signatory,
        "signatory_title": args.signatory_title,
        "city": args.city,
    }
    if args.logo and args.no_logo:
        return fail("--logo et --no-logo s'excluent.")
    if args.signature and args.no_signature:
        return fail("--signature et --no-signature s'excluent.")
    logo = read_image_file(args.logo, "logo") if args.logo else None
    signature = read_image_file(args.signature, "signature") if args.signature else None
    changes = {name: value for name, value in texts.items() if value is not None}
    mail_changes = _mail_changes(args)
    password = _ask_password() if args.smtp_password else None
    changing = bool(changes or logo or signature or args.no_logo or args.no_signature)
    with opened_database(args) as database:
        if changing or mail_changes or password is not None:
            with database.transaction() as session:
                identity = get_identity(session)
                if changing:
                    identity = replace(identity, **changes)
                    if logo is not None or args.no_logo:
                        identity = replace(identity, logo=logo)
                    if signature is not None or args.no_signature:
                        identity = replace(identity, signature=signature)
                    identity = save_identity(session, identity)
                mail = save_mail_settings(
                    session, replace(load_mail_settings(session), **mail_changes)
                )
                if password is not None:  # refused: the whole change is rolled back
                    _store_password(mail, password)
        else:
            with database.session() as session:
                identity = get_identity(session)
                mail = load_mail_settings(session)
    rows = {
        "organisation_name": identity.organisation_name,
        "address": identity.address,
        "signatory_name": identity.signatory_name,
        "signatory_title": identity.signatory_title,
        "city": identity.city,
        "logo": identity.logo.file_name if identity.logo else "",
        "signature": identity.signature.file_name if identity.signature else "",
        "sender": mail.sender,
        "smtp_host": mail.smtp_host,
        "smtp_port": str(mail.port) if mail.smtp_host else "",
        "smtp_security": mail.smtp_security.value if mail.smtp_host else "",
        "smtp_user": mail.smtp_user,
    }
    if args.json:
        print_json(rows)
        return 0
    labels = {
        "organisation_name": "Organisme",
        "address": "Adresse",
        "signatory_name": "Signataire",
        "signatory_title": "Qualité",
        "city": "Fait à",
        "logo": "Logo",
        "signature": "Signature",
        "sender": "Expéditeur des messages",
        "smtp_host": "Serveur d'envoi",
        "smtp_port": "Port",
        "smtp_security": "Sécurité",
        "smtp_user": "Identifiant",
    }
    for key, label in labels.items():
        value = rows[key].replace("\n", ", ") or "(vide)"
        print(f"{label} : {value}")
    if changing or mail_changes or password is not None:
        print("Paramètres enregistrés.")
    return 0


def _ask_password() -> str:
    import getpass

    from allervers_desktop.services.errors import ServiceError

    if sys.stdin.isatty():
        password = getpass.getpass("Mot de passe du serveur d'envoi : ")
    else:  # a script: one line on the standard input
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ServiceError("Mot de passe vide : rien n'a été enregistré.")
    return password


def _store_password(mail: Any, password: str) -> None:
    from allervers_desktop.mail.config import store_password
    from allervers_desktop.services.errors import ServiceError

    if not (mail.smtp_host and mail.smtp_user):
        raise ServiceError(
            "Indiquez d'abord le serveur et l'identifiant (--smtp-host, --smtp-user) : le mot "
            "de passe est gardé pour eux."
        )
    store_password(mail, password)


def _mail_changes(args: argparse.Namespace) -> dict[str, Any]:
    from allervers_desktop.mail.config import Security

    given = {
        "sender": args.sender,
        "smtp_host": args.smtp_host,
        "smtp_port": args.smtp_port,
        "smtp_security": Security(args.smtp_security) if args.smtp_security else None,
        "smtp_user": args.smtp_user,
    }
    return {name: value for name, value in given.items() if value is not None}
