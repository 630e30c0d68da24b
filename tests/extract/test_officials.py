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
