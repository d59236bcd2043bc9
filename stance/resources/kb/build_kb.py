"""Regenerate the actor knowledge base shipped in this folder (build time only).

The runtime (:mod:`stance.actors.kb`) only *reads* the JSON files written here:

* ``countries.json``: every ISO 3166-1 country from ``pycountry`` (names, official
  names, ISO codes), demonyms and capitals from the ``countryinfo`` package (MIT, pure
  Python, a build-time-only dependency), and a curated table for ~80 newsworthy states
  (stable canonical names such as "United States" and "Iran", news aliases such as
  "U.S." and "Britain", extra demonyms, and the capitals and seats of government that
  news uses as metonyms: "Tehran said", "the White House", "the Kremlin").
* ``organisations.json``: curated intergovernmental organisations, state institutions,
  political parties and armed groups.
* ``persons.json``: curated heads of state/government, ministers and leaders with the
  state or organisation they speak for.

Every fact records its source: ``"pycountry"``, ``"countryinfo"``, ``"curated"`` or
``"derived"`` (a plural formed from a demonym).

Usage::

    pip install countryinfo==1.0.1   # build time only; not a runtime dependency
    python stance/resources/kb/build_kb.py            # rewrite the JSON files
    python stance/resources/kb/build_kb.py --check    # fail if they are out of date

Example:
    >>> from stance.resources.kb.build_kb import plural_of  # doctest: +SKIP
    >>> plural_of("Iranian")  # doctest: +SKIP
    'Iranians'
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SCHEMA_VERSION = 1

# ---------------------------------------------------------------------------------------
# Curated country facts. Keys are ISO alpha-2 codes. Fields (all optional):
#   name       canonical name (else pycountry's common name, else its name)
#   aliases    extra surface names used in news
#   demonyms   extra demonyms (adjective / singular noun)
#   plurals    plural nouns for the people ("Britons"); default: derived from demonyms
#   metonyms   capitals and seats of government that stand for the state in news
#   capital    override countryinfo's capital
#   ambiguous  True: the name is also a common first name / US state / word, so a
#              match needs spaCy's GPE label to count
# ---------------------------------------------------------------------------------------
CURATED_COUNTRIES: dict[str, dict[str, Any]] = {
    "US": {
        "name": "United States",
        "aliases": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
        "demonyms": ["American"],
        "plurals": ["Americans"],
        "metonyms": ["Washington", "White House"],
        "capital": "Washington, D.C.",
    },
    "GB": {
        "name": "United Kingdom",
        "aliases": ["UK", "U.K.", "Britain", "Great Britain"],
        "demonyms": ["British", "Briton"],
        "plurals": ["Britons"],
        "metonyms": ["London", "Downing Street", "Whitehall"],
    },
    "FR": {"name": "France", "metonyms": ["Paris", "Elysee", "Élysée"], "plurals": []},
    "DE": {"name": "Germany", "metonyms": ["Berlin"]},
    "IT": {"name": "Italy", "metonyms": ["Rome"]},
    "ES": {"name": "Spain", "metonyms": ["Madrid"], "plurals": ["Spaniards"], "demonyms": ["Spaniard"]},
    "PT": {"name": "Portugal", "metonyms": ["Lisbon"]},
    "NL": {"name": "Netherlands", "aliases": ["Holland", "the Netherlands"], "plurals": []},
    "BE": {"name": "Belgium"},
    "CH": {"name": "Switzerland", "metonyms": ["Bern"], "plurals": []},
    "AT": {"name": "Austria", "metonyms": ["Vienna"]},
    "IE": {"name": "Ireland", "metonyms": ["Dublin"], "plurals": []},
    "SE": {"name": "Sweden", "metonyms": ["Stockholm"], "demonyms": ["Swede"], "plurals": ["Swedes"]},
    "NO": {"name": "Norway", "metonyms": ["Oslo"]},
    "FI": {"name": "Finland", "metonyms": ["Helsinki"], "demonyms": ["Finn"], "plurals": ["Finns"]},
    "DK": {"name": "Denmark", "metonyms": ["Copenhagen"], "demonyms": ["Dane"], "plurals": ["Danes"]},
    "PL": {"name": "Poland", "metonyms": ["Warsaw"], "demonyms": ["Pole"], "plurals": ["Poles"]},
    "HU": {"name": "Hungary", "metonyms": ["Budapest"]},
    "GR": {"name": "Greece", "metonyms": ["Athens"], "plurals": ["Greeks"]},
    "CY": {"name": "Cyprus", "metonyms": ["Nicosia"]},
    "RS": {"name": "Serbia", "metonyms": ["Belgrade"], "demonyms": ["Serb"], "plurals": ["Serbs", "Serbians"]},
    "RU": {"name": "Russia", "aliases": ["Russian Federation"], "metonyms": ["Moscow", "Kremlin"]},
    "UA": {"name": "Ukraine", "metonyms": ["Kyiv", "Kiev"]},
    "BY": {"name": "Belarus", "metonyms": ["Minsk"]},
    "TR": {
        "name": "Turkey",
        "aliases": ["Türkiye", "Turkiye"],
        "metonyms": ["Ankara"],
        "demonyms": ["Turk"],
        "plurals": ["Turks"],
    },
    "AZ": {"name": "Azerbaijan", "metonyms": ["Baku"]},
    "AM": {"name": "Armenia", "metonyms": ["Yerevan"]},
    "GE": {"name": "Georgia", "metonyms": ["Tbilisi"], "ambiguous": True},
    "KZ": {"name": "Kazakhstan", "capital": "Astana", "metonyms": ["Astana"]},
    "CN": {
        "name": "China",
        "aliases": ["People's Republic of China", "PRC", "mainland China"],
        "metonyms": ["Beijing", "Zhongnanhai"],
        "plurals": [],
    },
    "TW": {"name": "Taiwan", "aliases": ["Republic of China"], "metonyms": ["Taipei"]},
    "JP": {"name": "Japan", "metonyms": ["Tokyo"], "plurals": []},
    "KR": {"name": "South Korea", "aliases": ["Republic of Korea", "ROK", "S. Korea"], "metonyms": ["Seoul"]},
    "KP": {"name": "North Korea", "aliases": ["DPRK", "N. Korea"], "metonyms": ["Pyongyang"]},
    "IN": {"name": "India", "metonyms": ["New Delhi"]},
    "PK": {"name": "Pakistan", "metonyms": ["Islamabad"]},
    "AF": {"name": "Afghanistan", "metonyms": ["Kabul"], "plurals": ["Afghans"]},
    "BD": {"name": "Bangladesh", "metonyms": ["Dhaka"]},
    "IR": {
        "name": "Iran",
        "aliases": ["Islamic Republic of Iran", "Islamic Republic"],
        "metonyms": ["Tehran"],
        "plurals": ["Iranians"],
    },
    "IQ": {"name": "Iraq", "metonyms": ["Baghdad"]},
    "SY": {"name": "Syria", "metonyms": ["Damascus"]},
    "LB": {"name": "Lebanon", "metonyms": ["Beirut"], "plurals": []},
    "IL": {"name": "Israel", "aliases": ["State of Israel"], "metonyms": ["Jerusalem"]},
    "PS": {
        "name": "Palestine",
        "aliases": ["State of Palestine", "Palestinian territories"],
        "demonyms": ["Palestinian"],
        "capital": "Ramallah (seat of government)",
    },
    "JO": {"name": "Jordan", "metonyms": ["Amman"], "ambiguous": True},
    "EG": {"name": "Egypt", "metonyms": ["Cairo"]},
    "SA": {
        "name": "Saudi Arabia",
        "aliases": ["Saudi", "KSA"],
        "demonyms": ["Saudi"],
        "plurals": ["Saudis"],
        "metonyms": ["Riyadh"],
    },
    "AE": {"name": "United Arab Emirates", "aliases": ["UAE", "U.A.E.", "Emirates"], "metonyms": ["Abu Dhabi"]},
    "QA": {"name": "Qatar", "metonyms": ["Doha"]},
    "OM": {"name": "Oman", "metonyms": ["Muscat"]},
    "KW": {"name": "Kuwait"},
    "BH": {"name": "Bahrain", "metonyms": ["Manama"]},
    "YE": {"name": "Yemen", "metonyms": ["Sanaa", "Sana'a"]},
    "LY": {"name": "Libya", "metonyms": ["Tripoli"]},
    "TN": {"name": "Tunisia", "metonyms": ["Tunis"]},
    "DZ": {"name": "Algeria", "metonyms": ["Algiers"]},
    "MA": {"name": "Morocco", "metonyms": ["Rabat"]},
    "SD": {"name": "Sudan", "metonyms": ["Khartoum"], "plurals": []},
    "SS": {"name": "South Sudan", "plurals": []},
    "ET": {"name": "Ethiopia", "metonyms": ["Addis Ababa"]},
    "KE": {"name": "Kenya", "metonyms": ["Nairobi"]},
    "NG": {"name": "Nigeria", "metonyms": ["Abuja"]},
    "ZA": {"name": "South Africa", "metonyms": ["Pretoria"]},
    "CD": {
        "name": "Democratic Republic of the Congo",
        "aliases": ["DR Congo", "DRC", "Congo-Kinshasa"],
        "demonyms": ["Congolese"],
        "metonyms": ["Kinshasa"],
        "plurals": [],
    },
    "CA": {"name": "Canada", "metonyms": ["Ottawa"]},
    "MX": {"name": "Mexico", "metonyms": ["Mexico City"]},
    "CU": {"name": "Cuba", "metonyms": ["Havana"]},
    "VE": {"name": "Venezuela", "metonyms": ["Caracas"]},
    "CO": {"name": "Colombia", "metonyms": ["Bogota", "Bogotá"]},
    "BR": {"name": "Brazil", "metonyms": ["Brasilia", "Brasília"]},
    "AR": {"name": "Argentina", "demonyms": ["Argentine"], "plurals": ["Argentines"], "metonyms": ["Buenos Aires"]},
    "CL": {"name": "Chile"},
    "AU": {"name": "Australia", "metonyms": ["Canberra"]},
    "NZ": {"name": "New Zealand"},
    "VN": {"name": "Vietnam", "metonyms": ["Hanoi"], "plurals": []},
    "PH": {"name": "Philippines", "aliases": ["the Philippines"], "metonyms": ["Manila"]},
    "ID": {"name": "Indonesia", "metonyms": ["Jakarta"]},
    "MY": {"name": "Malaysia", "metonyms": ["Kuala Lumpur"]},
    "TH": {"name": "Thailand", "demonyms": ["Thai"], "plurals": ["Thais"], "metonyms": ["Bangkok"]},
    "MM": {"name": "Myanmar", "aliases": ["Burma"], "metonyms": ["Naypyidaw"], "plurals": []},
    "SG": {"name": "Singapore"},
    "VA": {"name": "Vatican", "aliases": ["Holy See", "Vatican City"], "demonyms": [], "plurals": []},
    # Names that are also first names, US states or words: need spaCy's GPE label.
    "TD": {"ambiguous": True},
    "JE": {"ambiguous": True},
    "IM": {"ambiguous": True},
    "GN": {"ambiguous": True},
    "NE": {"ambiguous": True},
    "DM": {"ambiguous": True},
    "CG": {"name": "Republic of the Congo", "aliases": ["Congo-Brazzaville"], "plurals": []},
}

# Aliases that are too ambiguous to keep from the automatic sources.
# ("Island", Iceland's own name, and "the States", which normalises to "States", are words of organisation
# names: "Alliance of Small Island States")
DROPPED_ALIASES = {"Congo", "Korea", "Guinea", "Thai", "Prathet", "Mexicanos", "Portuguesa", "Holland", "Island"}

# Collective nouns that are never demonym plurals of a country.
NO_PLURAL_SUFFIXES = ("ese", "sh", "ch", "ss", "s", "x", "z")

# ---------------------------------------------------------------------------------------
# Organisations: intergovernmental bodies, state institutions, parties, armed groups.
#   kind: "organisation" or "group" (parties are collectives of members: "Democrats")
#   affiliation: canonical name of the state/organisation it speaks for, or None
#   generic: the name ("Senate", "Supreme Court") is only this entry when no other
#            country modifies it ("Israel's Supreme Court" is not the US one)
# ---------------------------------------------------------------------------------------
ORGANISATIONS: list[dict[str, Any]] = [
    # intergovernmental
    {"name": "United Nations", "category": "igo", "aliases": ["UN", "U.N.", "the UN", "the United Nations"]},
    {
        "name": "UN Security Council",
        "category": "igo",
        "aliases": ["United Nations Security Council", "U.N. Security Council", "Security Council", "UNSC"],
        "affiliation": "United Nations",
    },
    {
        "name": "UN General Assembly",
        "category": "igo",
        "aliases": ["United Nations General Assembly", "U.N. General Assembly", "General Assembly", "UNGA"],
        "affiliation": "United Nations",
    },
    {
        "name": "NATO",
        "category": "igo",
        "aliases": ["North Atlantic Treaty Organization", "North Atlantic Treaty Organisation", "Nato"],
    },
    {"name": "European Union", "category": "igo", "aliases": ["EU", "E.U."], "metonyms": ["Brussels"]},
    {"name": "European Commission", "category": "igo", "aliases": ["EU Commission"], "affiliation": "European Union"},
    {"name": "European Parliament", "category": "igo", "affiliation": "European Union"},
    {
        "name": "IAEA",
        "category": "igo",
        "aliases": ["International Atomic Energy Agency", "U.N. nuclear watchdog", "UN nuclear watchdog"],
    },
    {"name": "OPEC", "category": "igo", "aliases": ["Organization of the Petroleum Exporting Countries", "OPEC+"]},
    {
        "name": "World Health Organization",
        "category": "igo",
        "aliases": ["WHO", "World Health Organisation"],
        "ambiguous_aliases": ["WHO"],
    },
    {"name": "International Monetary Fund", "category": "igo", "aliases": ["IMF"]},
    {"name": "World Bank", "category": "igo"},
    {"name": "World Trade Organization", "category": "igo", "aliases": ["WTO", "World Trade Organisation"]},
    {"name": "African Union", "category": "igo", "aliases": ["AU"], "ambiguous_aliases": ["AU"]},
    {"name": "Arab League", "category": "igo", "aliases": ["League of Arab States"]},
    {"name": "Gulf Cooperation Council", "category": "igo", "aliases": ["GCC"]},
    {"name": "ASEAN", "category": "igo", "aliases": ["Association of Southeast Asian Nations"]},
    {"name": "G7", "category": "igo", "aliases": ["G-7", "Group of Seven"]},
    {"name": "G20", "category": "igo", "aliases": ["G-20", "Group of 20"]},
    {"name": "BRICS", "category": "igo"},
    {"name": "International Criminal Court", "category": "igo", "aliases": ["ICC"]},
    {"name": "International Court of Justice", "category": "igo", "aliases": ["ICJ", "World Court"]},
    {"name": "OSCE", "category": "igo", "aliases": ["Organization for Security and Co-operation in Europe"]},
    {"name": "Interpol", "category": "igo", "aliases": ["INTERPOL"]},
    {"name": "UNRWA", "category": "igo", "affiliation": "United Nations"},
    {"name": "UNICEF", "category": "igo", "affiliation": "United Nations"},
    {
        "name": "UNHCR",
        "category": "igo",
        "aliases": ["UN refugee agency", "U.N. refugee agency"],
        "affiliation": "United Nations",
    },
    # United States institutions
    {
        "name": "United States Congress",
        "category": "state",
        "aliases": ["Congress", "U.S. Congress", "US Congress"],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States Senate",
        "category": "state",
        "aliases": ["Senate", "U.S. Senate", "US Senate"],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States House of Representatives",
        "category": "state",
        "aliases": ["House of Representatives", "U.S. House", "US House", "House"],
        "affiliation": "United States",
        "generic": True,
        "ambiguous_aliases": ["House"],
    },
    {
        "name": "Supreme Court of the United States",
        "category": "state",
        "aliases": ["Supreme Court", "U.S. Supreme Court", "US Supreme Court", "SCOTUS"],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States Department of Justice",
        "category": "state",
        "aliases": [
            "Justice Department",
            "Department of Justice",
            "DOJ",
            "U.S. Justice Department",
            "US Justice Department",
        ],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States Department of State",
        "category": "state",
        "aliases": ["State Department", "U.S. State Department", "US State Department"],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States Department of Defense",
        "category": "state",
        "aliases": ["Pentagon", "Defense Department", "Department of Defense", "Department of War", "War Department"],
        "affiliation": "United States",
        "generic": True,
    },
    {
        "name": "United States Department of Homeland Security",
        "category": "state",
        "aliases": ["Department of Homeland Security", "Homeland Security Department", "DHS"],
        "affiliation": "United States",
    },
    {
        "name": "U.S. Immigration and Customs Enforcement",
        "category": "state",
        "aliases": ["Immigration and Customs Enforcement", "ICE"],
        "affiliation": "United States",
        "ambiguous_aliases": ["ICE"],
    },
    {
        "name": "United States Border Patrol",
        "category": "state",
        "aliases": ["Border Patrol", "U.S. Border Patrol"],
        "affiliation": "United States",
    },
    {
        "name": "Federal Bureau of Investigation",
        "category": "state",
        "aliases": ["FBI", "F.B.I."],
        "affiliation": "United States",
    },
    {
        "name": "Central Intelligence Agency",
        "category": "state",
        "aliases": ["CIA", "C.I.A."],
        "affiliation": "United States",
    },
    {"name": "National Security Agency", "category": "state", "aliases": ["NSA"], "affiliation": "United States"},
    {
        "name": "Federal Reserve",
        "category": "state",
        "aliases": ["the Fed", "U.S. Federal Reserve", "US Federal Reserve"],
        "affiliation": "United States",
    },
    {
        "name": "United States Navy",
        "category": "state",
        "aliases": ["U.S. Navy", "US Navy"],
        "affiliation": "United States",
    },
    {
        "name": "United States Army",
        "category": "state",
        "aliases": ["U.S. Army", "US Army"],
        "affiliation": "United States",
    },
    {
        "name": "United States military",
        "category": "state",
        "aliases": ["U.S. military", "US military", "American military"],
        "affiliation": "United States",
    },
    {
        "name": "Republican National Committee",
        "category": "party_body",
        "aliases": ["RNC"],
        "affiliation": "Republican Party",
    },
    {
        "name": "Democratic National Committee",
        "category": "party_body",
        "aliases": ["DNC"],
        "affiliation": "Democratic Party",
    },
    # other state institutions
    {
        "name": "House of Commons",
        "category": "state",
        "aliases": ["British House of Commons", "UK House of Commons"],
        "affiliation": "United Kingdom",
    },
    {
        "name": "Israel Defense Forces",
        "category": "state",
        "aliases": ["IDF", "Israeli Defense Forces", "Israeli military", "Israeli army"],
        "affiliation": "Israel",
    },
    {"name": "Mossad", "category": "state", "affiliation": "Israel"},
    {"name": "Knesset", "category": "state", "affiliation": "Israel"},
    {
        "name": "Islamic Revolutionary Guard Corps",
        "category": "state",
        "aliases": [
            "IRGC",
            "Revolutionary Guards",
            "Revolutionary Guard",
            "Revolutionary Guard Corps",
            "Iranian Revolutionary Guard Corps",
            "Iran's Revolutionary Guards",
            "Iranian Revolutionary Guards",
        ],
        "affiliation": "Iran",
    },
    {
        "name": "Quds Force",
        "category": "state",
        "aliases": ["Qods Force"],
        "affiliation": "Islamic Revolutionary Guard Corps",
    },
    {
        "name": "Palestinian Authority",
        "category": "state",
        "aliases": ["Palestinian National Authority"],
        "affiliation": "Palestine",
    },
    {"name": "FSB", "category": "state", "aliases": ["Federal Security Service"], "affiliation": "Russia"},
    # armed groups
    {"name": "Hezbollah", "category": "armed_group", "aliases": ["Hizbollah", "Hizballah", "Hezbullah", "Hizbullah"]},
    {"name": "Hamas", "category": "armed_group", "aliases": ["HAMAS"]},
    {
        "name": "Houthis",
        "category": "armed_group",
        "aliases": ["Houthi", "Houthi rebels", "Houthi movement", "Ansar Allah", "Ansarallah"],
    },
    {
        "name": "Islamic State",
        "category": "armed_group",
        "aliases": ["ISIS", "ISIL", "Daesh", "Islamic State group", "IS group"],
    },
    {
        "name": "al-Qaeda",
        "category": "armed_group",
        "aliases": ["Al Qaeda", "al Qaeda", "Al-Qaeda", "al-Qaida", "Al-Qaida", "al Qaida"],
    },
    {"name": "Taliban", "category": "armed_group", "aliases": ["the Taliban"]},
    {"name": "Palestinian Islamic Jihad", "category": "armed_group", "aliases": ["Islamic Jihad"]},
    {"name": "Wagner Group", "category": "armed_group", "aliases": ["Wagner mercenary group"]},
    {"name": "Kataib Hezbollah", "category": "armed_group", "aliases": ["Kata'ib Hezbollah"]},
    {"name": "PKK", "category": "armed_group", "aliases": ["Kurdistan Workers' Party", "Kurdistan Workers Party"]},
    {"name": "Syrian Democratic Forces", "category": "armed_group", "aliases": ["SDF"]},
    {"name": "Hayat Tahrir al-Sham", "category": "armed_group", "aliases": ["HTS"]},
    {"name": "al-Shabaab", "category": "armed_group", "aliases": ["Al-Shabaab", "al-Shabab", "Al-Shabab"]},
    {"name": "Boko Haram", "category": "armed_group"},
    {"name": "Rapid Support Forces", "category": "armed_group", "aliases": ["RSF"]},
    {"name": "Muslim Brotherhood", "category": "armed_group"},
    # parties (kind "group": collectives of members, "Democrats")
    {
        "name": "Democratic Party",
        "kind": "group",
        "category": "party",
        "country": "United States",
        "aliases": ["Democrats", "Democrat", "Democratic", "Dems", "Democratic Party (United States)"],
    },
    {
        "name": "Republican Party",
        "kind": "group",
        "category": "party",
        "country": "United States",
        "aliases": ["Republicans", "Republican", "GOP", "G.O.P.", "Grand Old Party"],
    },
    {
        "name": "Conservative Party",
        "kind": "group",
        "category": "party",
        "country": "United Kingdom",
        "aliases": ["Conservatives", "Tories", "Tory", "Conservative Party (UK)"],
    },
    {"name": "Labour Party", "kind": "group", "category": "party", "country": "United Kingdom", "aliases": ["Labour"]},
    {
        "name": "Liberal Democrats",
        "kind": "group",
        "category": "party",
        "country": "United Kingdom",
        "aliases": ["Lib Dems", "Liberal Democrat Party"],
    },
    {
        "name": "Scottish National Party",
        "kind": "group",
        "category": "party",
        "country": "United Kingdom",
        "aliases": ["SNP"],
    },
    {"name": "Reform UK", "kind": "group", "category": "party", "country": "United Kingdom"},
    # Green parties of many countries; the article says which one
    {"name": "Greens", "kind": "group", "category": "party", "country": None, "aliases": ["Green Party", "the Greens"]},
    {
        "name": "Christian Democratic Union",
        "kind": "group",
        "category": "party",
        "country": "Germany",
        "aliases": ["CDU"],
    },
    {
        "name": "Social Democratic Party of Germany",
        "kind": "group",
        "category": "party",
        "country": "Germany",
        "aliases": ["SPD"],
    },
    {"name": "Alternative for Germany", "kind": "group", "category": "party", "country": "Germany", "aliases": ["AfD"]},
    {
        "name": "National Rally",
        "kind": "group",
        "category": "party",
        "country": "France",
        "aliases": ["Rassemblement National"],
    },
    {"name": "Likud", "kind": "group", "category": "party", "country": "Israel"},
    {"name": "Bharatiya Janata Party", "kind": "group", "category": "party", "country": "India", "aliases": ["BJP"]},
    {"name": "Indian National Congress", "kind": "group", "category": "party", "country": "India"},
    {
        "name": "African National Congress",
        "kind": "group",
        "category": "party",
        "country": "South Africa",
        "aliases": ["ANC"],
    },
    {
        "name": "Chinese Communist Party",
        "kind": "group",
        "category": "party",
        "country": "China",
        "aliases": ["CCP", "Communist Party of China", "CPC"],
    },
    {"name": "United Russia", "kind": "group", "category": "party", "country": "Russia"},
    {
        "name": "Justice and Development Party",
        "kind": "group",
        "category": "party",
        "country": "Turkey",
        "aliases": ["AKP", "AK Party"],
    },
    {"name": "Fidesz", "kind": "group", "category": "party", "country": "Hungary"},
    {"name": "Fatah", "kind": "group", "category": "party", "country": "Palestine"},
]

# ---------------------------------------------------------------------------------------
# Persons: a few heads of state/government, ministers and leaders (news of 2015-2026).
#   affiliation: the state/organisation they speak (spoke) for; role: for humans only.
#   aliases: only surnames that are unambiguous in news.
# ---------------------------------------------------------------------------------------
PERSONS: list[dict[str, Any]] = [
    {
        "name": "Donald Trump",
        "aliases": ["Trump", "Donald J. Trump", "Donald John Trump"],
        "affiliation": "United States",
        "role": "President of the United States",
        "head": True,
    },
    {
        "name": "Joe Biden",
        "aliases": ["Biden", "Joseph R. Biden", "Joseph Biden", "Joseph R. Biden Jr."],
        "affiliation": "United States",
        "role": "President of the United States (2021-2025)",
        "head": True,
    },
    {
        "name": "Barack Obama",
        "aliases": ["Obama", "Barack H. Obama"],
        "affiliation": "United States",
        "role": "President of the United States (2009-2017)",
        "head": True,
    },
    {
        "name": "George W. Bush",
        "aliases": [],
        "affiliation": "United States",
        "role": "President of the United States (2001-2009)",
        "head": True,
    },
    {
        "name": "Bill Clinton",
        "aliases": ["William J. Clinton"],
        "affiliation": "United States",
        "role": "President of the United States (1993-2001)",
        "head": True,
    },
    {
        "name": "JD Vance",
        "aliases": ["J.D. Vance", "Vance"],
        "affiliation": "United States",
        "role": "Vice President of the United States",
    },
    {
        "name": "Mike Pence",
        "aliases": ["Pence"],
        "affiliation": "United States",
        "role": "Vice President of the United States (2017-2021)",
    },
    {
        "name": "Kamala Harris",
        "aliases": [],
        "affiliation": "United States",
        "role": "Vice President of the United States (2021-2025)",
    },
    {"name": "Marco Rubio", "aliases": ["Rubio"], "affiliation": "United States", "role": "Secretary of State"},
    {
        "name": "Antony Blinken",
        "aliases": ["Blinken"],
        "affiliation": "United States",
        "role": "Secretary of State (2021-2025)",
    },
    {
        "name": "Mike Pompeo",
        "aliases": ["Pompeo"],
        "affiliation": "United States",
        "role": "Secretary of State (2018-2021)",
    },
    {"name": "Pete Hegseth", "aliases": ["Hegseth"], "affiliation": "United States", "role": "Secretary of Defense"},
    {
        "name": "Benjamin Netanyahu",
        "aliases": ["Netanyahu", "Bibi Netanyahu"],
        "affiliation": "Israel",
        "role": "Prime Minister of Israel",
        "head": True,
    },
    {
        "name": "Isaac Herzog",
        "aliases": ["Herzog"],
        "affiliation": "Israel",
        "role": "President of Israel",
        "head": True,
    },
    {
        "name": "Ali Khamenei",
        "aliases": ["Khamenei", "Ayatollah Khamenei", "Ayatollah Ali Khamenei", "Sayyid Ali Khamenei"],
        "affiliation": "Iran",
        "role": "Supreme Leader of Iran",
        "head": True,
    },
    {
        "name": "Masoud Pezeshkian",
        "aliases": ["Pezeshkian"],
        "affiliation": "Iran",
        "role": "President of Iran",
        "head": True,
    },
    {
        "name": "Vladimir Putin",
        "aliases": ["Putin", "Vladimir V. Putin"],
        "affiliation": "Russia",
        "role": "President of Russia",
        "head": True,
    },
    {
        "name": "Sergei Lavrov",
        "aliases": ["Lavrov", "Sergey Lavrov"],
        "affiliation": "Russia",
        "role": "Foreign Minister of Russia",
    },
    {
        "name": "Volodymyr Zelensky",
        "aliases": ["Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"],
        "affiliation": "Ukraine",
        "role": "President of Ukraine",
        "head": True,
    },
    {"name": "Xi Jinping", "aliases": ["Xi"], "affiliation": "China", "role": "President of China", "head": True},
    {"name": "Wang Yi", "aliases": [], "affiliation": "China", "role": "Foreign Minister of China"},
    {
        "name": "Emmanuel Macron",
        "aliases": ["Macron"],
        "affiliation": "France",
        "role": "President of France",
        "head": True,
    },
    {
        "name": "Keir Starmer",
        "aliases": ["Starmer"],
        "affiliation": "United Kingdom",
        "role": "Prime Minister of the United Kingdom",
        "head": True,
    },
    {
        "name": "Rishi Sunak",
        "aliases": ["Sunak"],
        "affiliation": "United Kingdom",
        "role": "Prime Minister of the United Kingdom (2022-2024)",
        "head": True,
    },
    {
        "name": "Friedrich Merz",
        "aliases": ["Merz"],
        "affiliation": "Germany",
        "role": "Chancellor of Germany",
        "head": True,
    },
    {
        "name": "Olaf Scholz",
        "aliases": ["Scholz"],
        "affiliation": "Germany",
        "role": "Chancellor of Germany (2021-2025)",
        "head": True,
    },
    {
        "name": "Angela Merkel",
        "aliases": ["Merkel"],
        "affiliation": "Germany",
        "role": "Chancellor of Germany (2005-2021)",
        "head": True,
    },
    {
        "name": "Giorgia Meloni",
        "aliases": ["Meloni"],
        "affiliation": "Italy",
        "role": "Prime Minister of Italy",
        "head": True,
    },
    {
        "name": "Recep Tayyip Erdogan",
        "aliases": ["Erdogan", "Erdoğan", "Recep Tayyip Erdoğan", "Tayyip Erdogan"],
        "affiliation": "Turkey",
        "role": "President of Turkey",
        "head": True,
    },
    {
        "name": "Narendra Modi",
        "aliases": ["Modi"],
        "affiliation": "India",
        "role": "Prime Minister of India",
        "head": True,
    },
    {
        "name": "Mohammed bin Salman",
        "aliases": ["MBS", "Mohammad bin Salman", "Crown Prince Mohammed bin Salman"],
        "affiliation": "Saudi Arabia",
        "role": "Crown Prince and Prime Minister of Saudi Arabia",
        "head": True,
    },
    {
        "name": "Kim Jong Un",
        "aliases": ["Kim Jong-un", "Kim Jong-Un"],
        "affiliation": "North Korea",
        "role": "Supreme Leader of North Korea",
        "head": True,
    },
    {
        "name": "Mark Carney",
        "aliases": ["Carney"],
        "affiliation": "Canada",
        "role": "Prime Minister of Canada",
        "head": True,
    },
    {
        "name": "Justin Trudeau",
        "aliases": ["Trudeau"],
        "affiliation": "Canada",
        "role": "Prime Minister of Canada (2015-2025)",
        "head": True,
    },
    {
        "name": "Claudia Sheinbaum",
        "aliases": ["Sheinbaum"],
        "affiliation": "Mexico",
        "role": "President of Mexico",
        "head": True,
    },
    {
        "name": "Luiz Inácio Lula da Silva",
        "aliases": ["Lula", "Luiz Inacio Lula da Silva"],
        "affiliation": "Brazil",
        "role": "President of Brazil",
        "head": True,
    },
    {
        "name": "Javier Milei",
        "aliases": ["Milei"],
        "affiliation": "Argentina",
        "role": "President of Argentina",
        "head": True,
    },
    {
        "name": "Nicolás Maduro",
        "aliases": ["Maduro", "Nicolas Maduro"],
        "affiliation": "Venezuela",
        "role": "President of Venezuela",
        "head": True,
    },
    {
        "name": "Bashar al-Assad",
        "aliases": ["Assad", "al-Assad", "Bashar Assad"],
        "affiliation": "Syria",
        "role": "President of Syria (2000-2024)",
        "head": True,
    },
    {
        "name": "Ahmed al-Sharaa",
        "aliases": ["al-Sharaa", "Sharaa"],
        "affiliation": "Syria",
        "role": "President of Syria",
        "head": True,
    },
    {
        "name": "Mahmoud Abbas",
        "aliases": [],
        "affiliation": "Palestinian Authority",
        "role": "President of the Palestinian Authority",
        "head": True,
    },
    {
        "name": "Abdel Fattah el-Sisi",
        "aliases": ["Sisi", "el-Sisi", "al-Sisi", "Abdel Fattah al-Sisi"],
        "affiliation": "Egypt",
        "role": "President of Egypt",
        "head": True,
    },
    {
        "name": "Viktor Orbán",
        "aliases": ["Orban", "Orbán", "Viktor Orban"],
        "affiliation": "Hungary",
        "role": "Prime Minister of Hungary",
        "head": True,
    },
    {
        "name": "Ursula von der Leyen",
        "aliases": ["von der Leyen"],
        "affiliation": "European Commission",
        "role": "President of the European Commission",
    },
    {
        "name": "António Guterres",
        "aliases": ["Guterres", "Antonio Guterres"],
        "affiliation": "United Nations",
        "role": "Secretary-General of the United Nations",
    },
    {"name": "Mark Rutte", "aliases": ["Rutte"], "affiliation": "NATO", "role": "Secretary General of NATO"},
    {
        "name": "Rafael Grossi",
        "aliases": ["Grossi", "Rafael Mariano Grossi"],
        "affiliation": "IAEA",
        "role": "Director General of the IAEA",
    },
    {
        "name": "Hassan Nasrallah",
        "aliases": ["Nasrallah"],
        "affiliation": "Hezbollah",
        "role": "Secretary-General of Hezbollah (1992-2024)",
    },
    {
        "name": "Naim Qassem",
        "aliases": ["Qassem"],
        "affiliation": "Hezbollah",
        "role": "Secretary-General of Hezbollah",
    },
    {"name": "Yahya Sinwar", "aliases": ["Sinwar"], "affiliation": "Hamas", "role": "Leader of Hamas (2024)"},
]


def plural_of(demonym: str) -> str | None:
    """Plural noun for a demonym ("Iranian" -> "Iranians"); None where English has none."""
    if demonym.endswith(NO_PLURAL_SUFFIXES):
        return None
    return demonym + "s"


def _usable_alias(text: str) -> bool:
    if not text or text in DROPPED_ALIASES:
        return False
    if len(text) <= 3 and text.isupper():  # ISO codes: too ambiguous in running text
        return False
    if any(ord(c) > 0x24F for c in text):  # non-Latin scripts
        return False
    return bool(re.search(r"[A-Za-z]", text))


def _fact(text: str, source: str) -> dict[str, str]:
    return {"text": text, "source": source}


def _add(facts: list[dict[str, str]], text: str | None, source: str, seen: set[str]) -> None:
    if text and text not in seen:
        seen.add(text)
        facts.append(_fact(text, source))


def _load_countryinfo() -> dict[str, dict[str, Any]]:
    """countryinfo's per-country JSON, keyed by ISO alpha-2 (entries with a demonym win)."""
    try:
        import countryinfo  # build-time only
    except ImportError as exc:  # pragma: no cover - build tooling
        raise SystemExit("build_kb.py needs the build-time package: pip install countryinfo==1.0.1") from exc
    base = Path(countryinfo.__file__).parent / "data"
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(glob.glob(os.path.join(base, "*.json"))):
        with open(path, encoding="utf-8") as f:
            try:
                info = json.load(f)
            except json.JSONDecodeError:
                continue
        a2 = (info.get("ISO") or {}).get("alpha2")
        if not a2:
            continue
        if a2 not in out or (not out[a2].get("demonym") and info.get("demonym")):
            out[a2] = info
    return out


