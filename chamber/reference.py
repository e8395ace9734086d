"""Load the region's reference data (provinces, communes, crafts) from the CSV files in `data/`.

One idempotent loader, shared by the data migration and `manage.py load_reference_data`: a row
that already holds the same values is left alone, so loading twice changes nothing.
Sources and licences of the files are in `data/SOURCES.md`.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, model: str) -> None:
        counts = getattr(self, bucket)
        counts[model] = counts.get(model, 0) + 1


def _rows(filename: str):
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


def _upsert(model, report: LoadReport, lookup: dict, values: dict):
    """Create the row, or update only the fields that differ; report which of the three."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        report.count("created", model.__name__)
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.count("updated", model.__name__)
    else:
        report.count("unchanged", model.__name__)
    return obj


def load_reference_data(province_model, commune_model, craft_model) -> LoadReport:
    """Fill the three models from the CSV files. Models are passed in so that a migration can
    hand over its historical models (`apps.get_model`)."""
    report = LoadReport()
    provinces = {}
    for row in _rows("provinces.csv"):
        provinces[row["code"]] = _upsert(
            province_model,
            report,
            {"code": row["code"]},
            {
                "hcp_code": row["hcp_code"],
                "name_ar": row["name_ar"],
                "name_fr": row["name_fr"],
                "capital_ar": row["capital_ar"],
                "capital_fr": row["capital"],
                "population_2014": _int_or_none(row["population_2014"]),
                "population_2024": _int_or_none(row["population_2024"]),
            },
        )
    for row in _rows("communes.csv"):
        _upsert(
            commune_model,
            report,
            {"official_code": row["official_code"]},
            {
                "province": provinces[row["province_code"]],
                "name_ar": row["commune_name_ar"],
                "name_fr": row["commune_name_fr"],
                "kind": row["kind"],
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
                "population_2014": _int_or_none(row["population_2014"]),
                "population_2024": _int_or_none(row["population_2024"]),
                "alt_names_ar": row["alt_names_ar"],
                "alt_names_fr": row["alt_names_fr"],
                "notes": row["notes"],
            },
        )
    for row in _rows("crafts.csv"):
        _upsert(
            craft_model,
            report,
            {"code": row["code"]},
            {
                "name_ar": row["name_ar"],
                "name_fr": row["name_fr"],
                "family": row["family"],
                # The sources list crafts as endangered or say nothing ("unknown"); never "no".
                "endangered": row["endangered"] == "yes",
                "regional": row["gon_relevance"] == "yes",
                "name_ar_verified": row["name_ar_verified"] == "yes",
                "name_fr_verified": row["name_fr_verified"] == "yes",
                "source_note": row["source_note"],
            },
        )
    return report
