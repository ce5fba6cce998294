"""Words the site shows and uses in URLs, in German and English."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

URL_WORDS = {
    "de": {
        "members": "mitglieder",
        "industries": "branchen",
        "regions": "regionen",
        "associations": "verbaende",
        "events": "veranstaltungen",
        "series": "reihen",
        "archive": "archiv",
        "search": "suche",
        "speakers": "referenten",
        "partners": "partner",
        "page": "seite",
        "calendar": "kalender.ics",
        "spreadsheet": "mitglieder.xlsx",
        "param_industry": "branche",
        "param_region": "region",
        "param_association": "verband",
        "param_size": "groesse",
    },
    "en": {
        "members": "members",
        "industries": "industries",
        "regions": "regions",
        "associations": "associations",
        "events": "events",
        "series": "series",
        "archive": "archive",
        "search": "search",
        "speakers": "speakers",
        "partners": "partners",
        "page": "page",
        "calendar": "calendar.ics",
        "spreadsheet": "members.xlsx",
        "param_industry": "industry",
        "param_region": "region",
        "param_association": "association",
        "param_size": "size",
    },
}

STRINGS: dict[str, dict[str, str]] = {
    "de": {
        "locale": "de_DE",
        "home": "Start",
        "members": "Mitglieder",
        "member_directory": "Mitgliederverzeichnis",
        "industries": "Branchen",
        "industry": "Branche",
        "regions": "Regionen",
        "region": "Region",
        "associations": "Verbände",
        "association": "Verband",
        "events": "Veranstaltungen",
        "upcoming_events": "Kommende Veranstaltungen",
        "next_events": "Die nächsten Veranstaltungen",
        "past_events": "Vergangene Veranstaltungen",
        "archive": "Archiv",
        "events_in_year": "Veranstaltungen {year}",
        "all_events": "Alle Veranstaltungen",
        "no_upcoming": "Zurzeit sind keine Veranstaltungen geplant.",
        "series": "Veranstaltungsreihe",
        "skip_to_content": "Zum Inhalt springen",
        "main_navigation": "Hauptnavigation",
        "breadcrumb": "Brotkrumennavigation",
        "footer_navigation": "Weitere Seiten",
        "services": "Leistungsprofil",
        "profile": "Kurzprofil",
        "address": "Adresse",
        "contact": "Kontakt",
        "website": "Website",
        "email": "E-Mail",
        "phone": "Telefon",
        "map": "Karte auf OpenStreetMap",
        "member_since": "Mitglied seit",
        "employees": "Beschäftigte",
        "member_of": "Mitglied in",
        "members_count": "{count} Mitglieder",
        "members_count_one": "1 Mitglied",
        "events_count": "{count} Veranstaltungen",
        "events_count_one": "1 Veranstaltung",
        "format": "Format",
        "format_online": "Online",
        "format_in_person": "Vor Ort",
        "format_hybrid": "Hybrid",
        "when": "Wann",
        "where": "Wo",
        "venue_tba": "Der Veranstaltungsort wird noch bekannt gegeben.",
        "online_platform": "Online über {platform}",
        "online": "Online",
        "online_link": "Zur Online-Veranstaltung",
        "online_link_later": "Der Zugangslink wird nach der Anmeldung verschickt.",
        "hosts": "Veranstalter",
        "partners": "Partner",
        "partners_lead": (
            "Organisationen, mit denen die Verbände zusammenarbeiten: bei Veranstaltungen, "
            "mit Referentinnen und Referenten, in gemeinsamen Projekten."
        ),
        "partner_firms": "Die Firmen im Verbund",
        "series_free": "Die Teilnahme ist kostenlos, für Mitglieder wie für Gäste.",
        "speakers": "Referentinnen und Referenten",
        "for_industries": "Für die Branchen",
        "registration": "Anmeldung",
        "register": "Jetzt anmelden",
        "register_email": "Anmeldung per E-Mail",
        "deadline": "Anmeldeschluss",
        "registration_closed": "Anmeldung geschlossen",
        "price": "Teilnahme",
        "free": "kostenlos",
        "guests_welcome": "Gäste willkommen",
        "members_only": "Nur für Mitglieder",
        "status_cancelled": "Abgesagt",
        "status_postponed": "Verschoben",
        "cancelled_notice": "Diese Veranstaltung wurde abgesagt.",
        "postponed_notice": "Diese Veranstaltung wurde verschoben. Der neue Termin wird "
        "bekannt gegeben.",
        "recording": "Aufzeichnung ansehen",
        "edit_page": "Diese Seite bearbeiten",
        "not_found_title": "Seite nicht gefunden",
        "not_found_text": "Diese Seite gibt es nicht (mehr). Vielleicht finden Sie das "
        "Gesuchte über die Startseite oder das Mitgliederverzeichnis.",
        "to_home": "Zur Startseite",
        "all_members": "Alle Mitglieder",
        "all_industries": "Alle Branchen",
        "members_in": "Mitglieder in {name}",
        "page_of": "Seite {number} von {count}",
        "pagination": "Seitennummerierung",
        "previous_page": "Vorige Seite",
        "next_page": "Nächste Seite",
        "events_of": "Veranstaltungen von {name}",
        "events_for": "Veranstaltungen für {name}",
        "about": "Über uns",
        "cooperation": "Gemeinsam veranstaltet von",
        "network_of": "Ein Netzwerk von",
        "more": "Mehr",
        "page_not_found_hint": "Fehler 404",
        "website_of": "Website von {name}",
        "primary_industry": "Hauptbranche",
        "size": "Unternehmensgröße",
        "size_1-9": "1–9 Beschäftigte",
        "size_10-49": "10–49 Beschäftigte",
        "size_50-249": "50–249 Beschäftigte",
        "size_250+": "250 und mehr Beschäftigte",
        "search": "Suche",
        "search_site": "Website durchsuchen",
        "filter_members": "Mitglieder filtern",
        "search_label": "Name, Leistung, Branche, Region, Ort oder PLZ",
        "search_placeholder": "z. B. Gefahrgut, Logistik, 48431",
        "reset_filters": "Filter zurücksetzen",
        "filters": "Filter",
        "show_results": "Ergebnisse anzeigen",
        "close": "Schließen",
        "chosen_filters": "Gewählte Filter",
        "remove_filter": "Filter entfernen:",
        "results_count": "{count} Mitglieder gefunden",
        "results_count_one": "1 Mitglied gefunden",
        "results_count_none": "Keine Mitglieder gefunden. Entfernen Sie einen Filter oder "
        "ändern Sie den Suchbegriff.",
        "show_more": "Weitere Mitglieder anzeigen",
        "browse_by": "Nach Branche, Region oder Verband stöbern",
        "no_script": "Die Filter brauchen JavaScript. Ohne JavaScript finden Sie alle "
        "Mitglieder über die Seiten der Branchen, Regionen und Verbände.",
        "exports": "Verzeichnis herunterladen",
        "export_xlsx": "Excel-Tabelle (.xlsx)",
        "export_csv": "CSV für andere Programme",
        "vcard": "Kontakt speichern (vCard)",
        "email_hidden": "Die E-Mail-Adresse wird mit JavaScript angezeigt.",
        "logo_of": "Logo von {name}",
        "video_notice": "Die Aufzeichnung liegt bei {provider}. Erst wenn Sie auf „Video "
        "laden“ klicken, wird das Video von {provider} geladen; dabei "
        "werden Daten wie Ihre IP-Adresse an {provider} übertragen.",
        "video_load": "Video laden",
        "video_open": "Video auf {provider} öffnen",
        "subscribe": "Kalender abonnieren",
        "calendar_download": "als Datei (.ics)",
        "add_to_calendar": "In den Kalender eintragen (.ics)",
        "feeds": "Newsfeeds",
        "all_speakers": "Referentinnen und Referenten",
        "calendar_of": "Veranstaltungen: {name}",
        "all_day": "ganztägig",
        "until": "{start} bis {end}",
        "date_to_follow": "Termin folgt",
        "date_to_follow_lead": "Diese Veranstaltungen wurden verschoben. Der neue Termin wird "
        "bekannt gegeben.",
        "originally": "Ursprünglich geplant: {date}",
        "status_past": "Vergangen",
        "place_and_online": "{place} und online",
        "place_tba": "Ort folgt",
        "online_too": "Auch online über {platform}",
        "online_too_plain": "Auch online",
        "upcoming_talks": "Nächste Vorträge",
        "past_talks": "Frühere Vorträge",
        "employees_1-9": "1–9",
        "employees_10-49": "10–49",
        "employees_50-249": "50–249",
        "employees_250+": "250 und mehr",
    },
    "en": {
        "locale": "en_GB",
        "home": "Home",
        "members": "Members",
        "member_directory": "Member directory",
        "industries": "Industries",
        "industry": "Industry",
        "regions": "Regions",
        "region": "Region",
        "associations": "Associations",
        "association": "Association",
        "events": "Events",
        "upcoming_events": "Upcoming events",
        "next_events": "Next events",
        "past_events": "Past events",
        "archive": "Archive",
        "events_in_year": "Events in {year}",
        "all_events": "All events",
        "no_upcoming": "There are no events planned at the moment.",
        "series": "Event series",
        "skip_to_content": "Skip to content",
        "main_navigation": "Main navigation",
        "breadcrumb": "Breadcrumb",
        "footer_navigation": "More pages",
        "services": "Services",
        "profile": "Profile",
        "address": "Address",
        "contact": "Contact",
        "website": "Website",
        "email": "E-mail",
        "phone": "Phone",
        "map": "Map on OpenStreetMap",
        "member_since": "Member since",
        "employees": "Employees",
        "member_of": "Member of",
        "members_count": "{count} members",
        "members_count_one": "1 member",
        "events_count": "{count} events",
        "events_count_one": "1 event",
        "format": "Format",
        "format_online": "Online",
        "format_in_person": "In person",
        "format_hybrid": "Hybrid",
        "when": "When",
        "where": "Where",
        "venue_tba": "The venue will be announced.",
        "online_platform": "Online via {platform}",
        "online": "Online",
        "online_link": "Join the online event",
        "online_link_later": "The access link is sent after registration.",
        "hosts": "Hosts",
        "partners": "Partners",
        "partners_lead": (
            "Organisations the associations work with: at events, with speakers, in joint projects."
        ),
        "partner_firms": "The firms that belong to it",
        "series_free": "Taking part is free of charge, for members and guests alike.",
        "speakers": "Speakers",
        "for_industries": "For the industries",
        "registration": "Registration",
        "register": "Register now",
        "register_email": "Register by e-mail",
        "deadline": "Registration deadline",
        "registration_closed": "Registration closed",
        "price": "Admission",
        "free": "free of charge",
        "guests_welcome": "Guests welcome",
        "members_only": "Members only",
        "status_cancelled": "Cancelled",
        "status_postponed": "Postponed",
        "cancelled_notice": "This event has been cancelled.",
        "postponed_notice": "This event has been postponed. The new date will be announced.",
        "recording": "Watch the recording",
        "edit_page": "Edit this page",
        "not_found_title": "Page not found",
        "not_found_text": "This page does not exist (any more). The home page or the member "
        "directory may help you find what you were looking for.",
        "to_home": "Go to the home page",
        "all_members": "All members",
        "all_industries": "All industries",
        "members_in": "Members in {name}",
        "page_of": "Page {number} of {count}",
        "pagination": "Pagination",
        "previous_page": "Previous page",
        "next_page": "Next page",
        "events_of": "Events by {name}",
        "events_for": "Events for {name}",
        "about": "About",
        "cooperation": "Hosted together by",
        "network_of": "A network of",
        "more": "More",
        "page_not_found_hint": "Error 404",
        "website_of": "Website of {name}",
        "primary_industry": "Main industry",
        "size": "Company size",
        "size_1-9": "1–9 employees",
        "size_10-49": "10–49 employees",
        "size_50-249": "50–249 employees",
        "size_250+": "250 or more employees",
        "search": "Search",
        "search_site": "Search this site",
        "filter_members": "Filter members",
        "search_label": "Name, service, industry, region, town or postal code",
        "search_placeholder": "e.g. hazardous goods, Stadtlohn, 48431",
        "reset_filters": "Reset filters",
        "filters": "Filters",
        "show_results": "Show results",
        "close": "Close",
        "chosen_filters": "Chosen filters",
        "remove_filter": "Remove filter:",
        "results_count": "{count} members found",
        "results_count_one": "1 member found",
        "results_count_none": "No members found. Remove a filter or change the search term.",
        "show_more": "Show more members",
        "browse_by": "Browse by industry, region or association",
        "no_script": "The filters need JavaScript. Without it, every member can be found "
        "through the industry, region and association pages.",
        "exports": "Download the directory",
        "export_xlsx": "Excel spreadsheet (.xlsx)",
        "export_csv": "CSV for other programs",
        "vcard": "Save contact (vCard)",
        "email_hidden": "The e-mail address is shown with JavaScript.",
        "logo_of": "Logo of {name}",
        "video_notice": "The recording is hosted by {provider}. Only when you click "
        "“Load video” is it loaded from {provider}, which then receives "
        "data such as your IP address.",
        "video_load": "Load video",
        "video_open": "Open the video on {provider}",
        "subscribe": "Subscribe to the calendar",
        "calendar_download": "as a file (.ics)",
        "add_to_calendar": "Add to calendar (.ics)",
        "feeds": "News feeds",
        "all_speakers": "Speakers",
        "calendar_of": "Events: {name}",
        "all_day": "all day",
        "until": "{start} to {end}",
        "date_to_follow": "Date to follow",
        "date_to_follow_lead": "These events have been postponed. The new date will be announced.",
        "originally": "Originally planned: {date}",
        "status_past": "Past",
        "place_and_online": "{place} and online",
        "place_tba": "Venue to follow",
        "online_too": "Also online via {platform}",
        "online_too_plain": "Also online",
        "upcoming_talks": "Upcoming talks",
        "past_talks": "Past talks",
        "employees_1-9": "1–9",
        "employees_10-49": "10–49",
        "employees_50-249": "50–249",
        "employees_250+": "250 or more",
    },
}


class Translator:
    """UI strings and date formats for one language."""

    def __init__(self, language: str):
        self.language = language
        self.strings = STRINGS[language]
        self.url_words = URL_WORDS[language]

    def __call__(self, key: str, **values: object) -> str:
        return self.strings[key].format(**values) if values else self.strings[key]

    def count(self, key: str, count: int) -> str:
        """``1 Mitglied`` / ``12 Mitglieder``."""
        if count == 1:
            return self.strings[f"{key}_one"]
        return self.strings[key].format(
            count=f"{count:,}".replace(",", "." if self.language == "de" else ",")
        )

    def date(self, day: dt.date, style: str = "full") -> str:
        """``Donnerstag, 2. April 2020`` / ``Thursday, 2 April 2020``."""
        if style == "full":
            pattern = "EEEE, d. MMMM y" if self.language == "de" else "EEEE, d MMMM y"
        elif style == "short":
            pattern = "d. MMM y" if self.language == "de" else "d MMM y"
        elif style == "month":
            pattern = "MMM"
        elif style == "weekday":
            pattern = "EEE"
        elif style == "weekday_day":
            pattern = "EEE, d. MMMM" if self.language == "de" else "EEE, d MMMM"
        else:
            pattern = "dd.MM.y" if self.language == "de" else "d MMM y"
        return _formatted_date(day, pattern, self.language)

    def time(self, moment: dt.datetime) -> str:
        """``09:30``: the same in every language the site speaks (Babel's
        ``HH:mm``, without its cost: lists show thousands of times)."""
        return f"{moment.hour:02d}:{moment.minute:02d}"

    def time_range(self, start: dt.datetime, end: dt.datetime | None) -> str:
        """``10:00–11:30 Uhr`` / ``10:00–11:30``."""
        text = self.time(start) + (f"–{self.time(end)}" if end else "")
        return text + " Uhr" if self.language == "de" else text

    def money(self, amount: Decimal) -> str:
        """``25,00 €`` / ``€25.00``."""
        return format_currency(amount, "EUR", locale=self.language)


@functools.lru_cache(maxsize=4096)
def _formatted_date(day: dt.date, pattern: str, language: str) -> str:
    """Babel takes as long for a date as Jinja for a list entry; lists of events
    show the same days again and again."""
    return format_date(day, pattern, locale=language)