def build_countries() -> list[dict[str, Any]]:
    """One entry per ISO 3166-1 country, with sourced aliases, demonyms and metonyms."""
    import pycountry

    ci = _load_countryinfo()
    entries = []
    for c in pycountry.countries:
        a2 = c.alpha_2
        cur = CURATED_COUNTRIES.get(a2, {})
        info = ci.get(a2, {})
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        if "name" in cur:
            name, name_source = cur["name"], "curated"
        elif common:
            name, name_source = common, "pycountry"
        else:
            name, name_source = c.name, "pycountry"
        seen: set[str] = set()
        aliases: list[dict[str, str]] = []
        _add(aliases, name, name_source, seen)
        for text in (c.name, common, official):
            if text and _usable_alias(text):
                _add(aliases, text, "pycountry", seen)
        for text in cur.get("aliases", []):
            _add(aliases, text, "curated", seen)
        if info.get("name") and _usable_alias(info["name"]):
            _add(aliases, info["name"], "countryinfo", seen)
        for text in info.get("altSpellings") or []:
            if _usable_alias(text) and text.strip() == text:
                _add(aliases, text, "countryinfo", seen)
        dseen: set[str] = set()
        demonyms: list[dict[str, str]] = []
        for text in cur.get("demonyms", []):
            _add(demonyms, text, "curated", dseen)
        if "demonyms" not in cur or cur["demonyms"]:
            dem = info.get("demonym")
            if isinstance(dem, str) and dem and _usable_alias(dem):
                _add(demonyms, dem, "countryinfo", dseen)
        pseen: set[str] = set()
        plurals: list[dict[str, str]] = []
        if "plurals" in cur:
            for text in cur["plurals"]:
                _add(plurals, text, "curated", pseen)
        else:
            for d in demonyms:
                p = plural_of(d["text"])
                if p:
                    _add(plurals, p, "derived", pseen)
        capital = cur.get("capital")
        cap_source = "curated"
        if not capital:
            cap = info.get("capital")
            capital = cap[0] if isinstance(cap, list) and cap else cap
            cap_source = "countryinfo"
        metonyms = [_fact(t, "curated") for t in cur.get("metonyms", [])]
        entries.append(
            {
                "id": f"country:{a2}",
                "name": name,
                "kind": "country",
                "category": "state",
                "codes": {"alpha2": a2, "alpha3": c.alpha_3, "source": "pycountry"},
                "official_name": official or c.name,
                "aliases": aliases,
                "demonyms": demonyms,
                "plurals": plurals,
                "capital": {"text": capital, "source": cap_source} if capital else None,
                "metonyms": metonyms,
                "affiliation": None,
                "ambiguous": bool(cur.get("ambiguous", False)),
                "source": name_source,
            }
        )
    _drop_collisions(entries)
    entries.sort(key=lambda e: e["name"])
    return entries


