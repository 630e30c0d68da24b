"""Meetings: sessions of bodies, talks and visits, planned events, chairs, participants."""


def test_numbered_session_of_an_intergovernmental_commission(run):
    r = run("On May 20, Cairo hosted the fourth meeting of the Egyptian-Chinese intergovernmental commission "
            "on space cooperation. The meeting was co-chaired by Minister of Higher Education of Egypt "
            "Khaled Ashour and Vice Minister of China Li Wei.", date="2021-05-22")
    meetings = [k for k, e in r.entities.items() if e.type == "Meeting"]
    assert len(meetings) == 1
    m = meetings[0]
    assert r.objects(m, "heldOn") == {"2021-05-20"}
    assert r.labels(r.objects(m, "heldAt")) == {"Cairo"}
    body = next(iter(r.objects(m, "sessionOf")))
    assert r.entities[body].type == "IntergovernmentalBody"
    assert m.endswith("-session-4")


def test_talks_with_participants_place_and_weekday(run):
    r = run("Brazilian Minister of Science Ana Lima held talks with Minister of Economy of Argentina "
            "Jorge Paz in Buenos Aires on Monday.", date="2021-03-10")
    meeting = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(meeting, "participant")) == {"Ana Lima", "Jorge Paz"}
    assert r.labels(r.objects(meeting, "heldAt")) == {"Buenos Aires"}
    assert r.objects(meeting, "heldOn") == {"2021-03-08"}


def test_planned_meetings_are_not_meetings(run):
    r = run("The next session of the commission is scheduled for June in Rome. "
            "The sides agreed to hold a summit in Lima next year.")
    assert not any(e.type == "Meeting" for e in r.entities.values())


def test_venue_of_talks_and_dateline_date_is_not_the_day(run):
    r = run("PARIS, March 10 - The President of Ghana Kofi Mensah held talks with the Prime Minister of Portugal "
            "Rui Costa at the Belem Palace in Lisbon on Monday.", date="2021-03-10")
    meeting = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(meeting, "heldAt")) == {"Belem Palace"}
    assert r.objects(meeting, "heldOn") == {"2021-03-08"}
    assert r.objects(r.key("Belem Palace", "Place"), "locatedIn") == {"place/lisbon"}


def test_a_meeting_during_a_visit_referred_to(run):
    r = run("The protocol was signed in Baku within the framework of the International Astronautical Congress. "
            "During the visit, President of the Turkish Space Agency Serdar Yildiz also met with Azerbaijani "
            "Minister of Transport Rashad Nabi.", date="2023-10-04")
    meetings = {e.label for e in r.entities.values() if e.type == "Meeting"}
    assert "International Astronautical Congress" in meetings
    met = next(k for k, e in r.entities.items() if e.type == "Meeting" and "Yildiz" in e.label)
    assert r.labels(r.objects(met, "participant")) == {"Serdar Yildiz", "Rashad Nabi"}


def test_receiving_an_official_is_a_meeting_but_receiving_funding_is_not(run):
    r = run("Peruvian President Ana Rojas received Chilean Foreign Minister Pablo Ruiz at the Government Palace "
            "on Tuesday. Later the Peruvian space programme received funding.")
    meetings = r.of_type("Meeting")
    assert len(meetings) == 1
    meeting = next(iter(meetings.values()))
    assert r.labels(r.objects(meeting, "participant")) == {"Ana Rojas", "Pablo Ruiz"}
    assert r.objects(meeting, "heldOn") == {"2021-03-09"}


def test_session_of_a_joint_body_of_two_states_led_by_an_official(run):
    r = run("The 4th meeting of the Joint Subcommittee on Space Cooperation between Vietnam and Korea took "
            "place in Hanoi on 2 February 2023. The Korean delegation was led by KARI Scientific Secretary "
            "Park Min-jun.")
    body = r.key("Joint Subcommittee on Space Cooperation", "IntergovernmentalBody")
    meeting = next(iter(r.of_type("Meeting").values()))
    assert r.objects(meeting, "sessionOf") == {body}
    assert r.labels(r.objects(meeting, "participant")) == {"Park Min-jun"}
    park = r.key("Park Min-jun", "Official")
    assert r.titles(park) == {"Scientific Secretary"}
    assert r.objects(park, "represents") == {"state/KR"}


