"""Agreements: kinds, canonical names, signatories, dates, places, amendments, terms, parties."""


def test_signed_agreement_with_signatories_date_and_place(run):
    r = run("Today in Paris Minister of Economy of France Claire Dubois and Minister of Science of "
            "Vietnam Nguyen Van An signed the Agreement on cooperation in the field of remote sensing.",
            date="2019-05-14")
    agreements = r.of_type("Agreement")
    assert len(agreements) == 1
    key = next(iter(agreements.values()))
    assert r.labels(r.objects(key, "signatory")) == {"Claire Dubois", "Nguyen Van An"}
    assert r.objects(key, "signedOn") == {"2019-05-14"}
    assert r.labels(r.objects(key, "signedAt")) == {"Paris"}
    assert r.objects(key, "party") == {"state/FR", "state/VN"}


def test_protocol_amending_an_agreement_dated_as_of(run):
    r = run("Kenya and Italy signed the Protocol on amendments to the Agreement between the Republic of "
            "Kenya and the Italian Republic on the Broglio Space Centre as of March 14, 1995.")
    protocol = r.key(next(label for label in r.of_type("Protocol")), "Protocol")
    amended = r.objects(protocol, "amends")
    assert len(amended) == 1
    target = next(iter(amended))
    assert r.entities[target].type == "Agreement"
    assert r.objects(target, "signedOn") == {"1995-03-14"}
    assert r.objects(protocol, "party") == {"state/KE", "state/IT"}


def test_term_and_back_reference(run):
    r = run("Egypt and China adopted the Roadmap of space cooperation. The Roadmap is designed till 2035.")
    roadmap = next(iter(r.of_type("Roadmap").values()))
    assert r.objects(roadmap, "validUntil") == {"2035"}


def test_memorandum_between_agencies_has_their_states_as_parties(run):
    r = run("A memorandum of understanding on joint activities in planetary science was signed between "
            "JAXA and CNES on Tuesday.")
    memo = next(iter(r.of_type("Memorandum").values()))
    assert r.objects(memo, "party") == {"state/JP", "state/FR"}
    assert r.objects(memo, "signedOn") == {"2021-03-09"}


def test_kind_word_used_otherwise_is_no_agreement(run):
    r = run("NASA Deputy program director Ann Smith said the two agencies plan to expand cooperation.")
    assert not any(e.type in ("Agreement", "Programme") for e in r.entities.values())


def test_reduced_relative_signing_and_stop_at_venue(run):
    r = run("The Implementing Arrangement on the lunar rover was signed at NASA headquarters in Washington. "
            "It follows the Framework Agreement between Japan and the United States, signed in Tokyo on "
            "January 13, 2023.")
    labels = set(r.of_type("Agreement"))
    assert "Implementing arrangement on lunar rover" in labels
    framework = r.key(next(label for label in labels if label.startswith("Framework")), "Agreement")
    assert r.objects(framework, "signedOn") == {"2023-01-13"}
    assert r.labels(r.objects(framework, "signedAt")) == {"Tokyo"}


def test_plural_documents_as_well_as(run):
    r = run("Peru and Chile signed the joint statements on data sharing as well as the launch services "
            "between their agencies.")
    assert len(r.of_type("Agreement")) == 2


def test_subject_after_a_participial_signing(run):
    r = run("After signing a pact with Brazilian President Luis Costa for a joint lunar mission on "
            "Friday, Prime Minister of Portugal Ana Ramos said the two countries would work together.",
            date="2021-03-12")
    pact = next(k for k, e in r.entities.items() if e.type == "Agreement")
    assert r.labels(r.objects(pact, "signatory")) == {"Luis Costa", "Ana Ramos"}


