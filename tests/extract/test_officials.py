"""Officials: title phrases before and after names, plural titles, short names, represented states."""


def test_title_of_state_before_name(run):
    r = run("First Deputy Prime Minister of Brazil Maria Souza met the Foreign Minister of Chile Pedro Lagos.")
    souza = r.key("Maria Souza", "Official")
    assert r.titles(souza) == {"First Deputy Prime Minister"}
    assert r.objects(souza, "represents") == {"state/BR"}
    lagos = r.key("Pedro Lagos", "Official")
    assert r.objects(lagos, "represents") == {"state/CL"}


def test_apposition_and_organization_of_the_post(run):
    r = run("Hiroshi Yamada, President of the Japan Aerospace Exploration Agency, and Kavita Rao, "
            "Chairman of ISRO, signed the memorandum on lunar exploration.")
    yamada = r.key("Hiroshi Yamada", "Official")
    assert r.titles(yamada) == {"President"}
    assert r.objects(yamada, "represents") == {"state/JP"}
    post = next(iter(r.objects(yamada, "holds")))
    assert r.objects(post, "inOrganization") == {"organization/jaxa"}
    assert r.objects(r.key("Kavita Rao", "Official"), "represents") == {"state/IN"}


def test_plural_title_with_two_states(run):
    r = run("Deputy Prime Ministers of Egypt Ahmed Nour and of Jordan Omar Haddad co-chaired the session.")
    nour, haddad = r.key("Ahmed Nour", "Official"), r.key("Omar Haddad", "Official")
    assert r.titles(nour) == {"Deputy Prime Minister"} == r.titles(haddad)
    assert r.objects(nour, "represents") == {"state/EG"}
    assert r.objects(haddad, "represents") == {"state/JO"}


def test_minister_keeps_portfolio_and_state_adjective(run):
    r = run("Turkish Minister of Industry and Technology Mehmet Demir said the talks were useful. "
            "Later Demir visited the plant.")
    demir = r.key("Mehmet Demir", "Official")
    assert r.titles(demir) == {"Minister of Industry and Technology"}
    assert r.objects(demir, "represents") == {"state/TR"}


def test_former_title_gives_no_post(run):
    r = run("Ex-PM of Canada John Miller and NASA Administrator Sarah Lee attended the ceremony.")
    miller = r.key("John Miller", "Official")
    assert r.titles(miller) == set()
    assert r.objects(miller, "represents") == {"state/CA"}
    assert r.titles(r.key("Sarah Lee", "Official")) == {"Administrator"}


def test_address_form_is_an_alias(run):
    r = run("Dr Anil Kumar, Director of the Indian Space Research Organisation, opened the centre.")
    kumar = r.key("Anil Kumar", "Official")
    assert "Dr Anil Kumar" in r.entities[kumar].aliases


def test_transliteration_variants_are_one_person(run):
    r = run("Deputy Prime Minister of Russia Yury Borisov spoke. Vice Premier Yuri Borisov added a comment.")
    officials = r.of_type("Official")
    assert list(officials.values()) == ["person/yuri-borisov"]


def test_unlisted_body_before_a_name(run):
    r = run("The document was signed by the Chairman of the Board of Spacecom Asel Nurova and the President "
            "of the Turkish Space Agency Serdar Yildiz.")
    nurova = r.key("Asel Nurova", "Official")
    assert r.titles(nurova) == {"Chairman of the Board"}
    post = next(iter(r.objects(nurova, "holds")))
    assert r.labels(r.objects(post, "inOrganization")) == {"Spacecom"}


def test_hyphenated_given_names(run):
    r = run("Minister of Science of South Korea Lee Jong-ho met Jean-Luc Martin, Ambassador of France.")
    assert {"Lee Jong-ho", "Jean-Luc Martin"} <= set(r.of_type("Official"))


def test_long_portfolio_with_commas(run):
    r = run("Japan's Minister of Education, Culture, Sports, Science and Technology Keiko Sato spoke.")
    assert r.titles(r.key("Keiko Sato", "Official")) == {"Minister of Education, Culture, Sports, Science and Technology"}


