"""Build the Excel test corpus in tests/data (run by hand; the files are committed).

    .venv/bin/python tests/data/make_corpus.py

Lists are written with openpyxl, then converted by LibreOffice (``soffice --headless``) to
.xls, .ods and .xlsm, so that those files come from a real spreadsheet application. The
password-protected files are saved by LibreOffice through its Python bridge (python3-uno).
Needs: ``apt-get install -y libreoffice-calc-nogui python3-uno``. Tests never need LibreOffice.
The lists refer to the example data (``allervers demo``): Groupe 1 Strasbourg 25-26/09/2023,
Groupe 2 Metz 16-17/10/2023, and some of their participants.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
LISTS = HERE / "lists"
BAD = HERE / "bad"
SYSTEM_PYTHON = "/usr/bin/python3"  # has the « uno » module from python3-uno

Rows = list[list[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    workbook.save(path)
    return path


def convert(source: Path, target: Path, filter_name: str) -> None:
    """Convert with LibreOffice; ``target``'s extension decides the output name."""
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as profile:
        extension = target.suffix.lstrip(".")
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                f"{extension}:{filter_name}",
                "--outdir",
                out,
                str(source),
            ],
            check=True,
            capture_output=True,
        )
        produced = Path(out) / f"{source.stem}.{extension}"
        shutil.move(produced, target)


UNO_SCRIPT = r"""
import sys, time, subprocess, tempfile, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

source, target, filter_name, password = sys.argv[1:5]
profile = tempfile.mkdtemp()
office = subprocess.Popen([
    "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
    "--accept=pipe,name=allerverscorpus;urp;", "--norestore",
])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(100):
        try:
            context = resolver.resolve(
                "uno:pipe,name=allerverscorpus;urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    from com.sun.star.beans import NamedValue
    secret = NamedValue(); secret.Name = "OOXPassword"; secret.Value = password
    crypto = NamedValue(); crypto.Name = "CryptoType"; crypto.Value = "Standard"
    if "2007" in filter_name:
        data = uno.Any("[]com.sun.star.beans.NamedValue", (secret, crypto))
        arguments = [prop("FilterName", filter_name), prop("EncryptionData", data)]
    else:
        arguments = [prop("FilterName", filter_name), prop("Password", password)]
    uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), tuple(arguments)))
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        office.terminate()
        office.wait(timeout=30)
"""


def save_with_password(source: Path, target: Path, filter_name: str) -> None:
    subprocess.run(
        [SYSTEM_PYTHON, "-c", UNO_SCRIPT, str(source), str(target), filter_name, "secret"],
        check=True,
        timeout=120,
    )


# -- good lists ----------------------------------------------------------------------------


def employer_list() -> Rows:
    """An employer's list: title lines, odd headers, empty rows, a duplicate, a totals line."""
    return [
        ["Foyer Saint-Éloi — inscriptions à la formation « Aller vers »"],
        ["Envoyé le 01/09/2023 par le service des ressources humaines"],
        [],
        [
            "Civ.",
            "NOM de naissance",
            "Prénom",
            "Adresse e-mail",
            "Tél.",
            "Fonction occupée",
            "Etablissement employeur",
            "Ville",
            "Observations",
        ],
        [
            "Mme",
            "  LEFÈVRE ",
            "céline",
            "Celine.Lefevre@Foyer-Saint-Eloi.fr",
            389201020,
            "Monitrice-éducatrice",
            "Foyer Saint-Éloi",
            "Colmar",
            "Régime végétarien",
        ],
        [
            "M.",
            "GARNIER",
            "Étienne",
            "etienne.garnier@foyer-saint-eloi.fr",
            "03 89 20 10 21",
            "Éducateur   spécialisé",
            "Foyer Saint-Éloi",
            "Colmar",
            None,
        ],
        [],
        [
            "Madame",
            "Roux",
            "Élodie",
            None,
            "06.12.34.56.78",
            "Cheffe de service",
            "Foyer Saint-Éloi",
            "Colmar",
        ],
        ["Mme", "LEFEVRE", "Céline", "celine.lefevre@foyer-saint-eloi.fr"],
        [
            "M.",
            None,
            None,
            "sans.nom@foyer-saint-eloi.fr",
            None,
            "Veilleur de nuit",
            "Foyer Saint-Éloi",
            "Colmar",
        ],
        [
            "M.",
            "BLANC",
            "Hugo",
            "hugo.blanc@@foyer",
            None,
            "Surveillant",
            "Foyer Saint-Éloi",
            "Colmar",
        ],
        [],
        ["Total : 5 inscrits"],
    ]