def test_protocol_amending_in_verb_form_is_named_by_what_it_amends(run):
    r = run("Ghana and Spain signed a protocol amending the 2009 agreement on satellite communications. "
            "The document was signed in Accra by Foreign Minister Ama Mensah.")
    protocol = next(iter(r.of_type("Protocol").values()))
    amended = r.objects(protocol, "amends")
    assert r.labels(amended) == {"2009 agreement on satellite communications"}
    assert r.labels(r.objects(protocol, "signedAt")) == {"Accra"}      # "the document" is the protocol
    assert not r.objects(next(iter(amended)), "signedAt")


def test_passive_signing_of_an_amending_protocol(run):
    r = run("The Protocol amending the Framework Agreement between Chile and Norway on polar satellites was "
            "signed in Oslo on May 5, 2020 by Chilean Minister Rosa Vidal and Norwegian Minister Lars Berg.")
    protocol = next(iter(r.of_type("Protocol").values()))
    framework = next(iter(r.of_type("Agreement").values()))
    assert r.objects(protocol, "amends") == {framework}
    assert r.labels(r.objects(protocol, "signedAt")) == {"Oslo"}
    assert r.objects(protocol, "signedOn") == {"2020-05-05"}
    assert r.labels(r.objects(protocol, "signatory")) == {"Rosa Vidal", "Lars Berg"}
    assert not r.objects(framework, "signedAt")


def test_agreement_signed_on_a_date_in_a_reduced_relative(run):
    r = run("The new protocol amends the agreement signed on 12 May 2015 between Uruguay and Paraguay.")
    agreement = next(iter(r.of_type("Agreement").values()))
    assert r.objects(agreement, "signedOn") == {"2015-05-12"}


def test_unnamed_document_is_named_by_its_sides_and_referred_back_to(run):
    r = run("The Kenya Space Agency and the Italian Space Agency signed a memorandum on Monday. "
            "The MoU provides for the training of engineers. The document was signed by Amina Otieno, Director "
            "General of the Kenya Space Agency.")
    memos = r.of_type("Memorandum")
    assert list(memos) == ["Memorandum between Kenya Space Agency and Italian Space Agency"]
    memo = next(iter(memos.values()))
    assert r.objects(memo, "signedOn") == {"2021-03-08"}
    assert r.labels(r.objects(memo, "signatory")) == {"Amina Otieno"}
    assert not r.of_type("Agreement")


def test_acronym_in_brackets_is_the_same_document(run):
    r = run("Oman and Jordan signed a memorandum of understanding (MoU) on satellite data sharing. "
            "The MoU was signed by H.E. Said Al Harthy, Minister of Transport of Oman.")
    memos = r.of_type("Memorandum")
    assert list(memos) == ["Memorandum of understanding on satellite data sharing"]
    assert r.labels(r.objects(next(iter(memos.values())), "signatory")) == {"Said Al Harthy"}


def test_two_coordinated_documents_and_a_name_with_and(run):
    r = run("China and Egypt signed a framework agreement on space cooperation and an implementation agreement "
            "on the ground station in Cairo on Sunday. Mexico and Peru concluded the Basic Exchange and "
            "Cooperation Agreement.")
    labels = set(r.of_type("Agreement"))
    assert {"Framework agreement on space cooperation", "Implementation agreement on ground station",
            "Basic exchange and cooperation agreement"} <= labels
    second = r.key("Implementation agreement on ground station", "Agreement")
    assert r.objects(second, "signedOn") == {"2021-03-07"}
    assert r.labels(r.objects(second, "signedAt")) == {"Cairo"}


def test_place_in_a_relative_clause_is_not_where_it_was_signed(run):
    r = run("Fiji and Japan signed an agreement on a ground station, which the two countries will build in Suva.")
    agreement = next(iter(r.of_type("Agreement").values()))
    assert not r.objects(agreement, "signedAt")


def test_document_concerns_the_project_it_is_signed_for(run):
    r = run("Russia and China signed a memorandum on Tuesday to jointly build the International Lunar Research "
            "Station, which will also host other partners.")
    memo = next(iter(r.of_type("Memorandum").values()))
    assert r.objects(memo, "concerns") == {"project/ilrs"}


