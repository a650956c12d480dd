"""Fixed vocabularies of the region: municipalities and organisation types."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

# Dalarna's 15 municipalities, plus one value for everyone else. Stored as written here.
MUNICIPALITIES: tuple[str, ...] = (
    "Avesta",
    "Borlänge",
    "Falun",
    "Gagnef",
    "Hedemora",
    "Leksand",
    "Ludvika",
    "Malung-Sälen",
    "Mora",
    "Orsa",
    "Rättvik",
    "Smedjebacken",
    "Säter",
    "Vansbro",
    "Älvdalen",
)
OUTSIDE_DALARNA = "utanför Dalarna"
MUNICIPALITY_CHOICES: tuple[str, ...] = (*MUNICIPALITIES, OUTSIDE_DALARNA)


def municipality_label(value: str | None) -> str:
    """Return the display name of a stored municipality value."""
    if value == OUTSIDE_DALARNA:
        return str(_l("Outside Dalarna"))
    return value or ""


class OrganisationType(StrEnum):
    WORK_INTEGRATION = "work_integration"  # arbetsintegrerande socialt företag
    COOPERATIVE = "cooperative"  # kooperativ
    NONPROFIT = "nonprofit"  # ideell förening
    LIMITED_COMPANY = "limited_company"  # aktiebolag
    UF_COMPANY = "uf_company"  # UF-företag
    OTHER = "other"  # annat

    @property
    def label(self) -> str:
        return str(ORGANISATION_TYPE_LABELS[self])


ORGANISATION_TYPE_LABELS = {
    OrganisationType.WORK_INTEGRATION: _l("Work-integration social enterprise"),
    OrganisationType.COOPERATIVE: _l("Cooperative"),
    OrganisationType.NONPROFIT: _l("Non-profit association"),
    OrganisationType.LIMITED_COMPANY: _l("Limited company"),
    OrganisationType.UF_COMPANY: _l("UF company (young enterprise)"),
    OrganisationType.OTHER: _l("Other"),
}


def is_valid_organisation_number(value: str) -> bool:
    """Check a Swedish organisation number (NNNNNN-NNNN) including its Luhn check digit."""
    digits = value.replace("-", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def format_organisation_number(value: str) -> str:
    """Return the canonical NNNNNN-NNNN form of a valid organisation number."""
    digits = value.replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"
