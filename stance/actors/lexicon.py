"""Word lists the actor rules use: titles, role nouns, collective nouns, prepositions.

All entries are lower case without a final period; compare with :func:`word_key`.

Example:
    >>> word_key("Mr.") in TITLE_WORDS, word_key("envoy") in ROLE_HEADS
    (True, True)
"""

from __future__ import annotations

__all__ = [
    "TITLE_WORDS",
    "ROLE_HEADS",
    "ROLE_MODIFIERS",
    "GROUP_NOUNS",
    "STATE_GROUP_NOUNS",
    "LOCATIVE_PREPOSITIONS",
    "GOVERNMENT_NOUNS",
    "NON_ACTOR_HEADS",
    "NAME_SUFFIXES",
    "word_key",
]


def word_key(word: str) -> str:
    """Lower-case ``word`` without surrounding periods and curly quotes.

    Example:
        >>> word_key("Sen.")
        'sen'
    """
    return word.strip().strip(".").replace("’", "'").lower()


#: Honorifics and offices that precede a person's name ("President Donald Trump",
#: "Mr. Trump", "Ayatollah Ali Khamenei"): stripped from names, and a vote for "person".
TITLE_WORDS: frozenset[str] = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father
    president vice prime minister premier chancellor secretary deputy
    king queen prince princess crown emir sheikh sheik sultan ayatollah grand supreme leader pope taoiseach
    sen senator rep representative congressman congresswoman gov governor mayor lt
    judge justice chief gen general adm admiral col colonel maj major capt captain sgt cmdr commander
    speaker ambassador envoy special attorney counsel spokesman spokeswoman spokesperson
    chairman chairwoman chair director commissioner first former late acting
    foreign defense defence interior finance state
    """.split()
)

#: Nouns that head a role noun phrase ("Iran's foreign minister", "US special envoy").
ROLE_HEADS: frozenset[str] = frozenset(
    """
    president minister premier chancellor secretary secretary-general leader ayatollah king queen prince emir
    sheikh sultan envoy ambassador diplomat spokesman spokeswoman spokesperson official officials
    negotiator adviser advisor aide chief head commander general admiral senator congressman
    congresswoman representative governor mayor speaker whip director chairman chairwoman chair
    commissioner counsel attorney judge justice prosecutor lawmaker legislator member candidate
    nominee strategist lawyer ceo founder correspondent reporter analyst deputy mp
    """.split()
)

#: Words allowed inside a role phrase besides the head.
ROLE_MODIFIERS: frozenset[str] = frozenset(
    """
    foreign defense defence interior finance economy trade energy health justice security
    national state special top senior chief deputy acting former then supreme prime vice
    majority minority house senate press white campaign military intelligence armed forces
    general attorney principal permanent grand crown new current outgoing incoming of affairs
    and the for
    """.split()
)

#: Collective nouns that make a "group" actor when they act (grammatical subject).
GROUP_NOUNS: frozenset[str] = frozenset(
    """
    protesters protestors demonstrators rioters rebels insurgents militants fighters jihadists
    militias activists campaigners students workers strikers unions voters lawmakers legislators
    senators conservatives liberals progressives critics opponents supporters residents settlers
    farmers doctors nurses teachers soldiers troops refugees migrants immigrants citizens
    islamists separatists hardliners reformists moderates loyalists nationalists
    environmentalists prosecutors investigators police fishermen miners truckers pensioners
    consumers exporters carmakers automakers growers parents lawyers
    """.split()
)

#: Group nouns whose members act for their state ("Israeli troops", "Iranian lawmakers"): a
#: demonym before them stays the country. Before any other group noun ("French farmers") the
#: demonym only says who the group is.
STATE_GROUP_NOUNS: frozenset[str] = frozenset(
    "soldiers troops police lawmakers legislators senators prosecutors investigators".split()
)

#: Prepositions that make a capital or city a place, not an actor ("embassy in Tehran").
LOCATIVE_PREPOSITIONS: frozenset[str] = frozenset(
    """
    in at to from into inside outside near around across within throughout toward towards
    via through over onto beyond off out
    """.split()
)

#: Nouns after which a modifier country/capital/leader acts as the state
#: ("the Tehran government", "the Trump administration").
GOVERNMENT_NOUNS: frozenset[str] = frozenset("administration government regime cabinet".split())

#: Last words that make an ORG-labelled span an event, document or thing, not an actor.
NON_ACTOR_HEADS: frozenset[str] = frozenset(
    """
    revolution war wars agreement accord accords deal act treaty protocol summit talks
    conference plan initiative crisis election elections image program programme day
    olympics games cup prize award index report doctrine strategy law bill amendment
    """.split()
)

#: Name suffixes ignored when comparing person names.
NAME_SUFFIXES: frozenset[str] = frozenset("jr sr ii iii iv".split())

#: Common English nicknames -> the formal first name, so "Jim Clyburn" = "James Clyburn".
NICKNAMES: dict[str, str] = {
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "bill": "william",
    "billy": "william",
    "will": "william",
    "willie": "william",
    "bob": "robert",
    "bobby": "robert",
    "rob": "robert",
    "robbie": "robert",
    "mike": "michael",
    "mickey": "michael",
    "joe": "joseph",
    "joey": "joseph",
    "tom": "thomas",
    "tommy": "thomas",
    "chuck": "charles",
    "charlie": "charles",
    "dick": "richard",
    "rick": "richard",
    "rich": "richard",
    "ricky": "richard",
    "ted": "edward",
    "ed": "edward",
    "eddie": "edward",
    "ned": "edward",
    "dan": "daniel",
    "danny": "daniel",
    "dave": "david",
    "steve": "steven",
    "stephen": "steven",
    "tony": "anthony",
    "antony": "anthony",
    "nick": "nicholas",
    "pete": "peter",
    "sam": "samuel",
    "ben": "benjamin",
    "bibi": "benjamin",
    "alex": "alexander",
    "andy": "andrew",
    "drew": "andrew",
    "matt": "matthew",
    "chris": "christopher",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cathy": "katherine",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "betsy": "elizabeth",
    "sue": "susan",
    "jen": "jennifer",
    "jenny": "jennifer",
    "larry": "lawrence",
    "don": "donald",
    "ron": "ronald",
    "greg": "gregory",
    "jeff": "jeffrey",
    "geoff": "jeffrey",
    "ken": "kenneth",
    "kenny": "kenneth",
    "tim": "timothy",
    "vlad": "vladimir",
}