def test_counterpart_is_an_official_without_a_post(run):
    r = run("Foreign Minister of India Arjun Rao met his Nigerian counterpart Yusuf Bello in New Delhi.")
    bello = r.key("Yusuf Bello", "Official")
    assert r.objects(bello, "represents") == {"state/NG"}
    assert r.titles(bello) == set()


def test_name_before_a_coordinated_official(run):
    r = run("The accords were signed by Nigeria's Minister of Innovation, Science and Technology Uche Nnaji "
            "and Rwanda's Minister of ICT and Innovation Paula Ingabire.")
    assert r.titles(r.key("Uche Nnaji", "Official")) == {"Minister of Innovation, Science and Technology"}


def test_name_particles_and_honorifics(run):
    r = run("H.E. Sheikh Hamad bin Khalifa Al Thani, Emir of Qatar, met Dr. Maria de la Cruz, Director of the "
            "Mexican Space Agency.")
    emir = r.key("Hamad bin Khalifa Al Thani", "Official")
    assert "H.E. Sheikh Hamad bin Khalifa Al Thani" in r.entities[emir].aliases
    assert r.titles(emir) == {"Emir"}
    assert r.objects(emir, "represents") == {"state/QA"}
    cruz = r.key("Maria de la Cruz", "Official")
    assert r.objects(cruz, "represents") == {"state/MX"}


def test_particle_after_a_portfolio(run):
    r = run("Saudi Minister of Industry Bandar bin Ibrahim Alkhorayef met the Minister of Science of Angola "
            "Joao da Costa.")
    saudi = r.key("Bandar bin Ibrahim Alkhorayef", "Official")
    assert r.titles(saudi) == {"Minister of Industry"}
    assert r.objects(saudi, "represents") == {"state/SA"}
    assert r.objects(r.key("Joao da Costa", "Official"), "represents") == {"state/AO"}


def test_honorific_between_title_and_name(run):
    r = run("Emirati Minister of State Sheikh Salem bin Khalid Al Qassimi opened the forum.")
    person = r.key("Salem bin Khalid Al Qassimi", "Official")
    assert "Sheikh Salem bin Khalid Al Qassimi" in r.entities[person].aliases


def test_title_word_as_a_given_name_after_a_title(run):
    r = run("Emirati astronaut Sultan Al Neyadi met Chargé d'Affaires of Argentina Pablo Gomez and King "
            "Abdullah II of Jordan.")
    neyadi = r.key("Sultan Al Neyadi", "Official")
    assert r.titles(neyadi) == {"Astronaut"}
    assert r.objects(neyadi, "represents") == {"state/AE"}
    assert r.objects(r.key("Pablo Gomez", "Official"), "represents") == {"state/AR"}
    assert "Abdullah II" in r.of_type("Official")


def test_name_after_a_long_portfolio_starts_at_the_first_non_portfolio_word(run):
    r = run("On Tuesday, Egypt's Minister of Higher Education and Scientific Research Mohamed Ayman Ashour "
            "received Minister of Digital Development, Innovations and Aerospace Industry Bagdat Musin.")
    ashour = r.key("Mohamed Ayman Ashour", "Official")
    assert r.titles(ashour) == {"Minister of Higher Education and Scientific Research"}
    assert r.objects(ashour, "represents") == {"state/EG"}
    assert r.titles(r.key("Bagdat Musin", "Official")) == {
        "Minister of Digital Development, Innovations and Aerospace Industry"}


def test_hyphenated_korean_name_before_a_title_and_a_board_title(run):
    r = run("Kim Min-seok, administrator of the Korea AeroSpace Administration, met Greta Vogel, Chair of the "
            "Executive Board of the German Aerospace Center.")
    kim = r.key("Kim Min-seok", "Official")
    assert r.objects(kim, "represents") == {"state/KR"}
    vogel = r.key("Greta Vogel", "Official")
    assert r.titles(vogel) == {"Chair of the Executive Board"}
    assert r.objects(vogel, "represents") == {"state/DE"}