def provider_list() -> Rows:
    """A provider's list: one « Stagiaire » column, a « Groupe » column in several shapes."""
    return [
        ["PRAXIS — liste des stagiaires « Aller vers » (Grand Est)"],
        ["N°", "Stagiaire", "Courriel", "Employeur", "Ville", "Groupe"],
        [
            1,
            "DUPONT Marie-Claire",
            "mc.dupont@relais-ill.fr",
            "Association Le Relais de l'Ill",
            "Strasbourg",
            "Groupe 1",
        ],
        [
            2,
            "Jean-Marc DE LA FONTAINE",
            "jm.delafontaine@ccas-metz.fr",
            "CCAS de Metz",
            "Metz",
            "METZ",
        ],
        [
            3,
            "Martin Paul",
            None,
            "Maison d'accueil Les Tilleuls",
            "Thionville",
            dt.date(2023, 10, 16),
        ],
        [
            4,
            "N'DIAYE Aminata",
            "aminata.ndiaye@horizon.fr",
            "Centre d'hébergement Horizon",
            "Mulhouse",
            "strasbourg",
        ],
        [5, "ROBERT Lucie", "lucie.robert@exemple.org", "Nouvelle Structure", "Nancy", "Groupe 3"],
        [
            6,
            "BERNARD Chloé",
            "chloe.bernard@exemple.org",
            "Nouvelle Structure",
            "Nancy",
            "Groupe 1 – Strasbourg",
        ],
    ]


def sessions_workbook() -> dict[str, Rows]:
    """Two sheets: instructions first, then the list with text dates as sessions."""
    return {
        "Consignes": [
            ["Merci de compléter l'onglet « Inscriptions »."],
            ["Une ligne par personne, session au format JJ/MM/AAAA."],
        ],
        "Inscriptions": [
            ["Nom Prénom", "E-mail", "Structure", "Fonction", "Session", "Date d'inscription"],
            [
                "KLEIN Amélie",
                "amelie.klein@exemple.fr",
                "Association Le Relais de l'Ill",
                "Assistante de service social",
                "25/09/2023",
                dt.date(2023, 9, 1),
            ],
            [
                "SCHNEIDER Loïc",
                "loic.schneider@exemple.fr",
                "Association Le Relais de l'Ill",
                "Moniteur-éducateur",
                "16/10/2023",
                dt.date(2023, 9, 2),
            ],
            [
                "PETIT Jeanne",
                "jeanne.petit@tilleuls.fr",
                "Maison d'accueil Les Tilleuls",
                "Infirmière",
                "16/10/2023",
                dt.date(2023, 9, 15),
            ],
        ],
    }


def conflicts_list() -> Rows:
    """Known participants with values that differ from the example data."""
    return [
        ["Nom", "Prénom", "E-mail", "Téléphone", "Fonction", "Établissement", "Ville"],
        [
            "MULLER",
            "Hélène",
            "HELENE.MULLER@EXEMPLE.FR",
            "06 11 22 33 44",
            "Éducatrice spécialisée",
            "Association Le Relais de l'Ill",
            "Strasbourg",
        ],
        [
            "SCHNEIDER",
            "Loïc",
            "loic.schneider@exemple.fr",
            "03 88 11 21 31",
            "Chef de service",
            "Foyer Saint-Éloi",
            "Colmar",
        ],
        [
            "KLEIN",
            "Amélie",
            None,
            "+33 3 88 12 22 32",
            None,
            "Association Le Relais de l'Ill",
            "Strasbourg",
        ],
        [
            "WEBER",
            "Céline",
            "celine.weber@nouvelle-adresse.fr",
            None,
            "Cheffe de service",
            "Foyer Saint-Éloi",
            "Colmar",
        ],
    ]


