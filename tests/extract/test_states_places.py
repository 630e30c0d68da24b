"""States, their adjectives and "Government of X"; places, datelines, cities and spaceports."""


def test_state_names_adjectives_and_government(run):
    r = run("TOKYO. The Government of Japan and the Indian side discussed satellite navigation. "
            "The Republic of India will host the next round.")
    states = r.of_type("State")
    assert set(states) == {"Japan", "India"}
    assert "Government of Japan" not in r.of_type("Organization", "GovernmentBody")
    assert "Republic of India" in r.entities["state/IN"].aliases


def test_dateline_city_and_gazetteer_cities(run):
    r = run("NEW DELHI, March 3. India and Brazil agreed to launch a satellite from the Alcantara Launch Center. "
            "Engineers from Bengaluru and Sao Paulo will work on it.")
    places = r.of_type("Place", "Spaceport")
    assert "New Delhi" in places
    assert "Bengaluru" in places
    assert "Alcântara Launch Center" in r.of_type("Spaceport")


def test_city_inside_a_longer_name_is_not_a_place(run):
    r = run("The minister spoke on Independence Day about the space programme of Kenya and Italy.")
    assert "Independence" not in r.of_type("Place")


def test_lists_of_cities_located_in_a_state(run):
    r = run("Brazil will place ground stations in the Chinese cities of Kunming, Harbin and Lhasa, "
            "and China will install its stations across Brazil's Natal, Recife and Manaus.")
    for city in ("Kunming", "Harbin", "Lhasa"):
        assert r.objects(r.key(city, "Place"), "locatedIn") == {"state/CN"}
    assert r.objects(r.key("Natal", "Place"), "locatedIn") == {"state/BR"}


def test_page_noise_never_enters_the_graph(run):
    text = ("Main Page >\n News >\nSpace\n\nOSLO. Norway and Sweden signed an agreement on Arctic launches.\n\n"
            "photo\n\nRead also\nPresident of Chile visits Peru\nEgypt and Ghana sign a trade deal\n")
    r = run(text)
    states = set(r.of_type("State"))
    assert states == {"Norway", "Sweden"}


def test_one_word_noise_markers_match_only_a_line_of_their_own(run):
    # "Home" and "Popular" are furniture alone on a line, not when they begin a sentence
    text = ("Home >\n\nCAIRO. Home Secretary of Ghana Kofi Mensah met the Foreign Minister of Egypt in Cairo.\n\n"
            "Popular interest in the joint launch of Ghana and Kenya grew over the summer months.\n\n"
            "Norway and Sweden signed an agreement on Arctic launches.\n\n"
            "Popular\nPresident of Chile visits Peru\n")
    r = run(text)
    states = set(r.of_type("State"))
    assert {"Ghana", "Egypt", "Kenya", "Norway", "Sweden"} <= states
    assert not {"Chile", "Peru"} & states


def test_noise_filter_one_word_markers_unit(extractor):
    from kgraph.extract.text import NoiseFilter
    nf = next(c for _n, c in extractor.nlp.pipeline if isinstance(c, NoiseFilter))
    text = ("Home >\nHome Minister of India met the delegation of Japan in Tokyo on Monday.\n"
            "Popular interest in the mission of the two states kept growing all year.\n"
            "Popular:\nSome related headline\n")
    noisy = [text[a:b] for a, b in nf.noise_ranges(text)]
    assert "Home >" in noisy
    assert not any(n.startswith(("Home Minister", "Popular interest")) for n in noisy)
    assert any(n.startswith("Popular:") for n in noisy)


def test_read_also_inside_the_body_keeps_the_rest_of_the_article(run):
    text = ("LIMA. Peru and Chile signed an agreement on the joint use of ground stations on Monday.\n\n"
            "Read also: Egypt and Ghana sign a trade deal\n\n"
            "The agreement was signed in Lima by the Minister of Defense of Peru Carlos Vega and the Ambassador "
            "of Chile Ana Soto, who said that the two countries would expand their cooperation.\n\n"
            "Related news\nPresident of Fiji visits Samoa\nTonga hosts a regional summit on Tuesday\n")
    r = run(text)
    states = set(r.of_type("State"))
    assert {"Peru", "Chile"} <= states
    assert not {"Egypt", "Ghana", "Fiji", "Samoa", "Tonga"} & states
    assert {"Carlos Vega", "Ana Soto"} <= set(r.of_type("Official"))


def test_noise_is_recognised_by_its_shape(extractor):
    from kgraph.extract.text import NoiseFilter
    nf = next(c for _n, c in extractor.nlp.pipeline if isinstance(c, NoiseFilter))
    text = ("Oman and India agree on a satellite ground station\n"
            "By Priya Nair\n"
            "12 March 2021, 14:05\n"
            "MUSCAT. Oman and India signed a memorandum on a satellite ground station in Muscat today.\n"
            "The Omani side said the station would be ready within two years, according to a source: "
            "the ministry of transport of Oman.\n"
            "Oman India Space Satellites\n"
            "Most viewed\n"
            "Kenya and Italy talk over phone\n"
            "What did Nepal and China agree on?\n")
    noisy = {text[a:b].strip() for a, b in nf.noise_ranges(text)}
    assert "By Priya Nair" in noisy and "12 March 2021, 14:05" in noisy
    assert "Oman India Space Satellites" in noisy                # a tag list after the body
    assert {"Kenya and Italy talk over phone", "What did Nepal and China agree on?"} <= noisy
    assert not any(n.startswith(("MUSCAT", "The Omani side", "Oman and India agree")) for n in noisy)