def test_document_dated_in_its_name_and_named_past_a_date(run):
    r = run("Spain and Peru signed a protocol amending the implementing arrangement of 4 May 2016 on the "
            "Andes radar mission. The space agencies also signed a memorandum of understanding in March 2020 "
            "on Peru's participation in the lunar gateway programme.", date="2021-03-10")
    arrangement = next(k for label, k in r.of_type("Agreement").items() if label.startswith("Implementing"))
    assert r.objects(arrangement, "signedOn") == {"2016-05-04"}
    protocol = next(iter(r.of_type("Protocol").values()))
    assert r.objects(protocol, "amends") == {arrangement}
    assert any(label.endswith("on Peru's participation in lunar gateway programme")
               for label in r.of_type("Memorandum"))


def test_name_stops_before_a_meeting_a_place_and_a_purpose(run):
    r = run("ESA and JAXA signed an implementing arrangement for the joint EarthCARE mission at the 4th meeting "
            "of the Joint Working Group on Space. The two sides also signed the protocol in Tokyo, and a framework "
            "agreement between the two agencies to cover space medicine.")
    labels = set(r.of_type("Agreement", "Protocol"))
    assert "Implementing arrangement on EarthCARE" in labels
    assert "Framework agreement" in labels or any(label.startswith("Framework agreement between") for label in labels)
    assert not any("Tokyo" in label or "cover" in label for label in labels)


def test_an_agreement_of_another_kind_is_not_the_protocol_named_before(run):
    r = run("Chile and Spain signed the Protocol on radar satellites. The programme began under an agreement "
            "signed on July 6, 1998.")
    protocol = r.key("Protocol on radar satellites", "Protocol")
    assert r.objects(protocol, "signedOn") != {"1998-07-06"}
    assert any(r.objects(k, "signedOn") == {"1998-07-06"} for k in r.of_type("Agreement").values())


def test_document_we_signed_dated_and_named_by_what_it_amends_later(run):
    r = run('"The 2009 framework agreement remains our backbone, and the protocol we signed in Lima on March '
            '10, 2018 opened it to human spaceflight," the minister said. The protocol amended the framework '
            'agreement between the two agencies to cover space medicine. Chile and Peru will prepare a joint '
            'declaration on space cooperation to be adopted during the next visit.', date="2024-02-14")
    protocol = next(iter(r.of_type("Protocol").values()))
    assert r.objects(protocol, "signedOn") == {"2018-03-10"}
    assert r.labels(r.objects(protocol, "signedAt")) == {"Lima"}
    assert r.entities[protocol].label == "Protocol amending 2009 framework agreement"
    declaration = r.key("Declaration on space cooperation", "Agreement")
    assert not r.objects(declaration, "signedOn")


def test_old_agreement_in_a_session_sentence_is_not_signed_at_the_session(run):
    r = run("The protocol was signed in Quito at the third meeting of the Space Subcommittee. Launched under an "
            "agreement signed on July 6, 1998, the programme is a model of cooperation.", date="2024-06-19")
    old = r.key("Agreement of July 6, 1998", "Agreement")
    assert r.objects(old, "signedOn") == {"1998-07-06"}
    assert not r.objects(old, "signedAt")


def test_the_arrangement_is_the_implementing_arrangement_not_the_framework(run):
    r = run("Japan and Canada signed an implementing arrangement in Ottawa on Tuesday. It was concluded under "
            "the Framework Agreement on Space Cooperation. Under the arrangement, Japan will provide the "
            "Maple Rover mission to the Artemis program.")
    framework = r.key("Framework agreement on space cooperation", "Agreement")
    assert not r.objects(framework, "concerns")


