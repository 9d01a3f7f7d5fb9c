from pressespiegel.stories.grouping import Article, find_duplicates, group

AGENCY = ("Auenbach (dpa) – Nach dem Deichbruch an der Erft haben die Behörden am Dienstag rund 2.400 Menschen "
          "in Sicherheit gebracht. Landrat Heiner Kassel sprach von der schwersten Flut seit Jahrzehnten. Die "
          "Feuerwehr pumpte die ganze Nacht Wasser aus Kellern. Das Technische Hilfswerk baute einen Notdeich aus "
          "Sandsäcken. Die Pegel sollen erst am Mittwoch sinken, teilte der Kreis mit. Schulen bleiben geschlossen.")


def test_agency_copy_with_small_edits_is_a_duplicate():
    edited = AGENCY.replace("rund 2.400", "etwa 2.400").replace(" Schulen bleiben geschlossen.", "")
    arts = [Article(1, "Flut in Auenbach", AGENCY, "2026-11-03", "nordwest-echo.de"),
            Article(2, "Auenbach unter Wasser", edited, "2026-11-03", "isartaler-nachrichten.de"),
            Article(3, "Bahnstreik", "Die Lokführer der Nordbahn streiken ab Donnerstag 48 Stunden lang. " * 3,
                    "2026-11-11", "spreeblick24.de")]
    assert find_duplicates(arts) == {2: 1}


def test_grouping_separates_topics_and_joins_same_story():
    arts = [
        Article(1, "Deich bei Auenbach gebrochen", AGENCY, "2026-11-02", "rheinkurier.de"),
        Article(2, "Auenbach: Evakuierung nach Deichbruch dauert an",
                "Auenbach – Zwei Tage nach dem Deichbruch an der Erft dürfen die evakuierten Auenbacher noch nicht "
                "zurück. Landrat Heiner Kassel sagte, der Notdeich aus Sandsäcken halte. Die Feuerwehr pumpt weiter "
                "Wasser aus den Kellern, das Technische Hilfswerk ist im Einsatz. Die Pegel der Erft sinken langsam, "
                "die Schulen bleiben geschlossen, teilte der Kreis mit.",
                "2026-11-04", "spreeblick24.de"),
        Article(3, "Bahnstreik legt Nordbahn lahm",
                "Berlin – Die Gewerkschaft VZL hat die Lokführer der Nordbahn zu einem 48-stündigen Streik "
                "aufgerufen. Pendler müssen sich auf massive Ausfälle einstellen, sagte VZL-Chef Torsten Brück.",
                "2026-11-11", "spreeblick24.de"),
    ]
    g = group(arts)
    assert g.story_of[1] == g.story_of[2] == 1
    assert g.story_of[3] == 3
    assert g.story_titles[1] == "Deich bei Auenbach gebrochen"


def test_grouping_is_deterministic_and_handles_empty():
    assert group([]).story_of == {}
    arts = [Article(i, f"T{i}", f"Text über Thema {i} mit eigenen Wörtern Nummer{i}", None, None) for i in range(5)]
    assert group(arts).story_of == group(list(reversed(arts))).story_of


def test_a_shortened_agency_copy_is_a_duplicate_and_a_same_event_report_is_not():
    from pressespiegel.stories.grouping import Article, find_duplicates

    agency = ("Ein ganztägiger Warnstreik hat am Dienstag den öffentlichen Nahverkehr in Brakenhude weitgehend "
              "lahmgelegt. Busse und Stadtbahnen der Verkehrsbetriebe blieben seit dem frühen Morgen in den Depots, "
              "wie ein Sprecher des Unternehmens mitteilte. Nur einzelne Schulbuslinien wurden bedient. Die "
              "Gewerkschaft fordert 8,5 Prozent mehr Lohn, die Verkehrsbetriebe bieten 5,2 Prozent. Eine weitere "
              "Verhandlungsrunde ist für kommende Woche angesetzt. Pendler wichen auf Autos und Fahrräder aus, auf "
              "den Einfallstraßen bildeten sich lange Staus. Die Polizei meldete keine besonderen Vorkommnisse.")
    first_half = agency[: len(agency) // 2]
    own = ("Stillstand in Brakenhude: Wer am Dienstag zur Arbeit wollte, brauchte Geduld. Unsere Reporterin hat "
           "Pendler am Hauptbahnhof getroffen, die auf Busse warteten, die nicht kamen. Die Gewerkschaft will mehr "
           "Lohn, die Verkehrsbetriebe verweisen auf leere Kassen. Viele fuhren mit dem Rad, andere blieben zu Hause.")
    articles = [Article(1, "Warnstreik legt Nahverkehr lahm", agency, "2026-03-10", "a.de"),
                Article(2, "Busse stehen still", "Kurz gemeldet: " + first_half, "2026-03-10", "b.de"),
                Article(3, "Geduld gefragt", own, "2026-03-10", "c.de")]
    assert find_duplicates(articles) == {2: 1}