def test_a_session_is_labelled_by_its_body_and_number_and_a_meeting_by_its_two_sides(run):
    # two articles wording the same session differently give it one label (rdfs:label is one per resource);
    # the wording is kept as an alias
    r = run("The protocol was signed in Lima at the seventh meeting of the Space Subcommittee of the Andean Regional "
            "Coordination Committee, which the two co-chaired. Chilean Minister Ana Soto met Peruvian Minister "
            "Luis Vega, Peruvian Ambassador Rosa Diaz and Chilean Senator Juan Mora in Santiago on Monday.")
    labels = set(r.of_type("Meeting"))
    assert "7th session of the Space Subcommittee of the Andean Regional Coordination Committee" in labels
    session = r.of_type("Meeting")["7th session of the Space Subcommittee of the Andean Regional Coordination Committee"]
    assert "Seventh meeting of the Space Subcommittee of the Andean Regional Coordination Committee" in \
        r.entities[session].aliases
    assert any(label.startswith("Meeting of Ana Soto and Luis Vega in Santiago") for label in labels)


def test_the_two_who_signed_during_talks_and_a_family_name_alone(run):
    r = run("NASA Administrator Ann Cole and Korean Minister Park Ji-hoon signed the arrangement in Washington on "
            "Tuesday.\n\nThe two signed the document during talks at NASA Headquarters, which were also attended "
            "by Ambassador Lee Min-ho.\n\nOn Wednesday, Park visited the Goddard Space Flight Center.",
            date="2021-03-10")
    talks = next(k for label, k in r.of_type("Meeting").items() if label.startswith("Talks"))
    assert r.labels(r.objects(talks, "participant")) >= {"Ann Cole", "Park Ji-hoon", "Lee Min-ho"}
    assert r.objects(talks, "heldOn") == {"2021-03-09"}
    assert r.labels(r.objects(talks, "heldAt")) == {"NASA Headquarters"}
    visit = next(k for label, k in r.of_type("Meeting").items() if label.startswith("Visit"))
    assert r.labels(r.objects(visit, "participant")) == {"Park Ji-hoon"}


def test_visit_is_held_at_what_was_visited(run):
    r = run("On Tuesday, Minister Ana Soto visited NASA's Marshall Space Flight Center in Huntsville, Alabama.",
            date="2021-03-10")
    visit = next(iter(r.of_type("Meeting").values()))
    assert r.labels(r.objects(visit, "heldAt")) == {"Marshall Space Flight Center"}


def test_session_dated_by_the_signing_at_it_and_the_same_day(run):
    r = run("Chile and Peru on Wednesday signed a protocol on radar satellites.\n\nThe protocol was signed in "
            "Lima at the third meeting of the Joint Space Commission.\n\nOn the same day, the second meeting of "
            "the Andean Working Group on Space took place in Lima.", date="2021-03-10")
    session = next(k for label, k in r.of_type("Meeting").items() if label.startswith("3rd session"))
    assert r.objects(session, "heldOn") == {"2021-03-10"}


def test_a_speaker_reporting_a_signing_did_not_sign(run):
    r = run("Sedky said the Egyptian Space Agency and CNSA signed a memorandum of understanding in December "
            "2022 on lunar research.", date="2023-07-12")
    memo = next(iter(r.of_type("Memorandum").values()))
    assert not r.objects(memo, "signatory")


def test_discussed_by_phone_is_a_call(run):
    r = run("Earlier, Russian President Ivan Petrov and Belarusian President Oleg Kozlov discussed space "
            "cooperation by phone.", date="2023-04-12")
    call = next(iter(r.of_type("Meeting").values()))
    assert r.labels(r.objects(call, "participant")) == {"Ivan Petrov", "Oleg Kozlov"}


def test_people_present_in_the_next_paragraph_took_part(run):
    r = run("Minister Ravi Singh on Thursday met a Japanese delegation led by JAXA Vice President Kenji Sato.\n\n"
            "Japan's Ambassador to India Taro Suzuki and ISRO Chairman Anil Rao were present.", date="2023-12-07")
    meeting = next(iter(r.of_type("Meeting").values()))
    assert r.labels(r.objects(meeting, "participant")) >= {"Taro Suzuki", "Anil Rao", "Kenji Sato"}