def capacity_list() -> Rows:
    rows: Rows = [["Nom", "Prénom", "E-mail"]]
    for number in range(1, 9):
        rows.append(
            [f"CAPACITE{'ABCDEFGH'[number - 1]}", f"Personne{number}", f"p{number}@capacite.fr"]
        )
    return rows


def duplicates_list() -> Rows:
    return [
        ["Nom", "Prénom", "E-mail", "Téléphone", "Établissement", "Ville"],
        ["PETITJEAN", "Marc", "marc.petitjean@exemple.fr", None, "Foyer Saint-Éloi", "Colmar"],
        ["PETITJEAN", "Marc", "MARC.PETITJEAN@exemple.fr", "03 89 00 00 01", None, None],
        ["LAURENT", "Anne", None, None, "CCAS de Metz", "Metz"],
        ["Laurent", "Anne", "anne.laurent@exemple.fr", None, "CCAS de Metz", "Metz"],
        ["LAURENT", "Anne", None, "06 00 00 00 09", "CCAS de Metz", "Metz"],
    ]


def macro_list() -> Rows:
    return [
        ["Nom", "Prénom", "Mail", "Établissement"],
        ["MACRO", "Amandine", "amandine.macro@exemple.fr", "CCAS de Metz"],
        ["VBA", "Bruno", "bruno.vba@exemple.fr", "CCAS de Metz"],
    ]


CSV_1252 = (
    "Liste des participants - Metz\r\n"
    "\r\n"
    "Civilité;Nom;Prénom;Mail;Téléphone;Poste;Établissement;Ville;Groupe\r\n"
    "Mme;THÉRÈSE;Anaïs;anais.therese@ccas-metz.fr;03 87 00 00 01;Assistante sociale;"
    "CCAS de Metz;Metz;17/10/2023\r\n"
    "M.;LŒUVRE;François;francois.loeuvre@ccas-metz.fr;;Éducateur;CCAS de Metz;Metz;Groupe 2\r\n"
    "Mme;BÉRÉNICE;Zoé;;;;;;\r\n"
    "Total : 3 inscrits;;;;;;;;\r\n"
)

CSV_UTF8 = (
    "Nom,Prénom,E-mail,Fonction,Employeur,Ville\n"
    'GIRARD,Léon,leon.girard@exemple.fr,"Chef de service, pôle hébergement",'
    '"Association ""Les Amis""",Épinal\n'
    'FAURE,Inès,ines.faure@exemple.fr,Éducatrice,"Association ""Les Amis""",Épinal\n'
)


def make_lists() -> None:
    LISTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        write_xlsx(LISTS / "employeur-lignes-de-titre.xlsx", {"Inscriptions": employer_list()})
        write_xlsx(LISTS / "conflits.xlsx", {"Participants": conflicts_list()})
        write_xlsx(LISTS / "capacite.xlsx", {"Liste": capacity_list()})
        write_xlsx(LISTS / "doublons.xlsx", {"Liste": duplicates_list()})
        source = write_xlsx(tmp / "organisme-stagiaire.xlsx", {"Liste": provider_list()})
        convert(source, LISTS / "organisme-stagiaire.xls", "MS Excel 97")
        source = write_xlsx(tmp / "organisme-sessions.xlsx", sessions_workbook())
        convert(source, LISTS / "organisme-sessions.ods", "calc8")
        source = write_xlsx(tmp / "macros.xlsx", {"Inscrits": macro_list()})
        convert(source, LISTS / "macros.xlsm", "Calc MS Excel 2007 VBA XML")
    (LISTS / "liste-windows-1252.csv").write_bytes(CSV_1252.encode("cp1252"))
    (LISTS / "liste-utf8-bom.csv").write_bytes(CSV_UTF8.encode("utf-8-sig"))


