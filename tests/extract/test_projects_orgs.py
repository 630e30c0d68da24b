"""Projects (joint, two or more states) and organizations built around head words."""


def test_named_joint_mission_with_two_states(run):
    r = run("Japan and the UAE will jointly build the Hope-2 mission, and Japan will train Emirati engineers "
            "for the Hope-2 mission together with the UAE Space Agency.")
    project = r.key("Hope-2", "Project")
    assert r.objects(project, "party") >= {"state/JP", "state/AE"}


def test_one_state_mission_is_not_a_project(run):
    r = run("India launched the Chandra-5 mission from Sriharikota last week.")
    assert not any(e.type == "Project" for e in r.entities.values())


def test_ministry_with_state_and_reordered_wording(run):
    r = run("The Ministry of Foreign Affairs of Peru and the Chilean Transport Ministry issued a statement.")
    orgs = r.of_type("GovernmentBody")
    peru = orgs["Ministry of Foreign Affairs"]
    assert r.objects(peru, "ofState") == {"state/PE"}
    assert "Ministry of Transport" in orgs
    assert r.objects(orgs["Ministry of Transport"], "ofState") == {"state/CL"}


def test_renamed_reference_body_is_one_entity(run):
    r = run("The Federal Space Agency and Roskosmos are the same body; Roscosmos State Corporation said so.")
    orgs = r.of_type("SpaceAgency")
    assert list(orgs.values()) == ["organization/roscosmos"]


def test_project_named_by_what_it_builds(run):
    r = run("Over the past decade Chile and Spain have realized a project on creating the Andes Seismic "
            "Monitoring System of Chile.")
    project = next(k for k, e in r.entities.items() if e.type == "Project")
    assert r.entities[project].label.startswith("Andes Seismic Monitoring System")
    assert r.objects(project, "party") == {"state/CL", "state/ES"}


def test_named_programme_with_states_in_its_name(run):
    r = run("The sides reviewed the implementation of the China-Brazil Earth Resources Satellite (CBERS) "
            "programme and discussed the launch of a new satellite.")
    project = r.key("China-Brazil Earth Resources Satellite", "Project")
    assert r.objects(project, "party") == {"state/CN", "state/BR"}


def test_programme_of_a_document_is_no_project(run):
    r = run("Egypt and Sudan approved the Long-Term Development Program of the Aswan space centre.")
    assert not any(e.type == "Project" for e in r.entities.values())
    assert any(e.type == "Programme" for e in r.entities.values())


def test_unlisted_space_agency_of_a_state_is_not_a_listed_one(run):
    r = run("Dr. Lucia Ortega, Director of the Guatemalan Space Agency, met the head of the Space Agency of "
            "Honduras and the Peruvian Space Agency.")
    orgs = r.of_type("SpaceAgency")
    assert "European Space Agency" not in orgs
    assert r.objects(orgs["Guatemalan Space Agency"], "ofState") == {"state/GT"}
    assert r.objects(orgs["Space Agency of Honduras"], "ofState") == {"state/HN"}
    assert "organization/conida" in orgs.values()            # a listed agency by another of its names


def test_possessive_state_before_an_organization(run):
    r = run("Tunisia's National Centre for Cartography and Remote Sensing will cooperate with Bolivia's "
            "National Space Commission.")
    centre = r.key("National Centre for Cartography and Remote Sensing")
    assert r.objects(centre, "ofState") == {"state/TN"}
    commission = r.key("National Space Commission of Bolivia")
    assert r.objects(commission, "ofState") == {"state/BO"}


def test_bare_generic_name_resolves_only_to_a_body_of_the_documents_states(run):
    r = run("The National Space Agency and the Italian Space Agency signed a contract.")
    assert "organization/kazcosmos" not in r.entities
    r = run("The National Space Agency and Roscosmos signed a contract. Kazakhstan welcomed it.")
    assert "organization/kazcosmos" in r.entities


def test_jointly_built_observatory_is_a_project_but_a_satellite_is_not(run):
    r = run("Egypt and China jointly built the Nile-2 observatory. Kenya and Japan signed an agreement on the "
            "Simba-3 satellite, which the two countries will develop together.")
    observatory = r.key("Nile-2", "Project")
    assert r.objects(observatory, "party") == {"state/EG", "state/CN"}
    assert [e.label for e in r.entities.values() if e.type == "Project"] == ["Nile-2"]


def test_a_satellite_launched_for_another_state_is_no_project(run):
    r = run("A Soyuz rocket with the Kazakh KazSat-9 satellite was launched from Baikonur in cooperation with "
            "Russia. Scientists studied Earth's natural satellite. India and France will build the thermal "
            "infrared Earth observation mission together.")
    assert not any(e.type == "Project" for e in r.entities.values())


def test_coordinated_organizations_keep_their_own_states(run):
    r = run("Egypt's Ministry of Higher Education and Scientific Research and the Brazilian Ministry of Science, "
            "Technology and Innovation agreed to cooperate with Ukraine's State Space Agency.")
    orgs = r.of_type("GovernmentBody", "SpaceAgency")
    assert r.objects(orgs["Ministry of Higher Education and Scientific Research"], "ofState") == {"state/EG"}
    assert r.objects(orgs["Ministry of Science, Technology and Innovation"], "ofState") == {"state/BR"}
    assert orgs["State Space Agency of Ukraine"] == "organization/ssau"