def test_talks_concern_what_the_document_signed_at_them_concerns(run):
    r = run("Nigeria's Minister of Innovation Uche Nnaji and CNSA Administrator Zhang Kejian held talks in Abuja "
            "on Tuesday, after which the two signed a protocol on space cooperation.\n\n"
            "Nigeria's president praised the result. He said the economy would gain.\n\n"
            "The protocol covers the Sahel Lunar Array programme, which Nigeria and China will build together.")
    talks = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(talks, "concerns")) == {"Sahel Lunar Array"}



def test_a_visit_or_congress_around_a_signing_takes_no_date_from_it(run):
    r = run("Ghana and Kenya on Tuesday signed a memorandum on Earth observation in Nairobi, during the "
            "state visit of President John Mahama to Kenya.\n\n"
            "Mexico and Chile signed a letter of intent on Monday in Paris, on the sidelines of the 76th "
            "International Astronautical Congress (IAC 2025), which runs until Friday.", date="2025-10-08")
    visit = r.key("State visit of President John Mahama to Kenya", "Meeting")
    assert r.objects(visit, "heldOn") == set()
    congress = next(k for k, e in r.entities.items() if e.type == "Meeting" and "Congress" in e.label)
    assert r.objects(congress, "heldOn") == set()
    assert "2025-10-07" in {o for k in r.of_type("Memorandum").values() for o in r.objects(k, "signedOn")}


def test_talks_during_which_a_document_is_signed_keep_the_day(run):
    r = run("The two ministers signed the roadmap during talks in Lima on Monday.", date="2025-10-08")
    talks = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.objects(talks, "heldOn") == {"2025-10-06"}


def test_chinese_and_korean_family_names_alone_name_the_chairs(run):
    r = run("BEIJING – CNSA Vice Administrator Qian Hongwei and KASA Administrator Ryu Jae-won met in Beijing "
            "on Monday. Earlier, Qian and Ryu co-chaired the third meeting of the joint working group.",
            date="2025-06-11")
    chairs = {o for k in r.of_type("Meeting").values() for o in r.objects(k, "chair")}
    assert r.labels(chairs) == {"Qian Hongwei", "Ryu Jae-won"}


def test_a_meeting_is_about_projects_and_sites_not_the_towns_named_with_them(run):
    r = run("HELSINKI – Finland and Estonia held talks in Helsinki on Monday on the joint use of the "
            "Sodankyla Launch Complex in Lapland and of the Arctic Ground Station on Hailuoto island.",
            date="2025-03-12")
    talks = next(k for k, e in r.entities.items() if e.type == "Meeting")
    topics = r.labels(r.objects(talks, "concerns"))
    assert "Lapland" not in topics and "Hailuoto" not in topics and "Helsinki" not in topics
    assert "Arctic Ground Station" in topics


def test_a_new_paragraph_saying_it_was_chaired_by_belongs_to_the_meeting_before(run):
    r = run("ACCRA – The second session of the Ghana-Kenya Joint Space Committee took place in Accra on Monday.\n\n"
            "It was co-chaired by Ghanaian Minister of Communications Kofi Owusu and Kenyan Cabinet Secretary "
            "for Defence Amina Wanjiru.\n\n"
            "The Joint Space Committee is co-chaired by the two ministers of foreign affairs.", date="2025-04-16")
    session = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(session, "chair")) == {"Kofi Owusu", "Amina Wanjiru"}


def test_the_venue_of_a_signing_during_a_visit_is_not_the_visits(run):
    r = run("The minister signed the roadmap with Administrator Bill Nelson at NASA Headquarters in Washington "
            "on Oct. 10, during a visit to the United States by Chile's Minister of Science Aisen Etcheverry.",
            date="2025-10-15")
    visit = next(k for k, e in r.entities.items() if e.type == "Meeting")
    hq = r.key("NASA Headquarters", "Place")
    assert hq not in r.objects(visit, "heldAt") | r.objects(visit, "concerns")


def test_talks_held_during_the_visit_are_part_of_it(run):
    r = run("A delegation of the Peruvian Space Agency paid a working visit to Chile on Monday. During the visit, "
            "the delegation also held talks with officials of the Chilean Air Force.", date="2025-03-12")
    assert len(r.of_type("Meeting")) == 1


def test_a_session_of_the_working_group_named_before(run):
    r = run("Peru and Chile agreed on a plan at the Peru-Chile Joint Working Group on Space in Lima. The second "
            "meeting of the working group was held via video conference on 5 June 2025.", date="2025-07-01")
    session = next(k for k, e in r.entities.items() if e.type == "Meeting")
    assert r.labels(r.objects(session, "sessionOf")) == {"Peru-Chile Joint Working Group on Space"}
    assert r.entities[session].label