def test_headline_document_is_the_one_the_body_names(run):
    r = run("Chile, Peru sign protocol to extend satellite cooperation\n\n"
            "LIMA, June 19 - Chile and Peru on Wednesday signed a protocol amending their 2015 cooperation "
            "agreement on the Andes Satellite program.\n\nThe protocol was signed in Lima.", date="2024-06-19")
    protocols = r.of_type("Protocol")
    assert len(protocols) == 1
    protocol = next(iter(protocols.values()))
    assert "protocol to extend satellite cooperation" in {a.lower() for a in r.entities[protocol].aliases}
    assert r.labels(r.objects(protocol, "signedAt")) == {"Lima"}


def test_name_with_an_enumeration_is_dated_after_it(run):
    r = run("The cooperation rests on the Agreement between Spain and Chile on cooperation in the field of "
            "industrial, scientific and technological research, signed in Madrid on 13 June 2000.")
    agreement = next(iter(r.of_type("Agreement").values()))
    assert r.entities[agreement].label.endswith("industrial, scientific and technological research")
    assert r.objects(agreement, "signedOn") == {"2000-06-13"}
    assert r.labels(r.objects(agreement, "signedAt")) == {"Madrid"}


def test_an_old_signing_in_a_meeting_paragraph_is_not_at_the_meeting(run):
    r = run("Nigeria and China on Wednesday agreed to deepen space cooperation during talks between Vice "
            "President Ade Bello and Chinese Ambassador Wu Lan at the Presidential Villa in Abuja. In 2020, the "
            "two countries signed an intergovernmental agreement on the peaceful uses of outer space.",
            date="2022-11-03")
    agreement = next(iter(r.of_type("Agreement").values()))
    assert not r.objects(agreement, "signatory")
    assert not r.objects(agreement, "signedOn") and not r.objects(agreement, "signedAt")


def test_addendum_to_an_agreement_amends_it_and_is_what_was_signed(run):
    r = run("CONAE and the Italian Space Agency signed yesterday an addendum to their 2005 framework agreement on "
            "the SIASGE satellite system. The document was signed in Rome by ASI President Giorgio Russo.",
            date="2021-09-15")
    addendum = r.key("Addendum to 2005 framework agreement on SIASGE satellite system", "Agreement")
    framework = r.key("2005 framework agreement on SIASGE satellite system", "Agreement")
    assert r.objects(addendum, "amends") == {framework}
    assert r.labels(r.objects(addendum, "signedAt")) == {"Rome"}
    assert not r.objects(framework, "signedAt") and not r.objects(framework, "signatory")


def test_a_loose_headline_word_is_the_one_new_document_of_the_body(run):
    r = run("Chile and Norway sign space cooperation agreement\n\nThe Chilean Space Agency and the Norwegian Space "
            "Agency have signed a memorandum of understanding on polar data. It builds on the 2015 Framework "
            "Agreement between Chile and Norway on outer space.", date="2023-06-21")
    assert not r.of_type("Agreement").keys() - {"2015 framework agreement between Chile and Norway on outer space"}
    memo = next(iter(r.of_type("Memorandum").values()))
    assert "space cooperation agreement" in r.entities[memo].aliases


def test_numeric_and_ordinal_signing_dates(run):
    r = run("Azerbaijan and Kazakhstan signed a memorandum of understanding on satellite communications "
            "on 12.10.2022 in Baku. Estonia and Chile signed the Agreement on space research on the 5th of "
            "May 2021.", date="2022-10-14")
    memo = next(iter(r.of_type("Memorandum").values()))
    assert r.objects(memo, "signedOn") == {"2022-10-12"}
    agreement = r.key(next(label for label in r.of_type("Agreement") if "research" in label.lower()))
    assert r.objects(agreement, "signedOn") == {"2021-05-05"}


def test_reduced_relative_signing_belongs_to_the_amended_agreement(run):
    r = run("LIMA – Peru and Chile yesterday signed a protocol amending the Agreement between the Republic of Peru "
            "and the Republic of Chile concerning cooperation at the Punta Lobos range, signed in Santiago on "
            "3 March 2008.", date="2023-02-15")
    protocol = r.key(next(label for label in r.of_type("Protocol")), "Protocol")
    amended = next(iter(r.objects(protocol, "amends")))
    assert r.objects(amended, "signedOn") == {"2008-03-03"}
    assert r.labels(r.objects(amended, "signedAt")) == {"Santiago"}
    assert r.objects(protocol, "signedOn") == {"2023-02-14"}
    assert not r.objects(protocol, "signedAt")


