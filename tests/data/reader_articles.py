"""Short news articles written for the tests (not taken from any corpus), with the positions a reader would list.

Each article covers one pattern of issue #22: a pronoun or possessive standing for the actor, a role or title,
a capital standing for its government, a quote whose speaker is named in the next sentence, "X said in a
statement that ...", a vague issue noun ("the plan"), one issue under several words (tariffs / duties /
measure), an industry body that must not be rolled up to its country, a short form of an organisation, a
stance toward another actor, and the two constructions behind the seed article's known errors (a strike an
actor launched, threats an actor is asked to halt).

``expected`` rows are ``(actor names, stance, issue words)``: the actor may be named by any of the names,
and the position's issue (its name or one of its phrases) must contain one of the words. A list of rows is
one position that a reader may put either way ("for the ban" or "against vapes").
"""

from __future__ import annotations

ARTICLES: list[dict] = [
    {
        "pattern": "pronoun",
        "text": "Brewers Guild Warns Over Bottle Deposit\n"
        "The national bottle deposit scheme moved a step closer on Tuesday. The Brewers Guild of Ontario wrote to "
        "ministers about the deposit scheme. It said the scheme would cost hundreds of jobs at small breweries and "
        "should be scrapped.",
        "expected": [(("Brewers Guild of Ontario", "Brewers Guild"), "against", ("deposit", "scheme"))],
    },
    {
        "pattern": "possessive",
        "text": "The Netherlands moved to ban disposable vapes on Monday. Its health minister told parliament that the "
        "ban would protect teenagers. The Vaping Industry Association opposed the ban, saying it would fuel a black "
        "market.",
        "expected": [
            [(("Netherlands",), "favor", ("ban",)), (("Netherlands",), "against", ("vape",))],
            (("Vaping Industry Association",), "against", ("ban", "vape")),
        ],
    },
    {
        "pattern": "role",
        "text": "German Chancellor Friedrich Merz met French President Emmanuel Macron in Paris on Friday. The "
        "chancellor rejected joint European debt for defence spending. Macron backed joint borrowing, arguing that "
        "Europe must pay for its security together.",
        "expected": [
            (("Friedrich Merz", "Germany"), "against", ("debt", "borrowing")),
            (("Emmanuel Macron", "France"), "favor", ("debt", "borrowing")),
        ],
    },
    {
        "pattern": "capital",
        "text": "Beijing condemned the new American export controls on advanced chips on Thursday. Washington defended "
        "the export controls as necessary for national security.",
        "expected": [
            (("China", "Beijing"), "against", ("export control", "chip")),
            (("United States", "Washington", "US", "U.S."), "favor", ("export control", "chip")),
        ],
    },
    {
        "pattern": "quote speaker in the next sentence",
        "text": '"We will not accept a trade deal that sells out our farmers," said the statement. It was issued by '
        "the Irish Farmers' Association on Wednesday. The European Commission defended the Mercosur trade deal, "
        "saying it opens markets for European exporters.",
        "expected": [
            (("Irish Farmers' Association", "Irish Farmers Association"), "against", ("trade deal", "mercosur")),
            (("European Commission",), "favor", ("trade deal", "mercosur")),
        ],
    },
    {
        "pattern": "said in a statement that",
        "text": "Amnesty International said in a statement that the new protest law violated basic rights. The Home "
        "Office said the protest law was needed to stop disruption on the roads.",
        "expected": [
            (("Amnesty International",), "against", ("protest law",)),
            (("Home Office",), "favor", ("protest law",)),
        ],
    },
    {
        "pattern": "vague issue noun",
        "text": "Brussels Proposes Tariffs on Chinese Electric Vehicles\n"
        "The European Commission proposed tariffs of up to 38 percent on electric vehicles imported from China. "
        "China's commerce ministry said the plan was protectionism in disguise and vowed to defend its companies.",
        "expected": [
            (("European Commission",), "favor", ("tariff",)),
            (
                ("China", "Chinese Commerce Ministry", "China's commerce ministry", "commerce ministry"),
                "against",
                ("tariff",),
            ),
        ],
    },
    {
        "pattern": "one issue, several words",
        "text": "Canada imposed duties on American steel on Friday. Prime Minister Mark Carney said the tariffs were a "
        "necessary response. The US Chamber of Commerce urged Ottawa to drop the measure, warning it would hurt "
        "workers on both sides of the border.",
        "expected": [
            (("Mark Carney", "Canada"), "favor", ("tariff", "dut", "steel")),
            (("US Chamber of Commerce", "Chamber of Commerce"), "against", ("tariff", "dut", "steel", "measure")),
        ],
    },
    {
        "pattern": "industry body is not its country",
        "text": "The German Engineering Federation criticised the government's plan to phase out gas boilers. Economy "
        "minister Robert Habeck defended the phase-out of gas boilers, saying it would cut emissions.",
        "expected": [
            (("German Engineering Federation",), "against", ("boiler", "phase")),
            (("Robert Habeck", "Germany"), "favor", ("boiler", "phase")),
        ],
    },
    {
        "pattern": "short form",
        "text": "The European Central Bank raised interest rates again on Thursday. The ECB said higher rates were "
        "needed to bring inflation down. Italy's deputy prime minister Matteo Salvini attacked the rate rise, calling "
        "it a gift to the banks.",
        "expected": [
            (("European Central Bank", "ECB"), "favor", ("rate",)),
            (("Matteo Salvini",), "against", ("rate",)),
        ],
    },
    {
        "pattern": "stance toward an actor",
        "text": "Ukraine accused Russia of shelling a power plant overnight. President Volodymyr Zelensky called on "
        "the International Atomic Energy Agency to send inspectors to the plant.",
        "expected": [
            (("Ukraine", "Volodymyr Zelensky"), "against", ("Russia",)),
            (("Volodymyr Zelensky", "Ukraine"), "favor", ("inspector", "International Atomic Energy Agency")),
        ],
    },
    {
        "pattern": "agreement welcomed and rejected",
        "text": "Mexico's President Claudia Sheinbaum welcomed the new water-sharing agreement with the United States. "
        "Texas Governor Greg Abbott rejected the agreement, saying it shortchanged Texan farmers.",
        "expected": [
            (("Claudia Sheinbaum", "Mexico"), "favor", ("water", "agreement")),
            (("Greg Abbott",), "against", ("water", "agreement")),
        ],
    },
    {
        "pattern": "launched strike; asked to halt threats",
        "text": "Israel launched air strikes on Hezbollah positions in southern Lebanon on Sunday. Lebanon's prime "
        "minister Nawaf Salam condemned the strikes. Iran's foreign minister Abbas Araghchi urged Washington to "
        "halt its threats against Iranian shipping.",
        "expected": [
            (("Israel",), "favor", ("strike",)),
            (("Nawaf Salam", "Lebanon"), "against", ("strike",)),
            (("Abbas Araghchi", "Iran"), "against", ("threat",)),
        ],
        "not_expected": [(("United States", "Washington", "US"), "against", ("threat",))],
    },
    {
        "pattern": "pronoun (person) and a role",
        "text": "Finance Minister Rachel Reeves defended the new levy on private jets on Wednesday. She said the levy "
        "would raise money for public transport. The aviation industry group Airlines UK criticised the levy, "
        "warning that it would push business flights abroad.",
        "expected": [
            (("Rachel Reeves",), "favor", ("levy", "jet")),
            (("Airlines UK",), "against", ("levy", "jet")),
        ],
    },
    {
        "pattern": "capital and a ministry",
        "text": "Moscow rejected the proposed ceasefire in a statement on Sunday. Kyiv welcomed the ceasefire proposal "
        "and said it was ready to sign. Turkey's foreign ministry called for both sides to accept the ceasefire.",
        "expected": [
            (("Russia", "Moscow"), "against", ("ceasefire",)),
            (("Ukraine", "Kyiv"), "favor", ("ceasefire",)),
            (("Turkey",), "favor", ("ceasefire",)),
        ],
    },
    {
        "pattern": "appeal to another actor",
        "text": "The World Health Organization urged governments to ban flavoured cigarettes. Philip Morris "
        "International opposed any ban on flavoured cigarettes, saying adults should be free to choose.",
        "expected": [
            [
                (("World Health Organization",), "favor", ("ban",)),
                (("World Health Organization",), "against", ("flavoured cigarettes",)),
            ],
            (("Philip Morris International",), "against", ("ban", "flavoured")),
        ],
        "not_expected": [
            (("World Health Organization",), "against", ("ban",)),
            (("World Health Organization",), "favor", ("governments",)),
        ],
    },
    {
        "pattern": "speech clause judging an issue",
        "text": "Prime Minister Anthony Albanese said the social media ban for teenagers was necessary to protect "
        "children. Meta said the ban was unworkable and would push teenagers to less safe corners of the internet.",
        "expected": [
            (("Anthony Albanese",), "favor", ("ban", "social media")),
            (("Meta",), "against", ("ban", "social media")),
        ],
    },
    {
        "pattern": "a demonym before a group; the group's leader named after its role",
        "text": "Fishermen Block Ports Over Quota Cuts\n"
        "MADRID — Spanish fishermen blocked three ports on Monday to protest the new EU fishing quotas. The "
        "Federation of Galician Fishing Guilds said the quotas would bankrupt family boats. Its president, Xoan "
        "Ribadeo, told reporters that the cuts must be reversed. Portugal's fisheries minister, Ines Carvalho, "
        "defended the quotas as necessary to save cod stocks.",
        "expected": [
            (("Federation of Galician Fishing Guilds",), "against", ("quota", "cut")),
            (("Xoan Ribadeo", "Federation of Galician Fishing Guilds"), "against", ("quota", "cut")),
            (("Ines Carvalho", "Portugal"), "favor", ("quota",)),
        ],
        "not_expected": [
            (("Spain",), "against", ("quota",)),  # fishermen are not the state; MADRID is the dateline
            (("Spain",), "favor", ("quota",)),
        ],
    },
    {
        "pattern": "a demand that another actor act",
        "text": "Canada demanded on Tuesday that India lift its new tariffs on Canadian lentils. New Delhi said the "
        "tariffs would stay in place to protect local growers.",
        "expected": [
            (("Canada",), "against", ("tariff",)),
            (("India", "New Delhi"), "favor", ("tariff",)),
        ],
        "not_expected": [(("India", "New Delhi"), "against", ("tariff",))],
    },
    {
        "pattern": "the maker of an issue backs it, whoever rejects it",
        "text": "Rebels Turn Down Ceasefire Plan\n"
        "The rebel alliance on Saturday turned down a ceasefire plan put forward by Kenya and Ethiopia. Nairobi "
        "said it was disappointed. Uganda, which drafted an earlier version of the plan, urged the rebels to "
        "reconsider.",
        "expected": [
            (("Kenya", "Nairobi"), "favor", ("ceasefire",)),
            (("Ethiopia",), "favor", ("ceasefire",)),
        ],
        "not_expected": [
            (("Kenya", "Nairobi"), "against", ("ceasefire",)),
            (("Ethiopia",), "against", ("ceasefire",)),
        ],
    },
    {
        "pattern": "a vote to introduce a policy; a vague pledge or decision names it",
        "text": "Leeds Approves Tourist Levy\n"
        "Leeds City Council voted on Tuesday to introduce a nightly tourist levy on hotel stays. The Leeds Hoteliers "
        "Association condemned the decision, warning that visitors would go elsewhere. The Green Party welcomed the "
        "pledge to spend the money on parks.",
        "expected": [
            (("Leeds City Council",), "favor", ("levy",)),
            (("Leeds Hoteliers Association",), "against", ("levy",)),
        ],
    },
    {
        "pattern": "an organisation spaCy does not tag; an acronym before its noun; a relative clause's subject",
        "text": "Court Halts Pipeline Permit\n"
        "A federal judge on Monday suspended the permit for the Bayou Crest pipeline. Greenfront, which had "
        "challenged the permit, said the ruling protected wetlands. The pipeline's developer said it would appeal. "
        "The LIUNA union, which represents construction workers, criticised the ruling.",
        "expected": [
            (("Greenfront",), "against", ("permit",)),
            (("LIUNA",), "against", ("ruling",)),
        ],
    },
    {
        "pattern": "a stance noun with its possessor; a party name opening the issue",
        "text": "Coalition Talks Stall Over Pension Reform\n"
        "Talks on a new coalition stalled on Monday amid Austria's Greens' opposition to the pension reform. "
        "The People's Party's support for the reform has not changed, its leader said. The Social Democrats "
        "rejected a Conservative pension bill last year.",
        "expected": [
            (("Greens",), "against", ("pension",)),
            (("People's Party", "Austrian People's Party"), "favor", ("pension", "reform")),
            (("Social Democrats", "Social Democratic Party"), "against", ("pension",)),
        ],
    },
]
