"""German texts of the messages for editors, keyed by their English templates.

Each German template uses the same ``{names}`` as its English one; a test
checks that every message in the code has an entry here.
"""

GERMAN: dict[str, str] = {
    # files and YAML
    "symbolic links are not allowed in content":
        "symbolische Links sind in content/ nicht erlaubt",
    "replace the link with the file itself": "ersetzen Sie den Link durch die Datei selbst",
    "cannot read the file: {reason}": "die Datei lässt sich nicht lesen: {reason}",
    "the file is {size} KiB; at most {limit} KiB are allowed":
        "die Datei ist {size} KiB groß; erlaubt sind höchstens {limit} KiB",
    "shorten the text or move material to a linked document":
        "kürzen Sie den Text oder lagern Sie Material in ein verlinktes Dokument aus",
    "the file is not UTF-8 text": "die Datei ist kein UTF-8-Text",
    "save it with the encoding UTF-8 (for example in VS Code: 'Save with Encoding' → UTF-8)":
        "speichern Sie sie mit der Kodierung UTF-8 (in VS Code etwa: „Mit Codierung "
        "speichern“ → UTF-8)",
    "invisible control character U+{code:04X} in the text":
        "unsichtbares Steuerzeichen U+{code:04X} im Text",
    "delete it; it can make text display differently from what it says":
        "löschen Sie es; es kann Text anders anzeigen lassen, als er lautet",
    "the file must start with a line '---'": "die Datei muss mit einer Zeile '---' beginnen",
    "put the fields between two '---' lines at the top":
        "schreiben Sie die Felder oben zwischen zwei Zeilen '---'",
    "the front matter is not closed": "der Kopfbereich ist nicht abgeschlossen",
    "add a line '---' after the last field":
        "fügen Sie nach dem letzten Feld eine Zeile '---' ein",
    "no site.yaml in {folder}": "keine site.yaml in {folder}",
    "run the command in the site's folder or pass --site DIR":
        "rufen Sie den Befehl im Ordner der Website auf oder geben Sie --site ORDNER an",
    "files in content/{folder}/ must not be in sub-folders":
        "Dateien in content/{folder}/ dürfen nicht in Unterordnern liegen",
    "move it to content/{folder}/": "verschieben Sie sie nach content/{folder}/",
    "the data is nested too deeply": "die Daten sind zu tief verschachtelt",
    "a key must be a plain word": "ein Feldname muss ein einfaches Wort sein",
    "duplicate key '{key}' (first on line {line})":
        "das Feld '{key}' steht doppelt da (zuerst in Zeile {line})",
    "remove one of the two lines": "entfernen Sie eine der beiden Zeilen",
    "aliases (*{name}) are not allowed": "Aliase (*{name}) sind nicht erlaubt",
    "anchors (&{name}) are not allowed": "Anker (&{name}) sind nicht erlaubt",
    "write the value out in full": "schreiben Sie den Wert vollständig aus",
    "tags ({tag}) are not allowed": "Tags ({tag}) sind nicht erlaubt",
    "remove the tag; put the value in quotes if it should be text":
        "entfernen Sie das Tag; setzen Sie den Wert in Anführungszeichen, wenn er Text sein soll",
    "only one YAML document is allowed here": "hier ist nur ein YAML-Dokument erlaubt",
    "invalid YAML": "ungültiges YAML",
    "indent with spaces, not tabs": "rücken Sie mit Leerzeichen ein, nicht mit Tabulatoren",
    "put text that contains ': ' in quotes":
        "setzen Sie Text, der ': ' enthält, in Anführungszeichen",
    # the most frequent messages of libyaml itself
    "mapping values are not allowed in this context":
        "an dieser Stelle ist kein 'Feld: Wert' möglich",
    "could not find expected ':'": "hier fehlt ein ':' nach dem Feldnamen",
    "did not find expected key": "hier wurde ein Feldname erwartet",
    "found character that cannot start any token":
        "dieses Zeichen kann hier nicht am Anfang stehen",
    "did not find expected node content": "hier fehlt ein Wert",
    "found unexpected end of stream": "die Datei endet mitten in einem Wert",
    "found a tab character that violates indentation":
        "ein Tabulator stört hier die Einrückung",
    "did not find expected ',' or ']'": "hier fehlt ein ',' oder ']'",
    "did not find expected ',' or '}'": "hier fehlt ein ',' oder '}'",
    "found unexpected ':'": "unerwarteter ':'",
    "block sequence entries are not allowed in this context":
        "an dieser Stelle ist kein Listeneintrag ('- …') möglich",
    # fields
    "must not be empty": "darf nicht leer sein",
    "an id may only contain lowercase letters a-z, digits and single hyphens, like "
    "'kreis-steinfurt'":
        "eine ID darf nur Kleinbuchstaben a-z, Ziffern und einzelne Bindestriche enthalten, "
        "etwa 'kreis-steinfurt'",
    "'{value}' cannot be a folder name on Windows; choose a longer id":
        "'{value}' kann unter Windows kein Ordnername sein; wählen Sie eine längere ID",
    "expected a web address starting with https:// or http://":
        "erwartet wird eine Webadresse, die mit https:// oder http:// beginnt",
    "expected an e-mail address like info@example.org":
        "erwartet wird eine E-Mail-Adresse wie info@example.org",
    'expected a phone number like "+49 5971 12345" (in quotes)':
        'erwartet wird eine Telefonnummer wie "+49 5971 12345" (in Anführungszeichen)',
    'expected a postal code like "48431" (in quotes)':
        'erwartet wird eine Postleitzahl wie "48431" (in Anführungszeichen)',
    "expected a file name inside the site folder, like 'logo.png'":
        "erwartet wird ein Dateiname im Ordner der Website, etwa 'logo.png'",
    "there is no date {text}": "den Tag {text} gibt es nicht",
    "expected a date like 2020-04-02 or a date and time like 2020-04-02 10:00":
        "erwartet wird ein Datum wie 2020-04-02 oder Datum und Uhrzeit wie 2020-04-02 10:00",
    "there is no date and time {text}": "den Zeitpunkt {text} gibt es nicht",
    "{text} does not exist in {zone}: the clocks skip that hour when daylight saving time "
    "starts; give a time outside the gap":
        "{text} gibt es in {zone} nicht: Bei der Umstellung auf Sommerzeit wird diese "
        "Stunde übersprungen; geben Sie eine Uhrzeit außerhalb der Lücke an",
    "{text} happens twice in {zone} when daylight saving time ends; add the offset: "
    "{first} (first) or {second} (second)":
        "{text} gibt es in {zone} zweimal, wenn die Sommerzeit endet; geben Sie den Versatz "
        "an: {first} (das erste Mal) oder {second} (das zweite Mal)",
    "the base URL must not contain '?' or '#'": "die Basis-URL darf kein '?' und kein '#' "
                                                "enthalten",
    "unknown time zone '{value}'; use an IANA name like Europe/Berlin":
        "unbekannte Zeitzone '{value}'; verwenden Sie einen IANA-Namen wie Europe/Berlin",
    "expected text": "erwartet wird Text",
    "expected a list, like [a, b]": "erwartet wird eine Liste wie [a, b]",
    "expected fields indented below this key":
        "erwartet werden Felder, eingerückt unter diesem Feld",
    "expected a whole number": "erwartet wird eine ganze Zahl",
    "expected true or false": "erwartet wird true oder false",
    "expected a number": "erwartet wird eine Zahl",
    "expected a date like 2020-04-01": "erwartet wird ein Datum wie 2020-04-01",
    "{expected}, found '{value}'": "{expected}, gefunden: '{value}'",
    "the required field '{name}' is missing": "das Pflichtfeld '{name}' fehlt",
    "add a line like: {example}": "ergänzen Sie eine Zeile wie: {example}",
    "unknown field '{name}'": "unbekanntes Feld '{name}'",
    "allowed here: {fields}": "erlaubt sind hier: {fields}",
    "'{value}' is not allowed here; use one of: {allowed}":
        "'{value}' ist hier nicht erlaubt; möglich sind: {allowed}",
    "needs at least one entry": "braucht mindestens einen Eintrag",
    "for example: {example}": "zum Beispiel: {example}",
    "too long: at most {limit} characters": "zu lang: höchstens {limit} Zeichen",
    "expected fields (key: value), found {found}":
        "erwartet werden Felder (Name: Wert), gefunden: {found}",
    "a list": "eine Liste",
    "a single value": "ein einzelner Wert",
    "write one 'field: value' per line": "schreiben Sie je Zeile ein 'Feld: Wert'",
    # references and vocabularies
    "did you mean '{value}'?": "meinten Sie '{value}'?",
    "unknown industry '{value}'": "unbekannte Branche '{value}'",
    "unknown region '{value}'": "unbekannte Region '{value}'",
    "unknown association '{value}'": "unbekannter Verband '{value}'",
    "unknown member '{value}'": "unbekanntes Mitglied '{value}'",
    "industry": "Branchen",
    "region": "Regionen",
    "association": "Verbände",
    "member": "Mitglieder",
    "known {what} ids are listed in {file}": "die IDs der {what} stehen in {file}",
    "the same industry is listed twice": "dieselbe Branche steht doppelt in der Liste",
    "the same region is listed twice": "dieselbe Region steht doppelt in der Liste",
    "the same association is listed twice": "derselbe Verband steht doppelt in der Liste",
    "the same member is listed twice": "dasselbe Mitglied steht doppelt in der Liste",
    "remove the repeat": "entfernen Sie die Wiederholung",
    "{file} is missing": "{file} fehlt",
    "create it with a list of entries like: {example}":
        "legen Sie die Datei mit einer Liste von Einträgen an, etwa: {example}",
    "expected a list of entries with id and name":
        "erwartet wird eine Liste von Einträgen mit id und name",
    "start each entry with '- id: …'": "beginnen Sie jeden Eintrag mit '- id: …'",
    "the id '{id}' is used twice (first on line {line})":
        "die ID '{id}' wird doppelt verwendet (zuerst in Zeile {line})",
    "give each entry its own id": "geben Sie jedem Eintrag eine eigene ID",
    "the association id '{id}' is used twice": "die Verbands-ID '{id}' wird doppelt verwendet",
    "give each its own id": "geben Sie jedem eine eigene ID",
    "there is no file {file}": "es gibt keine Datei {file}",
    "put the logo beside the member's file, or remove the line":
        "legen Sie das Logo neben die Datei des Mitglieds oder entfernen Sie die Zeile",
    "put the logo below static/": "legen Sie das Logo unter static/ ab",
    # file names
    "the file name '{name}' is not a valid slug": "der Dateiname '{name}' ist kein gültiger "
                                                  "Kurzname",
    "use only lowercase letters a-z, digits and single hyphens, like 'muster-logistik.md' "
    "(ä → ae, ß → ss)":
        "verwenden Sie nur Kleinbuchstaben a-z, Ziffern und einzelne Bindestriche, etwa "
        "'muster-logistik.md' (ä → ae, ß → ss)",
    "the file name '{name}' cannot be used on Windows":
        "der Dateiname '{name}' ist unter Windows nicht möglich",
    "choose a longer name": "wählen Sie einen längeren Namen",
    "the page name '{name}' is used by the site itself":
        "den Seitennamen '{name}' verwendet die Website selbst",
    "rename the file": "benennen Sie die Datei um",
    # events
    "an event with format '{format}' has no 'location'; the page says the venue is still "
    "to be announced":
        "eine Veranstaltung mit format '{format}' hat keine 'location'; die Seite sagt, dass "
        "der Ort noch bekannt gegeben wird",
    "add location: with name, street, postal_code and city":
        "ergänzen Sie location: mit name, street, postal_code und city",
    "'start' and 'end' must both be dates (all-day) or both dates with a time":
        "'start' und 'end' müssen beide Daten (ganztägig) oder beide Daten mit Uhrzeit sein",
    "for example start: 2020-04-02 10:00 and end: 2020-04-02 11:30":
        "zum Beispiel start: 2020-04-02 10:00 und end: 2020-04-02 11:30",
    "'end' is before 'start'": "'end' liegt vor 'start'",
    "check the date and time": "prüfen Sie Datum und Uhrzeit",
    "registration needs a 'url' or an 'email'": "registration braucht 'url' oder 'email'",
    "the registration deadline is after the event's start":
        "der Anmeldeschluss liegt nach dem Beginn der Veranstaltung",
    "check the date": "prüfen Sie das Datum",
    # near duplicates
    "the name is almost the same as '{name}' in {file}":
        "der Name gleicht fast '{name}' in {file}",
    "is this the same firm? Then change that file instead":
        "ist das dieselbe Firma? Dann ändern Sie besser jene Datei",
    "{file} has a website on the same domain ({domain})":
        "{file} hat eine Website unter derselben Domain ({domain})",
    "{file} has the same title on the same day": "{file} hat am selben Tag denselben Titel",
    "is this the same event? Then change that file instead":
        "ist das dieselbe Veranstaltung? Dann ändern Sie besser jene Datei",
    # bodies, logos and links
    "the text has {count:,} '[' characters; at most {limit:,} are allowed":
        "der Text enthält {count} Zeichen '['; erlaubt sind höchstens {limit}",
    "remove the repeated brackets": "entfernen Sie die wiederholten Klammern",
    "lists or quotes are nested too deeply": "Listen oder Zitate sind zu tief verschachtelt",
    "use fewer levels of lists and quotes": "verwenden Sie weniger Ebenen von Listen und Zitaten",
    "the text took longer than {seconds:g} s to render and was stopped":
        "der Text brauchte länger als {seconds:g} s zur Darstellung und wurde abgebrochen",
    "shorten it or simplify its formatting": "kürzen Sie ihn oder vereinfachen Sie die "
                                             "Formatierung",
    "a logo must be PNG, JPEG, WebP or GIF, not {format}":
        "ein Logo muss PNG, JPEG, WebP oder GIF sein, nicht {format}",
    "the image is {width}×{height} pixels; make it smaller than 6000×6000":
        "das Bild hat {width}×{height} Pixel; es muss kleiner als 6000×6000 sein",
    "the file is not an image that can be read (use PNG, JPEG, WebP or GIF)":
        "die Datei ist kein lesbares Bild (verwenden Sie PNG, JPEG, WebP oder GIF)",
    "the link '{url}' leads out of the site's folder":
        "der Link '{url}' führt aus dem Ordner der Website hinaus",
    "the link '{url}' leads to a page that does not exist":
        "der Link '{url}' führt zu einer Seite, die es nicht gibt",
    "the link '{url}' leads to an anchor that does not exist":
        "der Link '{url}' führt zu einem Sprungziel, das es nicht gibt",
    "on the page {page}; the templates need a fix":
        "auf der Seite {page}; die Vorlagen müssen korrigiert werden",
    "write an e-mail address in angle brackets, like <info@example.org>":
        "schreiben Sie eine E-Mail-Adresse in spitzen Klammern, etwa <info@example.org>",
    "for another website write it in full, like 'https://example.org/'":
        "schreiben Sie andere Websites vollständig aus, etwa 'https://example.org/'",
    "correct or remove the link": "korrigieren oder entfernen Sie den Link",
    "would be written to {path}, which {file} already uses":
        "würde nach {path} geschrieben, das schon {file} verwendet",
    "rename one of the two files": "benennen Sie eine der beiden Dateien um",
    "would be written to {path}, which the site uses for a page of its own":
        "würde nach {path} geschrieben, das die Website für eine eigene Seite verwendet",
    # the command line
    "1 error": "1 Fehler",
    "{count} errors": "{count} Fehler",
    "1 warning": "1 Warnung",
    "{count} warnings": "{count} Warnungen",
    "{first} and {second}": "{first} und {second}",
    "{counts} in 1 file": "{counts} in 1 Datei",
    "{counts} in {files} files": "{counts} in {files} Dateien",
    "No problems found.": "Keine Probleme gefunden.",
    "No errors found.": "Keine Fehler gefunden.",
    "Nothing was written; {folder} is unchanged.":
        "Nichts wurde geschrieben; {folder} ist unverändert.",
    "--strict: warnings count as errors.": "--strict: Warnungen zählen als Fehler.",
    "cannot write {folder}: {reason} ({file}); nothing was changed there":
        "{folder} lässt sich nicht schreiben: {reason} ({file}); dort wurde nichts geändert",
    "Built {count} files into {folder} in {seconds:.1f} s ({made} new or changed).":
        "{count} Dateien in {seconds:.1f} s nach {folder} geschrieben ({made} neu oder "
        "geändert).",
    "{count} problem(s) in the content": "{count} Problem(e) im Inhalt",
    "| file | line | field | problem |": "| Datei | Zeile | Feld | Problem |",
    "warning": "Warnung",
    # the preview
    "Rebuilt in {seconds:.2f} s.": "Neu gebaut in {seconds:.2f} s.",
    "The content has errors; this is the last good build":
        "Die Inhalte haben Fehler; zu sehen ist der letzte fehlerfreie Stand",
    "Preview on http://{host}:{port}/ (Ctrl+C stops it)":
        "Vorschau unter http://{host}:{port}/ (Strg+C beendet sie)",
    "the template cannot be used: {reason}":
        "die Vorlage lässt sich nicht verwenden: {reason}",
    "correct the template": "korrigieren Sie die Vorlage",
    "there is no template '{name}'": "es gibt keine Vorlage '{name}'",
}