def test_capitalised_enumeration_inside_an_agreement_name(run):
    r = run("The agreement is concluded under the Treaty of Friendship, Cooperation and Consultation between "
            "Peru and Chile, signed in Lima on 22 April 2000. The Agreement on Space Cooperation, Brazil and "
            "Chile noted, works.")
    treaty = next(iter(r.of_type("Treaty").values()))
    assert r.entities[treaty].label.lower().startswith("treaty on friendship, cooperation and consultation")
    assert r.objects(treaty, "signedOn") == {"2000-04-22"}


def test_headline_document_of_another_wording_is_the_body_one_with_its_back_references(run):
    r = run("Peru, Chile sign lunar station MoU\n\nLima – Peru and Chile on Tuesday signed a memorandum of "
            "understanding (MoU) on cooperation in the Andean Lunar Station.\n\nThe MoU was signed at the Torre "
            "Tagle Palace in Lima by the Minister of Foreign Affairs of Peru Ana Ruiz and the Minister of Science "
            "of Chile Jorge Paz.")
    memos = r.of_type("Memorandum")
    assert len(memos) == 1
    memo = next(iter(memos.values()))
    assert r.labels(r.objects(memo, "signatory")) == {"Ana Ruiz", "Jorge Paz"}


def test_place_and_date_between_the_signing_verb_and_its_object(run):
    r = run("Chile and Argentina signed in Santiago, on 3 June 2025, a Memorandum of Understanding on "
            "Satellite Navigation.", date="2025-06-05")
    memo = next(iter(r.of_type("Memorandum").values()))
    assert r.objects(memo, "signedOn") == {"2025-06-03"}
    assert r.labels(r.objects(memo, "signedAt")) == {"Santiago"}
    assert r.objects(memo, "party") == {"state/CL", "state/AR"}


def test_a_signing_at_the_same_ceremony_takes_the_day_and_place_of_the_one_before(run):
    r = run("Chile and Argentina signed a framework agreement on space cooperation at La Moneda Palace in "
            "Santiago on Tuesday. The agreement builds on the Treaty of Maipu, signed in Buenos Aires on "
            "12 March 1990.\n\nAt the same ceremony, the heads of the two space agencies signed a "
            "memorandum on satellite data.", date="2025-06-05")
    framework = next(k for label, k in r.of_type("Agreement").items() if "ramework" in label)
    assert len(r.of_type("Memorandum")) == 1
    for memo in r.of_type("Memorandum").values():
        assert r.objects(memo, "signedOn") == r.objects(framework, "signedOn") == {"2025-06-03"}
        assert r.objects(memo, "signedAt") == r.objects(framework, "signedAt") != set()


def test_where_a_thing_is_to_be_hosted_is_not_where_it_was_signed(run):
    r = run("OSLO – On Monday Norway and Finland signed a protocol establishing a joint laboratory on space "
            "weather, to be hosted at the observatory in Tromsø. The visit was hosted by the Norwegian "
            "government, and the lab is to be hosted in Tromsø.", date="2025-09-10")
    protocol = next(iter(r.of_type("Protocol").values()))
    assert "Tromsø" not in r.labels(r.objects(protocol, "signedAt"))


def test_the_letter_refers_back_to_a_letter_of_intent(run):
    r = run("DAKAR – Senegal and Morocco on Friday signed a letter of intent on remote sensing.\n\n"
            "The letter was signed by Senegalese Minister of Digital Economy Awa Ndiaye and Moroccan Minister "
            "of Industry Karim Alaoui.", date="2025-02-10")
    [letter] = r.of_type("Memorandum").values()
    assert r.labels(r.objects(letter, "signatory")) == {"Awa Ndiaye", "Karim Alaoui"}