def _drop_collisions(entries: list[dict[str, Any]]) -> None:
    """Remove non-curated surface forms claimed by more than one country."""
    owners: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for e in entries:
        for field in ("aliases", "demonyms", "plurals"):
            for f in e[field]:
                owners.setdefault(f["text"], []).append((e, field))
    for text, claims in owners.items():
        if len({id(e) for e, _ in claims}) < 2:
            continue
        curated = [(e, fld) for e, fld in claims if any(f["text"] == text and f["source"] == "curated" for f in e[fld])]
        if not curated:  # prefer a newsworthy (curated) state over territories
            curated = [
                (e, fld) for e, fld in claims if e["codes"]["alpha2"] in CURATED_COUNTRIES and e["source"] == "curated"
            ]
        keep = {id(e) for e, _ in curated[:1]}
        for e, fld in claims:
            if id(e) not in keep:
                e[fld] = [f for f in e[fld] if f["text"] != text]
        logger.info(
            "surface %r claimed by %d countries; kept %s", text, len(claims), [e["name"] for e, _ in curated[:1]]
        )


# US states that are also other things in news: left to spaCy.
SUBNATIONAL_SKIP = {"US-WA", "US-GA", "US-DC"}


def build_subnational() -> list[dict[str, Any]]:
    """US states (pycountry ISO 3166-2): state governments act in US news ("Texas sued")."""
    import pycountry

    entries = []
    for sub in pycountry.subdivisions.get(country_code="US"):
        if sub.type != "State" or sub.code in SUBNATIONAL_SKIP:
            continue
        entries.append(
            {
                "id": f"subnational:{sub.code}",
                "name": sub.name,
                "kind": "country",
                "category": "subnational",
                "codes": {"iso3166_2": sub.code, "source": "pycountry"},
                "aliases": [_fact(sub.name, "pycountry")],
                "demonyms": [],
                "plurals": [],
                "capital": None,
                "metonyms": [],
                "affiliation": None,
                "country": "United States",
                "ambiguous": False,
                "source": "pycountry",
            }
        )
    entries.sort(key=lambda e: e["name"])
    return entries


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_organisations(country_names: set[str]) -> list[dict[str, Any]]:
    entries = []
    names = {o["name"] for o in ORGANISATIONS}
    for o in ORGANISATIONS:
        aff = o.get("affiliation")
        if aff is not None and aff not in country_names and aff not in names:
            raise ValueError(f"organisation {o['name']!r}: unknown affiliation {aff!r}")
        entries.append(
            {
                "id": f"org:{_slug(o['name'])}",
                "name": o["name"],
                "kind": o.get("kind", "organisation"),
                "category": o["category"],
                "aliases": [_fact(o["name"], "curated")] + [_fact(a, "curated") for a in o.get("aliases", [])],
                "metonyms": [_fact(a, "curated") for a in o.get("metonyms", [])],
                "ambiguous_aliases": list(o.get("ambiguous_aliases", [])),
                "affiliation": aff,
                "country": o.get("country"),
                "generic": bool(o.get("generic", False)),
                "source": "curated",
            }
        )
    return entries


