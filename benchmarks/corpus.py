"""A deterministic site of any size, for benchmarks: German text, realistic fields.

python benchmarks/corpus.py DIR --members 10000 --events 6000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CITIES = [
    ("Rheine", "48431", "kreis-steinfurt"),
    ("Ibbenbüren", "49477", "kreis-steinfurt"),
    ("Emsdetten", "48282", "kreis-steinfurt"),
    ("Greven", "48268", "kreis-steinfurt"),
    ("Steinfurt", "48565", "kreis-steinfurt"),
    ("Lengerich", "49525", "kreis-steinfurt"),
    ("Stadtlohn", "48703", "kreis-borken"),
    ("Borken", "46325", "kreis-borken"),
    ("Bocholt", "46395", "kreis-borken"),
    ("Ahaus", "48683", "kreis-borken"),
    ("Gronau", "48599", "kreis-borken"),
    ("Vreden", "48691", "kreis-borken"),
    ("Coesfeld", "48653", "kreis-coesfeld"),
    ("Dülmen", "48249", "kreis-coesfeld"),
    ("Lüdinghausen", "59348", "kreis-coesfeld"),
    ("Meppen", "49716", "emsland"),
    ("Lingen", "49808", "emsland"),
    ("Papenburg", "26871", "emsland"),
    ("Haren", "49733", "emsland"),
    ("Münster", "48143", "muenster"),
    ("Osnabrück", "49074", "osnabrueck"),
    ("Nordhorn", "48529", "grafschaft-bentheim"),
]
REGIONS = {
    "kreis-steinfurt": "Kreis Steinfurt",
    "kreis-borken": "Kreis Borken",
    "kreis-coesfeld": "Kreis Coesfeld",
    "emsland": "Landkreis Emsland",
    "muenster": "Münster",
    "osnabrueck": "Osnabrück",
    "grafschaft-bentheim": "Grafschaft Bentheim",
}
INDUSTRIES = {
    "logistik": (
        "Logistik und Transport",
        ["Kontraktlogistik", "Teilladungen", "Expressversand", "Containertransporte"],
    ),
    "lagerhaltung": (
        "Lagerhaltung",
        ["Gefahrgutlagerung", "Kommissionierung", "Hochregallager", "Fulfillment"],
    ),
    "maschinenbau": (
        "Maschinen- und Anlagenbau",
        ["Sondermaschinen", "Retrofit", "Fördertechnik", "Wartung"],
    ),
    "metall": (
        "Metallverarbeitung",
        ["Laserschneiden", "Schweißbaugruppen", "CNC-Fräsen", "Pulverbeschichtung"],
    ),
    "kunststoff": (
        "Kunststofftechnik",
        ["Spritzguss", "Extrusion", "Werkzeugbau", "Reinraumfertigung"],
    ),
    "lebensmittel": (
        "Lebensmittelwirtschaft",
        ["Backwaren", "Feinkost", "Kühllogistik", "Catering"],
    ),
    "bau": ("Bauwirtschaft", ["Hochbau", "Tiefbau", "Sanierung", "Schlüsselfertiges Bauen"]),
    "it": (
        "IT und Software",
        ["Cloud-Migration", "ERP-Einführung", "Informationssicherheit", "Webentwicklung"],
    ),
    "energie": (
        "Energie und Umwelt",
        ["Photovoltaik", "Energieaudits", "Ladeinfrastruktur", "Entsorgung"],
    ),
    "textil": (
        "Textil und Bekleidung",
        ["Technische Textilien", "Berufskleidung", "Stickerei", "Konfektion"],
    ),
    "moebel": (
        "Möbel und Innenausbau",
        ["Objekteinrichtung", "Ladenbau", "Treppenbau", "Büromöbel"],
    ),
    "handel": (
        "Groß- und Einzelhandel",
        ["Baustoffe", "Ersatzteile", "Arbeitsschutz", "Werkzeuge"],
    ),
    "beratung": (
        "Unternehmensberatung",
        ["Nachfolgeplanung", "Fördermittel", "Sanierung", "Controlling"],
    ),
    "personal": (
        "Personaldienstleistungen",
        ["Zeitarbeit", "Recruiting", "Ausbildungsmarketing", "Personalvermittlung"],
    ),
    "elektro": (
        "Elektrotechnik",
        ["Schaltanlagenbau", "Gebäudeautomation", "Elektroinstallation", "E-Check"],
    ),
    "gesundheit": (
        "Gesundheitswirtschaft",
        ["Arbeitsmedizin", "Medizinprodukte", "Pflege", "Physiotherapie"],
    ),
    "agrar": (
        "Agrar- und Landtechnik",
        ["Landmaschinen", "Stalltechnik", "Futtermittel", "Lohnarbeiten"],
    ),
    "druck": ("Druck und Medien", ["Offsetdruck", "Verpackungsdruck", "Film und Foto", "Mailings"]),
}
PREFIXES = [
    "Nord",
    "West",
    "Ems",
    "Münsterland",
    "Vechte",
    "Berkel",
    "Aa",
    "Hase",
    "Dinkel",
    "Teuto",
    "Heide",
    "Moor",
    "Venn",
    "Kanal",
    "Hafen",
    "Brücken",
    "Mühlen",
    "Eschen",
]
CORES = [
    "Logistik",
    "Technik",
    "Bau",
    "Systeme",
    "Werke",
    "Service",
    "Handel",
    "Metall",
    "Plast",
    "Energie",
    "Daten",
    "Holz",
    "Druck",
    "Pflege",
    "Agrar",
    "Montage",
]
FORMS = ["GmbH", "GmbH & Co. KG", "AG", "e.K.", "KG", "OHG", "eG", "UG (haftungsbeschränkt)"]
FAMILY = [
    "Hölscher",
    "Brinkmann",
    "ter Horst",
    "Wessels",
    "Overmeyer",
    "Schulte",
    "Lüttmann",
    "Kemper",
    "Niehues",
    "Rüschhaus",
    "Kortmann",
    "Hüging",
    "Osterkamp",
    "Tenhumberg",
    "Gerwing",
    "Feldkamp",
    "Wiechers",
    "Böckmann",
    "Große-Kleimann",
    "Jansen",
]
WORDS = (
    "und der die das wir unsere Kunden Region Münsterland Emsland Betrieb Qualität "
    "Zuverlässigkeit Familienunternehmen seit Jahren Mitarbeitende Ausbildung Technik "
    "Lösungen Service schnell flexibel individuell Partner Mittelstand Lieferung Anlage "
    "Fertigung Beratung Planung Montage Wartung Erfahrung zertifiziert nachhaltig "
    "Standort Halle Lager Fahrzeuge Projekte Industrie Handel Handwerk Zukunft digital "
    "gemeinsam regional international Niederlande Qualitätsmanagement Energieeffizienz "
    "Umwelt Sicherheit Verantwortung Innovation Entwicklung modern eigene Werkstatt"
).split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def body(rng: random.Random, low: int = 150, high: int = 600) -> str:
    """German-looking Markdown of ``low``–``high`` words: paragraphs, a heading, a list."""
    target, count, parts = rng.randint(low, high), 0, []
    while count < target:
        if parts and rng.random() < 0.12:
            parts.append("## " + " ".join(rng.choices(WORDS, k=3)).capitalize())
        elif parts and rng.random() < 0.1:
            items = [
                "- " + " ".join(rng.choices(WORDS, k=rng.randint(2, 6)))
                for _ in range(rng.randint(3, 5))
            ]
            parts.append("\n".join(items))
            count += sum(len(i.split()) for i in items)
        else:
            sentences = [_sentence(rng) for _ in range(rng.randint(2, 5))]
            text = " ".join(sentences)
            if rng.random() < 0.3:
                text += " Mehr unter [unserer Website](https://www.example.org/)."
            parts.append(text)
            count += len(text.split())
    return "\n\n".join(parts) + "\n"


def write_corpus(root: Path, members: int, events: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (root / "content" / "members").mkdir(parents=True, exist_ok=True)
    (root / "content" / "events").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: Wirtschaftsnetzwerk (Benchmark)\nbase_url: https://example.org/netzwerk/\n"
        "language: de\ntimezone: Europe/Berlin\nassociations:\n"
        "  - {id: wvs, name: Wirtschaftsvereinigung Steinfurt, short_name: WVS, city: Rheine}\n"
        "  - {id: aiw, name: AIW Unternehmensverband, short_name: AIW, city: Stadtlohn}\n"
        "  - {id: wve, name: Wirtschaftsverband Emsland, short_name: WVE, city: Meppen}\n",
        encoding="utf-8",
    )
    (root / "content" / "industries.yaml").write_text(
        "".join(f"- id: {k}\n  name: {v[0]}\n" for k, v in INDUSTRIES.items()), encoding="utf-8"
    )
    (root / "content" / "regions.yaml").write_text(
        "".join(f"- id: {k}\n  name: {v}\n" for k, v in REGIONS.items()), encoding="utf-8"
    )
    slugs = []
    names: set[str] = set()
    for n in range(members):
        family = rng.choice(FAMILY)
        city, postal, region = rng.choice(CITIES)
        stem = f"{rng.choice(PREFIXES)}{rng.choice(CORES).lower()} {family}"
        # Firms in a directory have distinct names (the build refuses near-twins).
        for extra in ("", f" {city}", *(f" {city} {k}" for k in range(2, 10_000))):
            if stem + extra not in names:
                break
        names.add(stem + extra)
        name = f"{stem}{extra} {rng.choice(FORMS)}"
        slug = f"mitglied-{n:06d}"
        slugs.append(slug)
        industries = rng.sample(sorted(INDUSTRIES), k=rng.choice([1, 1, 2, 2, 3]))
        services = sorted({s for i in industries for s in rng.sample(INDUSTRIES[i][1], 2)})
        associations = rng.sample(["wvs", "aiw", "wve"], k=rng.choice([1, 1, 1, 2]))
        text = (
            f'---\nname: "{name}"\nindustries: [{", ".join(industries)}]\nservices:\n'
            + "".join(f"  - {s}\n" for s in services)
            + f"associations: [{', '.join(associations)}]\nregion: {region}\n"
            f"address:\n  street: {rng.choice(['Hauptstraße', 'Industriestraße', 'Am Hafen', 'Gewerbering'])} {rng.randint(1, 120)}\n"
            f'  postal_code: "{postal}"\n  city: {city}\n'
            f"contact:\n  website: https://www.{slug}.example/\n  email: info@{slug}.example\n"
            f'  phone: "+49 {rng.randint(2500, 5999)} {rng.randint(10000, 99999)}"\n'
            f"member_since: {rng.randint(1950, 2025)}\n"
            f"employees: {rng.choice(['1-9', '10-49', '50-249', '250+'])}\n---\n" + body(rng)
        )
        (root / "content" / "members" / f"{slug}.md").write_text(text, encoding="utf-8")
    for n in range(events):
        year = 2015 + n * 14 // max(events, 1)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour = rng.choice([9, 10, 14, 16, 18])
        fmt = rng.choice(["online", "online", "in_person", "hybrid"])
        city, postal, _ = rng.choice(CITIES)
        lines = [
            f'title: "{" ".join(rng.choices(WORDS, k=5)).capitalize()}"',
            f"start: {year}-{month:02d}-{day:02d} {hour:02d}:00",
            f"end: {year}-{month:02d}-{day:02d} {hour + 2:02d}:00",
            f"format: {fmt}",
            f"hosts: [{', '.join(rng.sample(['wvs', 'aiw', 'wve'], k=rng.randint(1, 3)))}]",
            f"industries: [{rng.choice(sorted(INDUSTRIES))}]",
        ]
        if rng.random() < 0.3:
            lines.append("series: online-meetings")
        if fmt != "online":
            lines += [
                "location:",
                f"  name: Stadthalle {city}",
                f'  postal_code: "{postal}"',
                f"  city: {city}",
            ]
        if rng.random() < 0.5 and slugs:
            lines += [
                "speakers:",
                f"  - name: {rng.choice(FAMILY)}",
                f"    member: {rng.choice(slugs)}",
            ]
        lines += [
            "registration:",
            "  url: https://www.example.org/anmeldung",
            f"  price: {rng.choice([0, 0, 0, 25, 90])}",
        ]
        slug = f"{year}-{month:02d}-{day:02d}-veranstaltung-{n:05d}"
        text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng, 80, 300)
        (root / "content" / "events" / f"{slug}.md").write_text(text, encoding="utf-8")


def touch_name(file: Path) -> None:
    """Change the ``name`` field (lists and indexes show it, unlike the text)."""
    lines = file.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        if line.startswith("name:"):
            value = line[len("name:") :].strip()
            quote = value[0] if value[:1] in ("'", '"') else ""
            name = value[1:-1] if quote else value
            lines[number] = f"name: {quote}{name} (neu){quote}"
            break
    file.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.folder, args.members, args.events, args.seed)


if __name__ == "__main__":
    main()