def test_an_official_who_signed_for_one_side_signed_the_document_before(run):
    r = run("Later, the agencies of Ghana and Kenya signed a contract on satellite imagery. Kenya Space Agency "
            "Director General Paul Otieno signed for the Kenyan side.", date="2025-02-10")
    [contract] = r.of_type("Contract").values()
    assert r.labels(r.objects(contract, "signatory")) == {"Paul Otieno"}


def test_a_document_establishing_a_joint_project_concerns_it(run):
    r = run("Kenya and Italy on Monday signed a protocol establishing the Kenya–Italy Joint Laboratory on "
            "Space Debris. The two states also recalled the agreement launching the Malindi Joint Research "
            "Centre.", date="2025-02-12")
    [protocol] = r.of_type("Protocol").values()
    lab = next(k for k, e in r.entities.items() if e.type == "Project" and "Laboratory" in e.label)
    assert lab in r.objects(protocol, "concerns")


def test_the_amended_agreement_is_the_one_named_before(run):
    r = run("Chile and Peru yesterday signed a protocol amending the Agreement between Chile and Peru on the "
            "Andes ground station, signed in Lima on 4 May 2010. Officials said the revised agreement would "
            "let both agencies share the station.", date="2025-02-12")
    labels = {e.label.lower() for e in r.entities.values() if e.type in ("Agreement", "Protocol")}
    assert len(labels) == 2 and not any(label.startswith(("revised", "amended")) for label in labels)


def test_the_memorandum_is_the_memorandum_of_understanding_the_body_names(run):
    r = run("Ghana and Kenya space agencies sign memorandum in Accra\n\n"
            "ACCRA – The Ghana Space Agency and the Kenya Space Agency signed a memorandum of understanding on "
            "Tuesday in Accra.\n\nThe memorandum was signed by Ghanaian Minister of Communications Kofi Owusu "
            "and Kenyan Cabinet Secretary for Defence Amina Wanjiru.", date="2025-04-16")
    [memo] = r.of_type("Memorandum").values()
    assert r.objects(memo, "signedOn") == {"2025-04-15"}
    assert r.labels(r.objects(memo, "signatory")) == {"Kofi Owusu", "Amina Wanjiru"}


def test_a_document_the_new_one_supersedes_is_another_one(run):
    r = run("LIMA – Peru and Chile on Monday signed a memorandum of understanding on Earth observation. "
            "The memorandum replaces the letter of intent of 2019.", date="2025-02-12")
    assert len(r.of_type("Memorandum")) == 2


def test_a_document_the_two_sides_signed_earlier(run):
    r = run("LIMA – Peru and Chile on Monday signed a memorandum of understanding on Earth observation. "
            "It builds on the framework agreement the two countries signed in Santiago on 2 March 2015.",
            date="2025-02-12")
    [framework] = r.of_type("Agreement").values()
    assert r.objects(framework, "signedOn") == {"2015-03-02"}
    assert r.labels(r.objects(framework, "signedAt")) == {"Santiago"}


def test_an_amend_word_far_from_a_document_is_not_its_amendment(run):
    r = run("Peru and Chile on Monday signed a memorandum of understanding on Earth observation. The memorandum "
            "is to be followed next year by further talks between the two governments amending the 2015 "
            "framework agreement.", date="2025-02-12")
    [memo] = r.of_type("Memorandum").values()
    assert r.objects(memo, "amends") == set()


def test_the_venue_in_a_city_is_where_a_document_was_signed(run):
    r = run("The minister signed the roadmap with Kenyan Cabinet Secretary Amina Wanjiru at the Kenyatta "
            "State House in Nairobi on Monday, Ghana and Kenya said.", date="2025-10-08")
    [roadmap] = r.of_type("Roadmap").values()
    assert r.labels(r.objects(roadmap, "signedAt")) == {"Kenyatta State House"}