def build_persons(known: set[str]) -> list[dict[str, Any]]:
    entries = []
    for p in PERSONS:
        if p["affiliation"] not in known:
            raise ValueError(f"person {p['name']!r}: unknown affiliation {p['affiliation']!r}")
        entries.append(
            {
                "id": f"person:{_slug(p['name'])}",
                "name": p["name"],
                "kind": "person",
                "category": "head" if p.get("head") else "official",
                "aliases": [_fact(p["name"], "curated")] + [_fact(a, "curated") for a in p.get("aliases", [])],
                "affiliation": p["affiliation"],
                "role": p["role"],
                "source": "curated",
            }
        )
    return entries


def build() -> dict[str, dict[str, Any]]:
    """Build all three files' contents (``{filename: document}``)."""
    import pycountry

    countries = build_countries() + build_subnational()
    country_names = {c["name"] for c in countries}
    orgs = build_organisations(country_names)
    persons = build_persons(country_names | {o["name"] for o in orgs})
    header = {
        "schema": SCHEMA_VERSION,
        "generated_by": "stance/resources/kb/build_kb.py",
        "sources": {
            "pycountry": (
                f"pycountry {getattr(pycountry, '__version__', '')} (ISO 3166-1 names, official names, codes)"
            ).replace("  ", " "),
            "countryinfo": "countryinfo 1.0.1 (MIT): demonyms, capitals, alternative spellings",
            "curated": "hand-curated by the stance developers (news usage)",
            "derived": "plural formed from a demonym by build_kb.plural_of",
        },
    }
    return {
        "countries.json": {**header, "entries": countries},
        "organisations.json": {**header, "entries": orgs},
        "persons.json": {**header, "entries": persons},
    }


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped files differ from a rebuild")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    docs = build()
    stale = []
    for name, doc in docs.items():
        path = args.out / name
        text = _dump(doc)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {path} ({len(doc['entries'])} entries)\n")
    if stale:
        sys.stdout.write(f"out of date: {', '.join(stale)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