# -- bad files -----------------------------------------------------------------------------


def _valid_xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "E-mail"])
    for number in range(200):
        sheet.append([f"NOM{number}", f"Prénom {number}", f"p{number}@exemple.fr"])
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_bad_files() -> None:
    BAD.mkdir(exist_ok=True)
    valid = _valid_xlsx_bytes()
    (BAD / "vide.xlsx").write_bytes(b"")
    (BAD / "espaces.csv").write_bytes(b"  \r\n\r\n   \n")
    (BAD / "document-pdf.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    )
    (BAD / "image.xls").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (BAD / "tronque.xlsx").write_bytes(valid[: len(valid) * 6 // 10])
    # A well-formed archive whose workbook part is garbage.
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/workbook.xml"] = b"<workbook><sheets><sheet name='x' r:id='rId1'"
    members["xl/worksheets/sheet1.xml"] = b"\x00\x01 garbage \xff\xfe"
    (BAD / "corrompu.xlsx").write_bytes(_zip(members))
    (BAD / "document-word.xlsx").write_bytes(
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    )
    (BAD / "archive.xlsx").write_bytes(_zip({"lisez-moi.txt": b"Ceci n'est pas un tableur."}))
    ods = (LISTS / "organisme-sessions.ods").read_bytes()
    (BAD / "tronque.ods").write_bytes(ods[: len(ods) // 2])
    write_xlsx(BAD / "feuille-vide.xlsx", {"Feuil1": []})
    write_xlsx(
        BAD / "sans-en-tete.xlsx",
        {
            "Feuil1": [
                ["DUPONT", "Marie", "marie@exemple.fr"],
                ["MARTIN", "Paul", "paul@exemple.fr"],
            ]
        },
    )
    write_xlsx(
        BAD / "sans-colonne-nom.xlsx",
        {
            "Feuil1": [
                ["E-mail", "Téléphone", "Fonction"],
                ["a@exemple.fr", "0102030405", "Éducateur"],
            ]
        },
    )
    write_xlsx(
        BAD / "titres-seulement.xlsx",
        {"Feuil1": [["Formation « Aller vers »"], ["Liste à venir"], [], ["Merci"]]},
    )
    # More rows than an import accepts (50 000): 50 001 rows of data.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Liste")
    sheet.append(["Nom", "Prénom"])
    for number in range(50_000):
        sheet.append([f"NOM{number}", "Prénom"])
    workbook.save(BAD / "trop-de-lignes.xlsx")
    generator = random.Random(20230925)
    garbage = bytes(generator.randrange(256) for _ in range(4096))
    (BAD / "binaire.csv").write_bytes(b"\x00\x07\x1b" + garbage)
    (BAD / "page-web.xls").write_bytes(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>Nom</td>"
        "<td>Prénom</td></tr><tr><td>DUPONT</td><td>Marie</td></tr></table></body></html>".encode()
    )
    (BAD / "xml-2003.xls").write_bytes(
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        b'<Worksheet ss:Name="Feuil1"><Table><Row><Cell><Data ss:Type="String">Nom</Data>'
        b"</Cell></Row></Table></Worksheet></Workbook>\n"
    )
    with tempfile.TemporaryDirectory() as work:
        source = write_xlsx(Path(work) / "protege.xlsx", {"Liste": conflicts_list()})
        save_with_password(source, BAD / "protege.xlsx", "Calc MS Excel 2007 XML")
        save_with_password(source, BAD / "protege.xls", "MS Excel 97")


def main() -> int:
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) est nécessaire : apt-get install -y libreoffice-calc-nogui")
        return 1
    make_lists()
    make_bad_files()
    for path in sorted([*LISTS.iterdir(), *BAD.iterdir()]):
        print(f"{path.relative_to(HERE)}  {path.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