def test_it_at_the_head_of_the_next_sentence_is_the_document_for_its_term(run):
    r = run("Peru and Chile on Monday signed a framework agreement on Earth observation.\n\n"
            "The agreement was signed in Lima by the two foreign ministers. It covers data sharing and "
            "remains in force until 2040.", date="2025-02-12")
    [framework] = r.of_type("Agreement").values()
    assert r.objects(framework, "validUntil") == {"2040"}


def test_the_town_of_a_site_named_in_a_document_is_not_where_it_was_signed(run):
    r = run("The Peruvian Space Agency and the Chilean Air Force on Monday signed a contract for the training "
            "of pilots at the Andes Flight Academy in Arica.", date="2025-03-12")
    [contract] = r.of_type("Contract").values()
    assert "Arica" not in r.labels(r.objects(contract, "signedAt"))


def test_the_year_agreement_is_the_one_named_before_with_that_year(run):
    r = run("The letter builds on the Agreement on Technical Cooperation signed by the two governments in Accra "
            "on 3 June 2021. Officials want to amend the 2021 agreement next year.", date="2025-03-12")
    agreements = [e.label for e in r.entities.values() if e.type == "Agreement"]
    assert agreements == ["Agreement on technical cooperation"]


def test_an_exchange_of_notes_amending_an_agreement(run):
    r = run("Ghana and Kenya signed the Agreement on Technical Cooperation in Accra on 3 June 2021. An exchange "
            "of notes between the two governments amending the 2021 agreement is expected next year.",
            date="2025-03-12")
    notes = next(k for k, e in r.entities.items() if e.label.lower().startswith("exchange of notes"))
    assert r.labels(r.objects(notes, "amends")) == {"Agreement on technical cooperation"}


def _dated(r, kind: str) -> dict[str, set[str]]:
    """{label: signedOn dates} of the documents of one type."""
    return {e.label: r.objects(k, "signedOn") for k, e in r.entities.items() if e.type == kind}


def test_which_was_signed_dates_the_document_just_before_it(run):
    r = run("Peru and Chile on Monday signed a protocol amending the Agreement on Space Research between the two "
            "countries, which was signed in Cusco on May 4, 2009.", date="2025-02-12")
    assert _dated(r, "Agreement") == {"Agreement on space research": {"2009-05-04"}}
    assert "2009-05-04" not in set().union(*_dated(r, "Protocol").values())


def test_the_document_that_the_two_agencies_signed(run):
    r = run("The arrangement was concluded under the memorandum of understanding on lunar science that the "
            "two agencies signed in Cusco on 11 October 2016.", date="2025-02-12")
    assert _dated(r, "Memorandum") == {"Memorandum of understanding on lunar science": {"2016-10-11"}}


def test_a_replaced_memorandum_is_not_the_new_one_of_the_headline(run):
    r = run("Peru, Chile sign space memorandum\n\nThe Peruvian Space Agency and the Chilean Space Agency on "
            "Tuesday signed a memorandum of cooperation on ocean monitoring. The document was signed in Lima. "
            "It replaces the memorandum of understanding the two institutions signed on 2 May 2018 in Cusco.",
            date="2025-02-12")
    dates = _dated(r, "Memorandum")
    assert len(dates) == 2 and {"2018-05-02"} in dates.values()
    assert dates["Memorandum on cooperation on ocean monitoring"] == {"2025-02-11"}


def test_the_date_in_an_amended_agreement_name_is_not_the_protocol_date(run):
    r = run("The protocol amending the Agreement between the Republic of Peru and the Republic of Chile on "
            "Cooperation in Ocean Research of March 3, 2010 was signed by Peru's Foreign Minister Ana Lima.",
            date="2025-02-12")
    assert "2010-03-03" not in set().union(*_dated(r, "Protocol").values())



