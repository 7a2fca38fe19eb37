"""Column mapping: which column of the sheet feeds which field, matched by known header names."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from allervers_desktop.text import compact_key


class ImportField(enum.StrEnum):
    """What a column of an attendee list can hold."""

    CIVILITY = "civility"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    FULL_NAME = "full_name"
    EMAIL = "email"
    PHONE = "phone"
    JOB_TITLE = "job_title"
    EMPLOYER = "employer"
    CITY = "city"
    SIRET = "siret"
    FINESS = "finess"
    GROUP = "group"
    STATUS = "status"
    ENROLLED_ON = "enrolled_on"
    NOTES = "notes"


FIELD_LABELS: dict[ImportField, str] = {
    ImportField.CIVILITY: "Civilité",
    ImportField.LAST_NAME: "Nom",
    ImportField.FIRST_NAME: "Prénom",
    ImportField.FULL_NAME: "Nom et prénom (colonne unique)",
    ImportField.EMAIL: "E-mail",
    ImportField.PHONE: "Téléphone",
    ImportField.JOB_TITLE: "Fonction",
    ImportField.EMPLOYER: "Établissement",
    ImportField.CITY: "Ville de l'établissement",
    ImportField.SIRET: "SIRET de l'établissement",
    ImportField.FINESS: "N° FINESS de l'établissement",
    ImportField.GROUP: "Groupe / session",
    ImportField.STATUS: "Statut de l'inscription",
    ImportField.ENROLLED_ON: "Date d'inscription",
    ImportField.NOTES: "Observations",
}

_ALIASES: dict[ImportField, tuple[str, ...]] = {
    ImportField.CIVILITY: (
        "civilite", "civ", "titre", "genre", "madamemonsieur", "mmem", "mmme", "sexe",
    ),
    ImportField.LAST_NAME: (
        "nom", "noms", "nomdefamille", "nomdenaissance", "nomdusage", "nomusuel", "lastname",
        "surname", "familyname", "nomparticipant", "nomstagiaire", "nomduparticipant",
        "nomdustagiaire", "nomdelapersonne", "nommarital",
    ),
    ImportField.FIRST_NAME: (
        "prenom", "prenoms", "firstname", "givenname", "prenomparticipant", "prenomstagiaire",
        "prenomduparticipant", "prenomdustagiaire",
    ),
    ImportField.FULL_NAME: (
        "nomprenom", "prenomnom", "nometprenom", "prenometnom", "nomsprenoms", "nomsetprenoms",
        "stagiaire", "stagiaires", "participant", "participants", "nomcomplet", "identite",
        "apprenant", "apprenants", "personne", "fullname", "name",
    ),
    ImportField.EMAIL: (
        "email", "emails", "mail", "courriel", "adressemail", "adresseemail", "adressecourriel",
        "adresseelectronique", "emailprofessionnel", "mailprofessionnel", "mailpro",
        "courrielprofessionnel", "adressemailprofessionnelle",
    ),
    ImportField.PHONE: (
        "telephone", "tel", "portable", "mobile", "telportable", "telephoneportable",
        "numerodetelephone", "teldirect", "telfixe", "gsm", "telephoneprofessionnel", "phone",
        "telpro",
    ),
    ImportField.JOB_TITLE: (
        "fonction", "poste", "fonctionoccupee", "posteoccupe", "metier", "emploi",
        "profession", "intituledeposte", "intituledufonction", "qualification",
        "fonctionexercee", "jobtitle",
    ),
    ImportField.EMPLOYER: (
        "etablissement", "employeur", "structure", "etablissementemployeur", "entreprise",
        "association", "organisme", "raisonsociale", "nometablissement", "nomdeletablissement",
        "nomdelastructure", "structureemployeur", "societe", "etablissementdorigine",
        "etablissementdattache",
    ),
    ImportField.CITY: (
        "ville", "commune", "localite", "villeetablissement", "villedeletablissement",
        "villeemployeur", "villedelastructure", "villestructure",
    ),
    ImportField.SIRET: (
        "siret", "nsiret", "numerosiret", "nodesiret", "siretetablissement",
        "siretdeletablissement", "siretemployeur", "siretdelastructure",
    ),
    ImportField.FINESS: (
        "finess", "nfiness", "numerofiness", "nofiness", "finessetablissement",
        "finessdeletablissement", "finesset", "nfinesset", "numerofinesset",
    ),
    ImportField.GROUP: (
        "groupe", "session", "groupesession", "sessiongroupe", "sessiondeformation",
        "numerodegroupe", "groupedeformation", "datedesession", "datedelasession",
    ),
    ImportField.STATUS: ("statut", "statutinscription", "statutdelinscription", "etat"),
    ImportField.ENROLLED_ON: ("dateinscription", "datedinscription", "inscritle", "inscrite"),
    ImportField.NOTES: ("observations", "observation", "commentaire", "commentaires", "remarques"),
}  # fmt: skip

_EXACT: dict[str, ImportField] = {
    alias: field for field, aliases in _ALIASES.items() for alias in aliases
}

# Looser rules for headers not listed above, tried in order on the compact header.
_CONTAINS: tuple[tuple[tuple[str, ...], ImportField], ...] = (
    (("mail", "courriel"), ImportField.EMAIL),
    (("telephone", "portable"), ImportField.PHONE),
    (("ville", "commune"), ImportField.CITY),
    (("etablissement", "employeur", "structure", "entreprise"), ImportField.EMPLOYER),
    (("fonction", "poste"), ImportField.JOB_TITLE),
    (("civilite",), ImportField.CIVILITY),
    (("groupe", "session"), ImportField.GROUP),
    (("statut",), ImportField.STATUS),
)
_MAX_HEADER_LENGTH = 40
_NOT_A_FIELD = ("adresse", "codepostal", "siret", "naissance", "numero")


def match_header(text: str) -> ImportField | None:
    """The field a header names, compared without case, accents or punctuation."""
    key = compact_key(text)
    if not key or len(key) > _MAX_HEADER_LENGTH:
        return None
    exact = _EXACT.get(key)
    if exact is not None:
        return exact
    if any(word in key for word in _NOT_A_FIELD) and not any(
        word in key for word in ("mail", "courriel", "electronique")
    ):
        return None
    if "nom" in key and "prenom" in key:
        return ImportField.FULL_NAME
    for needles, field in _CONTAINS:
        if any(needle in key for needle in needles):
            return field
    if key.startswith("prenom"):
        return ImportField.FIRST_NAME
    if key.startswith("nom"):
        return ImportField.LAST_NAME
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """For each column of the header row: its header text and the field it feeds (or None)."""

    headers: tuple[str, ...]
    fields: tuple[ImportField | None, ...]

    @classmethod
    def propose(cls, headers: Sequence[str]) -> ColumnMapping:
        """Map each header by name; a field already taken by an earlier column is left out."""
        taken: set[ImportField] = set()
        fields: list[ImportField | None] = []
        for header in headers:
            field = match_header(header)
            if field is not None and field in taken:
                field = None
            if field is not None:
                taken.add(field)
            fields.append(field)
        return cls(tuple(headers), tuple(fields))

    def column_of(self, field: ImportField) -> int | None:
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def with_field(self, column: int, field: ImportField | None) -> ColumnMapping:
        """A copy where ``column`` feeds ``field`` (taken away from any other column)."""
        fields = [None if field is not None and f == field else f for f in self.fields]
        fields[column] = field
        return ColumnMapping(self.headers, tuple(fields))

    @property
    def mapped(self) -> dict[ImportField, int]:
        return {field: index for index, field in enumerate(self.fields) if field is not None}

    def has_name(self) -> bool:
        mapped = self.mapped
        return ImportField.LAST_NAME in mapped or ImportField.FULL_NAME in mapped

    def problems(self) -> list[str]:
        """Why this mapping cannot be imported (French), empty when it can."""
        if not self.has_name():
            return [
                "Aucune colonne ne donne le nom des participants : associez une colonne à "
                "« Nom » ou à « Nom et prénom (colonne unique) »."
            ]
        return []

    def describe(self) -> list[tuple[str, str]]:
        """(header, field label or « ignorée ») for each column, for display."""
        return [
            (header, FIELD_LABELS[field] if field is not None else "ignorée")
            for header, field in zip(self.headers, self.fields, strict=True)
        ]
