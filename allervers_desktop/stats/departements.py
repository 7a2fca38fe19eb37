"""Département of an employer: from the postcode in its address, else from its FINESS number.

Employers have no postcode field: the address usually ends with « 67000 Strasbourg », and a
FINESS number starts with the département (« 67 », « 2A »; overseas « 9A » to « 9F » for
971 to 976). Corsica's postcodes
(20000–20199: Corse-du-Sud, 2A; 20200–20699: Haute-Corse, 2B) and the overseas départements
(971–976, three digits) follow the official codes.
"""

from __future__ import annotations

import re

POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
FINESS_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|9[A-F])")
FINESS_OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}
UNKNOWN = ""
UNKNOWN_LABEL = "Non renseigné"


def departement_from_postcode(postcode: str) -> str:
    """« 67000 » -> « 67 », « 97411 » -> « 974 », « 20090 » -> « 2A », « 20200 » -> « 2B »."""
    if postcode.startswith("97") or postcode.startswith("98"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    return postcode[:2]


def departement_of(address: str, finess: str) -> str:
    """The département code, or « » when neither the address nor the FINESS tells it."""
    found = POSTCODE.findall(address or "")
    if found:
        return departement_from_postcode(found[-1])
    match = FINESS_DEPARTEMENT.match((finess or "").strip().upper())
    if match:
        code = match.group(1)
        return FINESS_OVERSEAS.get(code, code)
    return UNKNOWN


def departement_label(code: str) -> str:
    return code or UNKNOWN_LABEL