def test_generic_name_that_fits_agencies_of_several_states_is_left_unresolved(run):
    r = run("Brazil, Russia and the Philippines met. The Space Agency said it would take part.")
    assert not {"organization/aeb", "organization/roscosmos", "organization/philsa"} & set(r.entities)


def test_states_named_in_a_comparison_do_not_take_part(run):
    r = run("Brazil and Argentina jointly built the SABIA-Mar mission. If it succeeds, Brazil will be the third "
            "nation to fly the SABIA-Mar mission after Japan and Canada.")
    mission = r.key("SABIA-Mar", "Project")
    assert r.objects(mission, "party") == {"state/BR", "state/AR"}


def test_company_described_by_a_state_adjective_outlets_and_short_backrefs(run):
    r = run("South Korean carmaker Hyundai Motor Company will build the rover. The Korean Central News Agency "
            "reported it. The Korea-Peru Joint Committee for Space met in Lima. The Joint Committee will meet "
            "again next year.")
    hyundai = r.key("Hyundai Motor Company", "Company")
    assert r.objects(hyundai, "ofState") == {"state/KR"}
    orgs = [e.label for e in r.entities.values() if e.type in ("Organization", "GovernmentBody", "Company",
                                                                "SpaceAgency", "IntergovernmentalBody")]
    assert sorted(orgs) == ["Hyundai Motor Company", "Korea-Peru Joint Committee for Space"]


def test_acronyms_of_projects_in_brackets(run):
    r = run("Peru and Chile signed a protocol amending the 2016 agreement on the Andean Earth Resources Satellite "
            "(AERS) program. The AERS program is a model of cooperation. The two sides also agreed on PANDA "
            "(Pacific Andean Navigation and Data Array Mission), the joint Peruvian-Chilean mission.")
    projects = r.of_type("Project")
    assert set(projects) == {"Andean Earth Resources Satellite", "PANDA"}
    assert "Pacific Andean Navigation and Data Array Mission" in r.entities[projects["PANDA"]].aliases
    protocol = next(iter(r.of_type("Protocol").values()))
    assert projects["Andean Earth Resources Satellite"] in r.objects(protocol, "concerns")


def test_project_named_in_apposition(run):
    r = run("The working group reviewed progress on Vyom, India's crewed orbital programme, for which CNES has "
            "supplied medical equipment. Peru said Inti, a solar research mission, would fly in 2030.")
    vyom = r.key("Vyom", "Project")
    assert r.objects(vyom, "party") == {"state/IN", "state/FR"}
    assert "Inti" not in r.of_type("Project")                 # one state only


def test_named_thing_jointly_built_by_two_states_bodies_is_a_project(run):
    r = run("India and France will cooperate on HELIX, an ultraviolet spectrometer jointly developed by ISRO "
            "and CNES. Polaris, which has been co-developed by the Korea Astronomy and Space Science Institute "
            "and NASA, will fly in 2026.")
    helix = r.key("HELIX", "Project")
    assert r.objects(helix, "party") == {"state/IN", "state/FR"}
    assert r.objects(r.key("Polaris", "Project"), "party") == {"state/KR", "state/US"}


def test_jointly_built_by_one_state_or_built_alone_is_no_project(run):
    r = run("Argentina launched SAOCOM, a radar satellite jointly developed by CONAE and INVAP. "
            "Chile praised Kestrel, a camera developed by NASA.")
    assert not r.of_type("Project")


def test_joint_body_named_by_two_agencies_is_one_body_of_its_own(run):
    r = run("The KASA-CONAE Joint Working Group met in Buenos Aires on Monday. The working group agreed "
            "on a data exchange plan, and KASA and CONAE welcomed it.")
    bodies = r.of_type("IntergovernmentalBody")
    assert list(bodies) == ["KASA-CONAE Joint Working Group"]
    assert "KASA" not in r.entities[bodies["KASA-CONAE Joint Working Group"]].aliases
    agencies = r.of_type("SpaceAgency")
    assert {"organization/kasa", "organization/conae"} <= set(agencies.values())


def test_a_short_form_defined_in_brackets_names_the_body_later(run):
    r = run("LA PAZ – The Andean Remote Sensing Centre (ARSC) and NASA signed a memorandum on Tuesday. "
            "The document was signed by ARSC Director Ana Torres and NASA Administrator Bill Nelson. "
            "Bolivia will also join the Altiplano Space Research Centre (AS Centre). "
            "The AS Centre will host a ground station.")
    centre = r.key("Andean Remote Sensing Centre")
    assert "ARSC" in r.entities[centre].aliases
    post = next(iter(r.objects(r.key("Ana Torres", "Official"), "holds")))
    assert r.objects(post, "inOrganization") == {centre}
    bodies = {e.label for e in r.entities.values() if "Centre" in e.label and e.type == "Organization"}
    assert bodies == {"Andean Remote Sensing Centre", "Altiplano Space Research Centre"}