def test_two_people_after_a_portfolio_and_a_surname_that_is_a_city(run):
    r = run("Brazilian Minister of Science, Technology and Innovation Ana Santos and Marco De Lima, director of "
            "Brazil's National Institute for Space Research, attended. Santos later met Chinese Vice Premier "
            "Ding Wei in Beijing.")
    santos = r.key("Ana Santos", "Official")
    assert r.titles(santos) == {"Minister of Science, Technology and Innovation"}
    assert r.titles(r.key("Marco De Lima", "Official")) == {"Director"}
    assert "Santos" not in r.of_type("Place")


def test_person_who_heads_a_body_acts_for_its_state(run):
    r = run("The meeting was co-chaired by Aliya Sadykova, Chair of the Aerospace Committee, and Hans Becker, "
            "who heads the German Space Agency at DLR.")
    becker = r.key("Hans Becker", "Official")
    assert r.objects(becker, "represents") == {"state/DE"}
    assert r.titles(becker) == set()


def test_two_coordinated_titles_of_one_person(run):
    r = run("The MoU was signed by H.E. Mariam Al Suwaidi, Minister of State for Advanced Technology and "
            "Chairwoman of the UAE Space Agency, and Dr Kenji Ito, President of JAXA.")
    suwaidi = r.key("Mariam Al Suwaidi", "Official")
    assert r.titles(suwaidi) == {"Minister of State for Advanced Technology", "Chairwoman"}
    assert r.titles(r.key("Kenji Ito", "Official")) == {"President"}


def test_according_to_someone_is_no_apposition(run):
    r = run("Roscosmos Director General Ivan Petrov signed the agreement. According to Petrov, the Belarusian "
            "cosmonaut will fly in 2024.")
    petrov = r.key("Ivan Petrov", "Official")
    assert r.titles(petrov) == {"General Director"}
    assert r.objects(petrov, "represents") == {"state/RU"}


def test_a_minister_without_a_state_acts_for_the_dateline_state_unless_a_guest(run):
    r = run("Nairobi – Kenya and Italy on Tuesday signed a protocol, during the state visit of President "
            "Sergio Mattarella to Kenya. The protocol was signed by the Minister of Defence, Aden Duale, in the "
            "presence of President William Ruto and President Mattarella.", date="2025-02-19")
    assert r.objects(r.key("Aden Duale"), "represents") == {"state/KE"}
    assert r.objects(r.key("William Ruto"), "represents") == {"state/KE"}
    assert "state/KE" not in r.objects(r.key("Sergio Mattarella"), "represents")


def test_chief_executive_officer_is_kept_as_written(run):
    r = run("The letter was signed by Amina Diallo, the Chief Executive Officer of the Senegalese Space Agency.")
    assert r.titles(r.key("Amina Diallo")) == {"Chief Executive Officer"}


def test_portfolio_then_name_in_apposition_or_before_a_date(run):
    r = run("The Minister of Digital Governance, Kyriakos Pierrakakis, who led the Greek delegation, held talks. "
            "Minister for Space Judith Collins today announced a deal with the United States.")
    assert r.titles(r.key("Kyriakos Pierrakakis")) == {"Minister of Digital Governance"}
    assert r.titles(r.key("Judith Collins")) == {"Minister for Space"}


def test_two_bare_titles_joined_before_a_name_are_one_post(run):
    r = run("Ngabo met CNES President and CEO Philippe Baptiste in Paris.")
    baptiste = r.key("Philippe Baptiste")
    assert r.titles(baptiste) == {"President and CEO"}
    assert r.objects(baptiste, "represents") == {"state/FR"}


def test_a_surname_with_a_title_stands_for_a_full_name_written_without_one(run):
    r = run("LIMA – Talks on satellite data were led by Carmen Quispe and NASA Administrator Bill Nelson. "
            "Quispe, Minister of Defence of Peru, said the ground station would open next year.")
    assert set(r.of_type("Official")) == {"Carmen Quispe", "Bill Nelson"}
    quispe = r.of_type("Official")["Carmen Quispe"]
    assert (r.titles(quispe), r.objects(quispe, "represents")) == ({"Minister of Defence"}, {"state/PE"})


