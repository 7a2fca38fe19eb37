"""Commands ``mail`` (compose a group's messages, send them or write drafts) and ``outbox``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table

MAIL_KINDS = {
    "convocations": "convocation",
    "employers": "employer_list",
    "reminders": "reminder",
    "certificates": "certificates",
    "free": "free",
}
HELPS = {
    "convocations": "une convocation par participant (copie à l'établissement)",
    "employers": "à chaque établissement, la liste de ses inscrits",
    "reminders": "un rappel à chaque participant",
    "certificates": "à chaque établissement, les attestations émises de ses salariés",
    "free": "un message libre à chaque participant (--subject, --body)",
}


def register(subparsers: Any) -> None:
    mail = subparsers.add_parser("mail", help="envoyer les messages d'un groupe, ou les brouillons")
    kinds = mail.add_subparsers(dest="mail_kind", metavar="MESSAGES", required=True)
    for name, text in HELPS.items():
        kind = kinds.add_parser(name, help=text)
        kind.add_argument("--group", type=int, required=True, metavar="ID", help="le groupe")
        way = kind.add_mutually_exclusive_group(required=True)
        way.add_argument("--send", action="store_true", help="mettre en boîte d'envoi et envoyer")
        way.add_argument(
            "--drafts", type=Path, metavar="DOSSIER", help="écrire un brouillon .eml par message"
        )
        way.add_argument(
            "--queue", action="store_true", help="mettre en boîte d'envoi sans envoyer"
        )
        way.add_argument(
            "--preview", action="store_true", help="afficher les messages, sans rien envoyer"
        )
        if name == "free":
            kind.add_argument("--subject", required=True, metavar="OBJET")
            kind.add_argument("--body", required=True, metavar="TEXTE", help="\\n : à la ligne")
        kind.set_defaults(handler=guarded(run_mail))

    test = kinds.add_parser("test", help="envoyer un message de test (à l'expéditeur lui-même)")
    test.add_argument("--to", default="", metavar="ADRESSE", help="une autre adresse")
    test.set_defaults(handler=guarded(run_mail_test))

    due = kinds.add_parser(
        "due", help="les groupes dont le rappel est à envoyer (J-7 par défaut), et à combien"
    )
    due.add_argument(
        "--days", type=int, metavar="N", help="délai du rappel en jours (par défaut : le réglage)"
    )
    due.add_argument("--json", action="store_true", help="sortie JSON")
    due.set_defaults(handler=guarded(run_mail_due))

    outbox = subparsers.add_parser("outbox", help="la boîte d'envoi : lister, envoyer, relancer")
    outbox.add_argument("--send", action="store_true", help="envoyer les messages en attente")
    outbox.add_argument(
        "--retry", action="store_true", help="remettre en attente les envois en échec"
    )
    outbox.add_argument(
        "--resend",
        type=int,
        metavar="ID",
        help="remettre en attente un message interrompu, après avoir vérifié qu'il n'est pas "
        "arrivé",
    )
    outbox.add_argument("--group", type=int, metavar="ID", help="les messages d'un groupe")
    outbox.add_argument(
        "--participant", type=int, metavar="ID", help="les messages d'un participant"
    )
    outbox.add_argument(
        "--sent",
        action="store_true",
        help="seulement les messages envoyés (qui a reçu quoi, quand)",
    )
    outbox.add_argument("--json", action="store_true", help="sortie JSON")
    outbox.set_defaults(handler=guarded(run_outbox))


def _print_not_reached(lines: list[str]) -> None:
    if lines:
        print(f"Non joint(s) ({len(lines)}) :")
        for line in lines:
            print(f"- {line}")


def _print_preview(composed: Any) -> None:
    message = composed.message
    print(f"À : {message['To']}")
    if message["Cc"]:
        print(f"Copie : {message['Cc']}")
    print(f"Objet : {message['Subject']}")
    names = ", ".join(attachment.file_name for attachment in composed.attachments)
    print(f"Pièces jointes : {names or '(aucune)'}")
    body = message.get_body(preferencelist=("plain",))
    print()
    print(body.get_content().rstrip() if body is not None else "")
    print("-" * 40)


def _sending_set_up(database: Any) -> tuple[Any, str | None]:
    """The server and its password, refused (French) before anything is queued."""
    from allervers_desktop.mail.config import load_mail_settings, smtp_password

    with database.session() as session:
        settings = load_mail_settings(session)
    settings.require_server()
    return settings, smtp_password(settings)


def _send(
    database: Any, ids: list[int] | None, set_up: tuple[Any, str | None] | None = None
) -> int:
    from allervers_desktop.mail.smtp import SmtpError, pending_ids, send_pending

    settings, password = set_up or _sending_set_up(database)
    try:
        report = send_pending(database, settings, password, ids=ids)
    except SmtpError as exc:
        left = len(pending_ids(database, ids))
        return fail(
            f"{exc.message} {left} message(s) restent dans la boîte d'envoi "
            "(allervers outbox --send)."
        )
    print(f"{len(report.sent)} message(s) envoyé(s).")
    for message_id, reason in report.failed:
        print(f"Échec du message n° {message_id} : {reason}")
    if report.stopped:
        print(
            f"Envoi arrêté : {report.pending} message(s) restent en attente "
            "(allervers outbox --send)."
        )
    return 1 if report.failed else 0


def run_mail(args: argparse.Namespace) -> int:
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.drafts import write_drafts
    from allervers_desktop.mail.outbox import queue
    from allervers_desktop.mail.templates import Template

    kind = MailKind(MAIL_KINDS[args.mail_kind])
    template = None
    if kind is MailKind.FREE:
        template = Template(args.subject, args.body.replace("\\n", "\n"))
    with opened_database(args) as database:
        if args.preview:
            with database.session() as session:
                composition = compose(session, kind, args.group, template)
            for composed in composition.messages:
                _print_preview(composed)
            print(f"{len(composition.messages)} message(s) à envoyer.")
            _print_not_reached(composition.not_reached)
            return 0
        if args.drafts is not None:
            with database.session() as session:
                composition = compose(session, kind, args.group, template)
            files = write_drafts(composition.messages, args.drafts)
            print(f"{len(files)} brouillon(s) écrit(s) dans « {args.drafts} ».")
            _print_not_reached(composition.not_reached)
            return 0
        set_up = _sending_set_up(database) if args.send else None
        with database.session() as session:  # PDFs painted outside the write lock
            composition = compose(session, kind, args.group, template)
        with database.transaction() as session:  # the batch queued at once, or not at all
            ids = queue(session, composition.messages)
        print(f"{len(ids)} message(s) mis dans la boîte d'envoi.")
        _print_not_reached(composition.not_reached)
        if not args.send or not ids:
            return 0
        return _send(database, ids, set_up)


def run_mail_test(args: argparse.Namespace) -> int:
    from allervers_desktop.mail.config import load_mail_settings, smtp_password
    from allervers_desktop.mail.smtp import send_test_message

    with opened_database(args) as database, database.session() as session:
        settings = load_mail_settings(session)
    settings.require_server()
    address = send_test_message(settings, smtp_password(settings), args.to)
    print(f"Message de test envoyé à {address}.")
    return 0


def run_mail_due(args: argparse.Namespace) -> int:
    from allervers_desktop.clock import session_clock
    from allervers_desktop.mail.reminders import MAX_REMINDER_DAYS, due_reminders

    if args.days is not None and not 1 <= args.days <= MAX_REMINDER_DAYS:
        return fail(f"Délai invalide : {args.days} (de 1 à {MAX_REMINDER_DAYS} jours).")
    with opened_database(args) as database, database.session() as session:
        today = session_clock(session).now().date()
        due = due_reminders(session, today, args.days)
    if args.json:
        print_json([reminder.to_json() for reminder in due])
        return 0
    if not due:
        print("Aucun rappel à envoyer.")
        return 0
    rows = [
        [
            str(r.group_id),
            f"{r.course_title} — {r.group_label}",
            r.first_date.strftime("%d/%m/%Y"),
            f"{r.not_reminded} / {r.participants}",
        ]
        for r in due
    ]
    print_table(["Groupe", "Formation — groupe", "Premier jour", "Sans rappel"], rows)
    print("Envoyer : allervers mail reminders --group ID --send")
    return 0


def run_outbox(args: argparse.Namespace) -> int:
    from allervers_desktop.mail.outbox import list_outbox, resend, retry_failed

    with opened_database(args) as database:
        if args.retry or args.resend is not None:
            with database.transaction() as session:
                if args.resend is not None:
                    resend(session, args.resend)
                    print(f"Message n° {args.resend} remis en attente.")
                if args.retry:
                    print(f"{retry_failed(session)} message(s) en échec remis en attente.")
        code = _send(database, None) if args.send else 0
        with database.session() as session:
            entries = list_outbox(
                session,
                statuses=["sent"] if args.sent else None,
                group_id=args.group,
                participant_id=args.participant,
            )
    if args.json:
        print_json([entry.to_json() for entry in entries])
        return code
    if args.send or args.retry or args.resend is not None:
        return code
    rows = [
        [
            str(e.id),
            e.status_label,
            e.to,
            e.subject,
            e.sent_at.strftime("%d/%m/%Y %H:%M") if e.sent_at else "",
            e.last_error,
        ]
        for e in entries
    ]
    print_table(["N°", "État", "À", "Objet", "Envoyé le", "Dernière erreur"], rows)
    return code