def test_a_generic_listed_wording_at_the_end_of_a_longer_name_is_not_the_listed_body(run):
    r = run("Chile and Peru will use the data of the Atacama Space Research Institute. "
            "Peru will also work with Russia's Space Research Institute.")
    orgs = {e.label: k for k, e in r.entities.items() if e.type not in ("State", "Place")}
    assert "Atacama Space Research Institute" in orgs
    assert r.objects(orgs["Atacama Space Research Institute"], "ofState") == set()
    assert sum(1 for k in orgs.values() if r.objects(k, "ofState") == {"state/RU"}) == 1


def test_two_coordinated_bodies_and_a_body_named_after_its_city(run):
    r = run("The nanosatellite was built by the University of Coimbra and Bengaluru University, with "
            "engineers of the Ministry of Science, Technology and Innovation of Brazil.")
    orgs = {e.label: k for k, e in r.entities.items() if e.type not in ("State", "Place", "Project")}
    assert {"University of Coimbra", "Bengaluru University"} <= set(orgs)
    assert r.objects(orgs["Bengaluru University"], "ofState") == {"state/IN"}
    assert any(label.startswith("Ministry of Science, Technology and Innovation") for label in orgs)


def test_in_the_field_of_inside_a_body_name(run):
    r = run("The Working Group on Cooperation in the Field of Satellite Navigation met in Hanoi. "
            "Vietnam and India chaired the talks in the city.")
    assert "Working Group on Cooperation in the Field of Satellite Navigation" in {
        e.label for e in r.entities.values() if e.type not in ("State", "Place", "Meeting")}


def test_a_joint_laboratory_named_by_two_states_is_their_project(run):
    r = run("The agencies signed a protocol establishing the Kenya–Italy Joint Laboratory on Space Debris. "
            "The Kenyan Joint Laboratory of the university opened too.")
    projects = {e.label: k for k, e in r.entities.items() if e.type == "Project"}
    assert list(projects) == ["Kenya–Italy Joint Laboratory"]
    assert r.objects(projects["Kenya–Italy Joint Laboratory"], "party") == {"state/KE", "state/IT"}


def test_a_name_in_apposition_to_a_state_led_initiative(run):
    r = run("The memorandum covers joint work under Andes Watch, the Chile-led flood-monitoring initiative in "
            "which Peru has taken part since 2015.")
    watch = r.key("Andes Watch", "Project")
    assert r.objects(watch, "party") == {"state/CL", "state/PE"}


def test_a_ministry_a_state_body_sits_within_is_of_that_state(run):
    r = run("Dr Ana Torres, who leads the Peruvian Space Agency within the Ministry of Defence, Housing and "
            "Transport, said the station would open in 2026.")
    ministry = next(k for k, e in r.entities.items() if e.label.startswith("Ministry of Defence"))
    assert r.objects(ministry, "ofState") == {"state/PE"}


def test_an_acronym_defined_for_a_body_is_not_a_state_alias(run):
    r = run("The Director General of the Kenya Space Agency (KSA), Brigadier John Otieno, signed the arrangement. "
            "KSA will run the academy with the Italian Space Agency.")
    assert "state/SA" not in r.entities
    assert "KSA" in r.entities[r.key("Kenya Space Agency")].aliases
    assert r.entities[r.key("John Otieno", "Official")].aliases == {"Brigadier John Otieno"}


def test_a_company_named_after_a_state_adjective_and_a_company_word(run):
    r = run("The Chilean rocket company Andes Orbital signed a contract with Peruvian satellite operator "
            "Condor Sat (CSAT). The engines were built by the Brazilian firm Motores Ceu.")
    expected = {"Andes Orbital": "state/CL", "Condor Sat": "state/PE", "Motores Ceu": "state/BR"}
    for name, state in expected.items():
        company = r.key(name, "Company")
        assert r.objects(company, "ofState") == {state}, name
    assert "CSAT" in r.entities[r.key("Condor Sat")].aliases


def test_representatives_of_a_body_named_with_its_state(run):
    r = run("Representatives of Condor Launch Peru, which operates the spaceport, attended the meeting with "
            "officials of Chile.")
    assert r.objects(r.key("Condor Launch Peru"), "ofState") == {"state/PE"}
    assert r.key("Chile", "State")


def test_a_shared_state_adjective_decided_by_the_text_is_an_adjective(run):
    r = run("Peru and the Republic of Korea deepened their space ties. Korean rocket company Hanbit Orbital "
            "signed a contract with the Peruvian Space Agency.")
    assert r.objects(r.key("Hanbit Orbital", "Company"), "ofState") == {"state/KR"}


def test_a_shortened_body_name_is_the_body_named_before(run):
    r = run("The third meeting of the Pacific Link Steering Committee was held in Lima. The Peruvian Space Agency "
            "will host the next meeting of the Steering Committee in Cusco.")
    bodies = [e.label for e in r.entities.values() if "Committee" in e.label and e.type != "Meeting"]
    assert bodies == ["Pacific Link Steering Committee"]
