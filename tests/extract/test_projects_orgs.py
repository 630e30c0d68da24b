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