def test_the_signer_without_a_state_acts_for_the_other_party(run):
    r = run("Chile and Argentina signed a framework agreement on space cooperation in Santiago on Tuesday. "
            "The agreement was signed by the Minister of Science, Aisen Etcheverry, and by Argentina's "
            "Minister of Defence, Jorge Taiana.", date="2025-06-05")
    etcheverry = r.of_type("Official")["Aisen Etcheverry"]
    assert r.objects(etcheverry, "represents") == {"state/CL"}
    assert r.objects(r.of_type("Official")["Jorge Taiana"], "represents") == {"state/AR"}


def test_a_visitor_to_one_state_of_the_pair_comes_from_the_other(run):
    r = run("NAIROBI – Kenya and Ghana on Monday signed a memorandum on satellite data during the state visit "
            "of President John Mahama to Kenya. Kenya and Ghana will also train engineers together.",
            date="2025-03-12")
    mahama = r.of_type("Official")["John Mahama"]
    assert r.objects(mahama, "represents") == {"state/GH"}



def test_names_in_letters_beyond_latin1(run):
    r = run("The agreement was signed by Poland's Minister of Digital Affairs Bożena Wiśniewska. "
            "TUA President Kemal Yıldız co-chaired the session.")
    expected = {"Bożena Wiśniewska": ("Minister of Digital Affairs", "state/PL"), "Kemal Yıldız": ("President", "state/TR")}
    for name, (title, state) in expected.items():
        person = r.key(name, "Official")
        assert (r.titles(person), r.objects(person, "represents")) == ({title}, {state})


def test_mission_director_high_commissioner_and_inner_capitals(run):
    r = run("The talks were co-chaired by JAXA Mission Director Jose Reyes and the Australian High Commissioner to "
            "the UK, Mary Lloyd. Astronauts Omar AlFarsi and Kevin McCann also took part.")
    expected = {"Jose Reyes": "Mission Director", "Mary Lloyd": "High Commissioner to UK",
                "Omar AlFarsi": "astronaut", "Kevin McCann": "astronaut"}
    for name, title in expected.items():
        assert {t.lower() for t in r.titles(r.key(name, "Official"))} == {title.lower()}, name
    assert not r.of_type("Project")


def test_title_of_a_states_body_before_a_name(run):
    r = run("The roadmap was signed by the head of Brazil's Brazilian Space Agency (AEB) Carlos Vargas Rojas.")
    vargas = r.key("Carlos Vargas Rojas", "Official")
    assert ({t.lower() for t in r.titles(vargas)}, r.objects(vargas, "represents")) == ({"head"}, {"state/BR"})


def test_a_city_and_date_dateline_gives_a_ministers_state(run):
    r = run("Lima, Feb. 12, 2025 (ANDINA) The Minister of Production, Mr Jorge Quispe, opened the session. "
            "The Chilean Space Agency (CSA) President Maria Rojas signed the memorandum.", date="2025-02-12")
    assert r.objects(r.key("Jorge Quispe", "Official"), "represents") == {"state/PE"}
    assert r.objects(r.key("Maria Rojas", "Official"), "represents") == {"state/CL"}


def test_member_of_a_board_is_a_title(run):
    r = run("The signing was attended by Ana Lima, member of the CONIDA Executive Board.")
    lima = r.key("Ana Lima", "Official")
    assert {t.lower() for t in r.titles(lima)} == {"member"}


def test_two_modifiers_joined_by_and_make_one_title(run):
    r = run("The ceremony was attended by Ana Lima, executive and technical director of the Peruvian Space Agency.")
    assert {t.lower() for t in r.titles(r.key("Ana Lima", "Official"))} == {"executive and technical director"}


def test_one_word_after_of_the_before_a_name_is_part_of_the_title(run):
    r = run("The memorandum was signed by Andes Orbital Chairman of the Board Carlos Vargas.")
    assert {t.lower() for t in r.titles(r.key("Carlos Vargas", "Official"))} == {"chairman of the board"}
    assert "organization/board" not in r.entities