def test_a_back_reference_to_talks_merged_into_a_visit_refers_to_the_visit(run):
    # the talks are one meeting with the visit of their sentence; "the visit" later must still resolve
    r = run("The memorandum was signed in Nairobi during a visit to Kenya by Ghana's Minister of Defence Kofi "
            "Mensah, who held talks with Kenyan officials on satellite data. The visit ended on Friday with a "
            "tour of the ground station.", date="2025-05-20")
    assert len(r.of_type("Meeting")) == 1


def test_a_body_that_met_is_its_session_not_another_meeting(run):
    r = run("The texts were negotiated at the third session of the Joint Peru-Chile Committee on Space, "
            "which met in Cusco on Monday. The committee, which met under the new rules, is co-chaired by "
            "Peruvian Foreign Minister Ana Lima and Chilean Foreign Minister Pedro Soto.", date="2025-02-12")
    [session] = r.of_type("Meeting").values()
    assert r.labels(r.objects(session, "heldAt")) == {"Cusco"}
    assert r.labels(r.objects(session, "chair")) == {"Ana Lima", "Pedro Soto"}


def test_the_headline_meeting_is_the_one_session_of_the_body(run):
    for headline in ("Peru, Chile sign ocean memorandum at commission meeting",
                     "Peruvian delegation in Lima for working group talks; ocean satellite to fly in 2026"):
        r = run(f"{headline}\n\nLIMA, Feb 12. Peru and Chile on Tuesday held the 4th meeting of the Peru-Chile "
                "Intergovernmental Commission on Trade in Lima.", date="2025-02-12")
        assert len(r.of_type("Meeting")) == 1, headline


def test_met_with_no_one_named_is_no_meeting(run):
    assert not run("During his stay in Lima, Chilean Foreign Minister Pedro Soto also met with the Chilean "
                   "community in Peru.").of_type("Meeting")
    for text in ("Peruvian Foreign Minister Ana Lima met with Chilean Foreign Minister Pedro Soto in Lima.",
                 "Peruvian Foreign Minister Ana Lima and Chilean Foreign Minister Pedro Soto met in Lima.",
                 "Peruvian Foreign Minister Ana Lima has met in Lima with Pedro Soto, Chile's Foreign Minister."):
        assert len(run(text).of_type("Meeting")) == 1, text


def test_dialogues_air_shows_calls_and_video_conferences(run):
    cases = {
        "Peru and Chile on Tuesday held the first Peru–Chile Space Policy Dialogue in Lima.": 1,
        "Yesterday, at the FIDAE Air Show, the two ministers signed a joint statement.": 1,
        "Foreign Minister Ana Lima called on Chilean President Pedro Soto at La Moneda on Tuesday.": 1,
        "The draft was agreed at a video conference held by Ana Lima and Pedro Soto on 2 September.": 1,
        "The signing ceremony was held via a video conference on Tuesday.": 1,
        "Mr Lima is also scheduled to meet the Chilean Foreign Minister on Thursday to prepare the next round "
        "of the Peru-Chile Strategic Dialogue.": 0,
    }
    for text, count in cases.items():
        assert len(run(text, date="2025-02-12").of_type("Meeting")) == count, text


def test_received_by_someone_named_further_on(run):
    r = run("On Thursday, Chile's Foreign Minister Pedro Soto was also received in Lima by Peru's Minister of "
            "Industry and Technology Ana Lima.", date="2025-02-12")
    [meeting] = r.of_type("Meeting").values()
    assert r.labels(r.objects(meeting, "participant")) == {"Pedro Soto", "Ana Lima"}
    assert r.labels(r.objects(meeting, "heldAt")) == {"Lima"} and r.objects(meeting, "heldOn") == {"2025-02-06"}


def test_a_visit_phrase_ends_before_the_verb_of_its_clause(run):
    r = run("Peru's foreign minister Ana Lima's visit to NASA Headquarters also included talks with NASA Deputy "
            "Administrator John Park on the Condor Mission.", date="2025-02-12")
    visits = [label for label in r.of_type("Meeting") if label.startswith("Visit")]
    assert visits == ["Visit to NASA Headquarters"]