def test_sites_named_by_their_kind_are_places(run):
    r = run("The talks were held at NASA Headquarters. Later Kim visited ESA's Redu Space Center and the "
            "Marshall Space Flight Center, according to the Daejeon-based institute. Data are received in Goias state.")
    places = r.of_type("Place", "Spaceport")
    assert {"NASA Headquarters", "Redu Space Center", "Marshall Space Flight Center", "Daejeon", "Goias"} <= set(places)
    assert not {"Redu Space Center", "Marshall Space Flight Center"} & set(r.of_type("Organization"))


def test_a_state_of_a_country_needs_a_lowercase_word(run):
    r = run("The Russian state will pay for the Islamic State exhibition.")
    assert not r.of_type("Place")


def test_where_sites_and_bodies_are(run):
    r = run("The satellite will be launched from the Jiuquan Satellite Launch Center in northwest China's Gansu "
            "Province and from Japan's Uchinoura Space Center. Pilar Ruiz visited the Ames Research Center in "
            "Mountain View, California, and the Rome-based company Telespazio. The Institute for Space Research, "
            "headquartered in Cordoba, joined.")
    assert r.labels(r.objects(r.key("Gansu Province", "Place"), "locatedIn")) == {"China"}
    assert r.labels(r.objects(r.key("Uchinoura Space Center", "Place", "Spaceport"), "locatedIn")) == {"Japan"}
    assert r.labels(r.objects(r.key("Mountain View", "Place"), "locatedIn")) == {"California"}
    assert r.labels(r.objects(r.key("Telespazio"), "locatedIn")) == {"Rome"}
    assert r.labels(r.objects(r.key("Institute for Space Research"), "locatedIn")) <= {"Córdoba", "Cordoba"}
    assert r.objects(r.key("Institute for Space Research"), "locatedIn")


def test_town_near_a_known_place(run):
    r = run("Engineers will train at the ground station in Weilheim near Munich.")
    assert {"Weilheim", "Munich"} <= set(r.of_type("Place"))


def test_ground_stations_are_sites_of_their_own(run):
    r = run("Images are received at INPE's Cuiaba ground station in Mato Grosso state and at the Alice Springs "
            "tracking station.")
    station = r.key("Cuiaba ground station", "Place")
    assert r.labels(r.objects(station, "locatedIn")) == {"Mato Grosso"}
    assert "Alice Springs tracking station" in r.of_type("Place")


def test_unlisted_town_where_a_signing_or_meeting_happened_is_a_place(run):
    r = run("The memorandum was signed in Oberpfaffenhofen on Monday by DLR and the Kazakh agency. "
            "The consultations took place in Nova Friburgo, where the institute is. "
            "Both texts were signed in English and Swahili. The new campus is located in the New Riverside "
            "Capital, east of Lagos. It was signed in the Presence of the Minister.")
    places = r.of_type("Place")
    assert {"Oberpfaffenhofen", "Nova Friburgo", "New Riverside Capital"} <= set(places)
    assert "Presence" not in places
    assert "English" not in places and "Swahili" not in places


def test_islands_peninsulas_and_places_told_by_where_they_lie(run):
    r = run("The research centre is headquartered on Flores island. A launch pad is planned on the island of "
            "Andøya and on the Otago Peninsula. The agency has a dish at Klerefontein, north of Cape Town. "
            "The memorandum was signed at the Union Buildings in Pretoria.")
    places = r.of_type("Place", "Spaceport")
    assert {"Flores", "Andøya", "Otago Peninsula", "Klerefontein", "Union Buildings"} <= set(places)
    assert places["Andøya"] != "place/andoya"                 # the island, not Andøya Spaceport
    assert r.labels(r.objects(places["Union Buildings"], "locatedIn")) == {"Pretoria"}


def test_satellite_operators_are_companies_of_their_state(run):
    r = run("Data will be received at the Thermopylae satellite ground station, operated by Hellas Sat.")
    assert r.objects(r.key("Hellas Sat", "Company"), "ofState") == {"state/GR"}
    assert "Thermopylae satellite ground station" in r.of_type("Place")


def test_sites_on_islands_and_peninsulas(run):
    r = run("Chile and Peru will launch from Tarapaca Launch Complex 2 on the Mejillones Peninsula. "
            "Data will be downlinked at the Austral Satellite Station on Chiloé island. "
            "Peru will join the Pacific Ocean Research Centre (PO Centre), headquartered on Chiloé island.")
    pad = r.key("Tarapaca Launch Complex 2", "Spaceport")
    assert r.labels(r.objects(pad, "locatedIn")) == {"Mejillones Peninsula"}
    station = r.key("Austral Satellite Station", "Place")
    assert r.labels(r.objects(station, "locatedIn")) == {"Chiloé"}
    centre = r.key("Pacific Ocean Research Centre")
    assert r.labels(r.objects(centre, "locatedIn")) == {"Chiloé"}