def test_a_separate_signing_is_not_at_the_meeting(run):
    r = run("Peru and Chile held the first session of the Peru-Chile Space Committee in Lima on Tuesday. "
            "Separately, the Peruvian company Andes Orbital yesterday signed a contract with the Chilean firm "
            "Austral Launch.", date="2025-02-12")
    [contract] = r.of_type("Contract").values()
    assert not r.objects(contract, "signedAt")


def test_a_bare_deal_is_the_latest_document_named(run):
    r = run("In 2021, Peru signed the Artemis Accords. On Tuesday, the Peruvian company Andes Orbital signed a "
            "contract with the Chilean firm Austral Launch. The deal was signed in Cusco.", date="2025-02-12")
    assert not r.objects(r.key("Artemis Accords"), "signedAt")
    assert r.labels(r.objects(next(iter(r.of_type("Contract").values())), "signedAt")) == {"Cusco"}


def test_it_heading_the_next_sentence_names_what_the_document_covers(run):
    r = run("Peru and Chile on Monday signed an implementing arrangement on launch cooperation. The arrangement "
            "will apply until 2032. It covers range safety for launches from the Kestrel Spaceport in Upper Tarn, "
            "which the Andes Orbital company also uses for the Condor Mission.", date="2025-02-12")
    [arrangement] = [k for k, e in r.entities.items() if e.label.lower().startswith("implementing arrangement")]
    assert r.labels(r.objects(arrangement, "concerns")) == {"Kestrel Spaceport"}


def test_the_draft_document_and_the_headline_one_are_the_body_document(run):
    r = run("Andes Orbital and Austral Launch sign memorandum in Lima\n\nLima, February 12\n\nFollowing the session, "
            "a memorandum of understanding on ocean monitoring was signed between Andes Orbital and Austral Launch. "
            "The draft memorandum had been agreed at a video conference on 2 February.", date="2025-02-12")
    assert list(r.of_type("Memorandum")) == ["Memorandum of understanding on ocean monitoring"]


def test_a_title_case_headline_names_no_document(run):
    r = run("NASA, Peruvian Space Agency Sign Framework Agreement on Ocean Science\n\nNASA Administrator John Park "
            "and Ana Lima, head of the Peruvian Space Agency, signed a framework agreement on Tuesday at NASA "
            "Headquarters. The framework agreement builds on the Artemis Accords, which Peru joined in 2022.",
            date="2025-02-12")
    agreements = {e.label: k for k, e in r.entities.items() if e.type == "Agreement"}
    assert len(agreements) == 2 and not r.objects(r.key("Artemis Accords"), "signatory")
    [framework] = [k for label, k in agreements.items() if label.startswith("Framework agreement between")]
    assert r.labels(r.objects(framework, "signatory")) == {"John Park", "Ana Lima"}


def test_a_headline_agreement_is_not_merged_with_accords_of_another_head_word(run):
    r = run("NASA and Peru sign framework agreement on ocean science\n\nNASA Administrator John Park and Ana Lima, "
            "head of the Peruvian Space Agency, signed the framework agreement on Tuesday. It builds on the Artemis "
            "Accords, which Peru joined in 2022.", date="2025-02-12")
    assert not r.objects(r.key("Artemis Accords"), "signatory")


def test_in_and_a_year_after_a_document_is_when_not_its_name(run):
    r = run("The memorandum builds on Peru's signing of the Artemis Accords in 2022.", date="2025-02-12")
    assert "Artemis Accords in 2022" not in {a for e in r.entities.values() for a in e.aliases | {e.label}}


def test_a_term_after_a_document_is_not_its_name(run):
    r = run("Peru and Chile signed a protocol amending the Agreement on Space Research of 2008. The protocol "
            "extends the agreement for a period of five years and adds provisions on data protection.",
            date="2025-02-12")
    labels = {e.label for e in r.entities.values() if e.type in ("Agreement", "Protocol")}
    assert not any("period" in label.lower() for label in labels) and len(labels) == 2