def test_lines_above_the_headline_are_the_masthead(run):
    title = "Chile and Peru sign space cooperation memorandum"
    text = ("Gob.cl\nMinistry of Science, Technology, Knowledge and Innovation\nPress release | No: 7/2025\n\n"
            f"{title}\n\nSANTIAGO – Chile and Peru yesterday signed a memorandum of understanding on the "
            "exchange of Earth observation data between their space agencies.\n")
    r = run(text, title=title)
    assert not any("Ministry" in e.label for e in r.entities.values())
    assert {"Chile", "Peru"} <= set(r.of_type("State"))
    kept = run(text)                                # without a title nothing is cut
    assert {"Chile", "Peru"} <= set(kept.of_type("State"))


def test_a_town_and_the_region_no_list_has_that_ends_the_sentence(run):
    r = run("The joint laboratory of Finland and Estonia will work at the observatory in Tuorla, Proper "
            "Aboland. In Tartu, Kask said the data would be shared.")
    town = r.key("Tuorla", "Place")
    assert r.labels(r.objects(town, "locatedIn")) == {"Proper Aboland"}
    assert "Kask" not in r.of_type("Place")


def test_an_unlisted_island_or_archipelago_after_a_place(run):
    r = run("Spain and Chile plan a launch site on the island of Hierro, in the Canaries. Telemetry will "
            "go to the Austral Tracking Station (ATS) on Navarino. The ministers met in Madrid, in the evening.")
    hierro = r.key("Hierro", "Place")
    assert r.labels(r.objects(hierro, "locatedIn")) == {"Canaries"}
    station = r.key("Austral Tracking Station", "Place")
    assert r.labels(r.objects(station, "locatedIn")) == {"Navarino"}
    assert r.objects(r.key("Madrid", "Place"), "locatedIn") <= {"state/ES"}


def test_a_place_one_rule_found_is_that_place_elsewhere_in_the_article(run):
    r = run("Kenya and Italy held talks on Tuesday in the Upper Tana Valley. The new ground station is "
            "located in the Upper Tana Valley.", date="2025-03-12")
    talks = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(talks, "heldAt")) == {"Upper Tana Valley"}


def test_unlisted_region_after_a_site_in(run):
    r = run("Launches will fly from the Kestrel Spaceport in Upper Tarn and the Ridge Space Centre in Lowmoor, "
            "officials said.")
    for site, region in (("Kestrel Spaceport", "Upper Tarn"), ("Ridge Space Centre", "Lowmoor")):
        assert r.labels(r.objects(r.key(site), "locatedIn")) == {region}


def test_a_site_in_a_state_and_bodies_in_their_home_city(run):
    r = run("The satellite will be launched from the Jiuquan Satellite Launch Center in northwest China later "
            "this year. The payload was built by Cusco's Institute of Orbital Studies. The next workshop will be "
            "held in Arequipa, home to the Peruvian Space Agency, in spring.", date="2025-02-12")
    expected = {"Jiuquan Satellite Launch Center": {"state/CN"}, "Institute of Orbital Studies": {"Cusco"},
                "Peruvian Space Agency": {"Arequipa"}}
    for thing, where in expected.items():
        found = r.objects(r.key(thing), "locatedIn")
        assert found == where or r.labels(found) == where, thing


def test_a_house_or_palace_is_the_venue(run):
    r = run("The two ministers signed a memorandum on ocean data at Peru House in Santiago on Tuesday. Earlier, "
            "Peru's foreign minister held talks on Monday in Lima with the Chilean minister at the Torre Tagle "
            "Palace.", date="2025-02-12")
    [arrangement] = [k for k, e in r.entities.items() if e.type == "Memorandum"]
    assert r.labels(r.objects(arrangement, "signedAt")) == {"Peru House"}
    assert r.labels(r.objects(r.key("Peru House"), "locatedIn")) == {"Santiago"}
    [talks] = r.of_type("Meeting").values()
    assert r.labels(r.objects(talks, "heldAt")) == {"Torre Tagle Palace"}
    assert "Peru House" not in r.entities["state/PE"].aliases


def test_related_terms_and_keep_exploring_lists_are_furniture(run):
    text = ("OSLO. Norway and Sweden signed an agreement on Arctic launches.\n\nFor more, visit: https://example.org\n"
            "\n-end-\n\nAnna Berg\nHeadquarters, Oslo\n202-555-0100\n\nRelated Terms\nArtemis Accords\n"
            "International Space Station (ISS)\n"
            "Office of International and Interagency Affairs (OIIA)\n\nKeep Exploring\nChile, Egypt Advance Space Cooperation on Radar Launch\n")
    r = run(text)
    assert set(r.of_type("State")) == {"Norway", "Sweden"} and not r.of_type("GovernmentBody", "Project")
