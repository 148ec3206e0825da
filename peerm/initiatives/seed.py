"""The twelve co-operatives of Initiatief.nu as demo data: what they do, who works with them,
and the network's sponsors (what they need is in `peerm/needs/seed.py`). The facts come from
the article "Learning from co-operation: anti-poverty co-operatives in Holland"
(seed/initiatief-nu-article.txt); every text is written anew, in plain Dutch (B1) and plain
English. Where the article is silent, a comment says what was guessed. In a real install the
coordinators write and change all of it.
"""

INITIATIVES = [
    {
        "slug": "vrije-expeditie",
        "name": "Coöperatie De Vrije Expeditie",
        "city": "Breda",
        "legal_form": "cooperative",
        "summary_nl": (
            "Mensen met een uitkering starten hier een eigen onderneming voor een deel van "
            "de week, met weinig regels."
        ),
        "summary_en": (
            "People on benefits start a part-time business of their own here, with few rules."
        ),
        "description_nl": (
            "De Vrije Expeditie is een coöperatie in Breda. De leden hebben een uitkering. "
            "Toch willen ze zelf iets ondernemen.\n\n"
            "De coöperatie geeft hun daar de ruimte voor, met zo min mogelijk regels. Leden "
            "ondernemen een deel van de week. Zo werken ze stap voor stap aan hun eigen "
            "inkomen en laten ze zien wat ze kunnen."
        ),
        "description_en": (
            "De Vrije Expeditie (The Free Expedition) is a co-operative in Breda. Its members "
            "live on benefits. Still, they want to run something of their own.\n\n"
            "The co-operative gives them room to do that, with as few rules as possible. "
            "Members work as entrepreneurs for part of the week. Step by step, they build an "
            "income of their own and show what they can do."
        ),
        "partners": [],
    },
    {
        "slug": "duurzaam-soesterkwartier",
        "name": "Vereniging Duurzaam Soesterkwartier",
        "city": "Amersfoort",
        "legal_form": "association",
        "summary_nl": (
            "Een buurtvereniging waar projecten als Zon op School en de Werkplaats "
            "Soesterkwartier uit groeien."
        ),
        "summary_en": (
            "A neighbourhood association where projects such as Sun on School and the "
            "Soesterkwartier Workplace grow."
        ),
        "description_nl": (
            "Duurzaam Soesterkwartier is een vereniging in de wijk Soesterkwartier in "
            "Amersfoort. Het is een broedplaats. Bewoners beginnen er projecten, die daarna "
            "zelf verder groeien. Twee voorbeelden zijn Zon op School en de Werkplaats "
            "Soesterkwartier.\n\n"
            "De Werkplaats zorgt voor werk in de buurt, zoals hulp in het huishouden en "
            "onderhoud van huurwoningen. Ook werkt de vereniging aan een proef met "
            "energieneutrale woningen in de eigen wijk. Fondsen, klanten, bouwers, "
            "installateurs en de gemeente doen mee.\n\n"
            "De vereniging houdt het geld bewust klein. Grote financiële contracten willen "
            "ze niet. Die geven alleen hoofdpijn en gaan bepalen wat je doet. Levert de "
            "vereniging stroom met zonnepanelen? Dan betaalt de gebruiker dat terug, want "
            "die bespaart er zelf op.\n\n"
            "Ongeveer zestig vrijwilligers zijn actief in werkgroepen. Er is veel kennis in "
            "de vereniging en in het eigen netwerk."
        ),
        "description_en": (
            "Duurzaam Soesterkwartier (Sustainable Soesterkwartier) is an association in the "
            "Soesterkwartier neighbourhood of Amersfoort. It is a breeding ground. Residents "
            "start projects there, and the projects then grow on their own. Two examples are "
            "Sun on School and the Soesterkwartier Workplace.\n\n"
            "The Workplace creates jobs in the neighbourhood, such as help in the home and "
            "upkeep of rented homes. The association also runs a trial with energy-neutral "
            "homes in its own neighbourhood. Funds, customers, builders, installers and the "
            "municipality take part.\n\n"
            "The association keeps its money small on purpose. It wants no big financial "
            "contracts: they only cause headaches and start to set the agenda. When the "
            "association supplies power with solar panels, the user pays it back, because "
            "the user saves money on it.\n\n"
            "About sixty volunteers are active in working groups. There is a lot of "
            "knowledge in the association and in its own network."
        ),
        "partners": [
            {
                "name": "Portaal",
                "kind": "housing",
                "nl": "Woningcorporatie. Doet mee in het buurtteam van Duurzaam Soesterkwartier.",
                "en": "Housing corporation. Takes part in the Sustainable Soesterkwartier "
                      "neighbourhood team.",
            },
            {
                "name": "Gemeente Amersfoort",
                "kind": "municipality",
                "nl": "Vindt de proef met energieneutrale woningen in de wijk belangrijk.",
                "en": "Considers the trial with energy-neutral homes in the neighbourhood "
                      "important.",
            },
            {
                "name": "Bouwers en installateurs uit de wijk",
                "kind": "business",
                "nl": "Doen mee aan de proef met energieneutrale woningen.",
                "en": "Builders and installers from the neighbourhood. They take part in the "
                      "trial with energy-neutral homes.",
            },
        ],
    },
    {
        "slug": "future-of-fame",
        "name": "The Future of Fame",
        "city": "Amersfoort",
        # Guess: the article gives no legal form.
        "legal_form": "foundation",
        "summary_nl": (
            "Helpt jongeren met huiswerk en werk, steunt ondernemers en geeft stagiairs de "
            "ruimte om te leren."
        ),
        "summary_en": (
            "Helps young people with homework and work, supports entrepreneurs and gives "
            "trainees room to learn."
        ),
        "description_nl": (
            "The Future of Fame in Amersfoort helpt jongeren op weg. Ze krijgen hulp bij hun "
            "huiswerk. Er zijn werkplekken, en er is hulp om weer mee te doen in werk of "
            "school.\n\n"
            "Ook ondernemers krijgen steun. Stagiairs krijgen de ruimte om beter te worden "
            "in hun vak.\n\n"
            "The Future of Fame krijgt veel opdrachten voor websites, animaties en apps. "
            "Daarvoor is meer kennis van multimedia nodig."
        ),
        "description_en": (
            "The Future of Fame in Amersfoort helps young people on their way. They get help "
            "with their homework. There are workplaces, and there is help to get back into "
            "work or school.\n\n"
            "Entrepreneurs get support too. Trainees get room to become better at their "
            "trade.\n\n"
            "The Future of Fame gets a lot of work building websites, animations and apps. "
            "For that it needs more knowledge of multimedia."
        ),
        "partners": [],
    },
    {
        "slug": "lucas-community",
        "name": "Lucas Community",
        "city": "Amsterdam",
        # Guess: the article calls it a care community; the Social Alliance describes a
        # separate residents' association behind it, so "association" is the best reading.
        "legal_form": "association",
        "summary_nl": (
            "Een zorggemeenschap van ondernemende bewoners, die samen meer invloed krijgen op "
            "hun eigen buurt."
        ),
        "summary_en": (
            "A care community of enterprising residents who together gain more say over their "
            "own neighbourhood."
        ),
        "description_nl": (
            "De Lucas Community in Amsterdam is een zorggemeenschap van ondernemende "
            "bewoners. Ze zorgen dat buurtbewoners meer te zeggen hebben over hun eigen "
            "leefomgeving. Wat ze doen, moet goed zijn voor de bewoners en ondernemers in de "
            "wijk zelf.\n\n"
            "Met Lucas Zorg helpen vrijwilligers buurtbewoners die zorg nodig hebben. Ze "
            "brengen mensen bijvoorbeeld naar het ziekenhuis. Ook is er 'samen koken en "
            "samen eten'. Een Marokkaanse slager en groenteman uit de buurt sponsort dat.\n\n"
            "Lucas wil een erkende organisatie voor zorg aan huis worden. Daarvoor is kennis "
            "nodig over de keurmerken HKZ en ISO 9001 voor zorg en welzijn. Lucas doet ook "
            "mee aan een proef rond hulp in het huishouden. Gemeente Amsterdam, stadsdeel "
            "Nieuw-West, de Hogeschool van Amsterdam en het ROC doen daaraan mee."
        ),
        "description_en": (
            "The Lucas Community in Amsterdam is a care community of enterprising residents. "
            "They make sure people in the neighbourhood have more say over where they live. "
            "What they do should benefit the residents and entrepreneurs of the district "
            "itself.\n\n"
            "Through Lucas Care, volunteers help neighbours who need care. For example, they "
            "take people to the hospital. There is also 'cook and eat together'. A Moroccan "
            "butcher and greengrocer from the neighbourhood sponsors it.\n\n"
            "Lucas wants to become a recognised home care organisation. For that it needs "
            "knowledge of the HKZ and ISO 9001 quality marks for care and welfare. Lucas also "
            "takes part in a trial on help in the home, together with the City of Amsterdam, "
            "the Nieuw-West district, the Amsterdam University of Applied Sciences and the "
            "ROC."
        ),
        "partners": [
            {
                "name": "Gemeente Amsterdam",
                "kind": "municipality",
                "nl": "Werkt met Lucas samen in een proef rond hulp in het huishouden.",
                "en": "Works with Lucas in a trial on help in the home.",
            },
            {
                "name": "Stadsdeel Nieuw-West",
                "kind": "municipality",
                "nl": "Werkt goed samen met Lucas en doet mee aan de proef.",
                "en": "Works well with Lucas and takes part in the trial.",
            },
            {
                "name": "Hogeschool van Amsterdam",
                "kind": "school",
                "nl": "Doet mee aan de proef rond hulp in het huishouden.",
                "en": "Takes part in the trial on help in the home.",
            },
            {
                "name": "ROC",
                "kind": "school",
                "nl": "Mbo-school. Doet mee aan de proef rond hulp in het huishouden.",
                "en": "Vocational college. Takes part in the trial on help in the home.",
            },
            {
                "name": "Marokkaanse slager en groenteman uit de buurt",
                "kind": "business",
                "nl": "Sponsort de avonden 'samen koken en samen eten'.",
                "en": "A Moroccan butcher and greengrocer from the neighbourhood. Sponsors "
                      "the 'cook and eat together' evenings.",
            },
        ],
    },
    {
        "slug": "weggeefwinkel-amersfoort",
        "name": "Weggeefwinkel Amersfoort",
        "city": "Amersfoort",
        # Guess: the article gives no legal form; a give-away shop with trainees is most
        # often a foundation.
        "legal_form": "foundation",
        "summary_nl": (
            "Hier kan iedereen gratis spullen halen die hij nodig heeft. Spullen die over "
            "zijn, kun je brengen."
        ),
        "summary_en": (
            "Anyone can pick up free things they need here. Things you no longer need, you "
            "can bring."
        ),
        "description_nl": (
            "In de Weggeefwinkel in Amersfoort kan iedereen gratis spullen halen. Je neemt "
            "mee wat je nodig hebt.\n\n"
            "De winkel haalt ook spullen op die mensen over hebben. Zo krijgen die spullen "
            "een nieuwe eigenaar.\n\n"
            "Er werkt geen betaald personeel. De winkel draait op vrijwilligers en "
            "stagiairs."
        ),
        "description_en": (
            "At the Give-away Shop in Amersfoort, anyone can pick up things for free. You "
            "take what you need.\n\n"
            "The shop also collects things people no longer need. That way they find a new "
            "owner.\n\n"
            "There is no paid staff. The shop runs on volunteers and trainees."
        ),
        "partners": [],
    },
    {
        "slug": "kies-en-co",
        "name": "Kies & Co",
        "city": "Amersfoort",
        "legal_form": "association",
        # "Child wards" in the article is read as "kinderwijkraden" (children's
        # neighbourhood councils).
        "summary_nl": (
            "Landelijke vereniging die kinderwijkraden begeleidt. Kinderen maken in de klas "
            "plannen voor hun wijk."
        ),
        "summary_en": (
            "A national association that guides children's neighbourhood councils. Children "
            "make plans for their area in class."
        ),
        "description_nl": (
            "Kies & Co uit Amersfoort is een landelijke vereniging van en voor "
            "kinderwijkraden. Ze begeleidt kinderen in kwetsbare wijken.\n\n"
            "Dat gebeurt in lessen op basisscholen in de buurt. Daar bedenken kinderen hun "
            "eigen plannen voor de wijk en werken ze die uit."
        ),
        "description_en": (
            "Kies & Co (Choose & Co) from Amersfoort is a national association of and for "
            "children's neighbourhood councils. It guides children in vulnerable "
            "neighbourhoods.\n\n"
            "This happens in lessons at primary schools in the neighbourhood. There, "
            "children come up with their own plans for their area and work them out."
        ),
        "partners": [
            {
                "name": "Basisscholen in de wijk",
                "kind": "school",
                "nl": "Hier geeft Kies & Co de lessen waarin kinderen plannen maken.",
                "en": "Primary schools in the neighbourhood. Kies & Co gives its lessons "
                      "there.",
            },
        ],
    },
    {
        "slug": "amargi",
        "name": "Amargi",
        "city": "Den Haag",
        "legal_form": "association",
        "summary_nl": (
            "Een vereniging van mensen die van hun geldzorgen af willen. Amargi helpt vroeg, "
            "om erger te voorkomen."
        ),
        "summary_en": (
            "An association of people who want to be free of money worries. Amargi steps in "
            "early to prevent worse."
        ),
        "description_nl": (
            "Amargi is een vereniging in Den Haag. De leden willen zich bevrijden van hun "
            "geldzorgen.\n\n"
            "Amargi probeert er vroeg bij te zijn. Wie op tijd hulp krijgt, komt minder snel "
            "in grotere problemen."
        ),
        "description_en": (
            "Amargi is an association in The Hague. Its members want to free themselves "
            "from money worries.\n\n"
            "Amargi tries to step in early. People who get help in time are less likely to "
            "end up in bigger trouble."
        ),
        "partners": [],
    },
    {
        "slug": "talent-in-actie",
        "name": "Talent in Actie",
        "city": "Groningen",
        "legal_form": "foundation",
        "summary_nl": (
            "Met Mijn Gereedschapskist lenen buren gereedschap van elkaar, en leren ze elkaar "
            "zo kennen."
        ),
        "summary_en": (
            "With My Toolbox, neighbours lend each other tools, and get to know each other "
            "along the way."
        ),
        "description_nl": (
            "Talent in Actie is een stichting in Groningen. Ze wil een buurt waarin bewoners "
            "contact met elkaar hebben.\n\n"
            "Dat doet ze met iets eenvoudigs: gereedschap lenen. Het project heet Mijn "
            "Gereedschapskist. Wie gereedschap nodig heeft, hoeft het niet te kopen. Bij het "
            "lenen en terugbrengen ontmoeten buren elkaar."
        ),
        "description_en": (
            "Talent in Actie (Talent in Action) is a foundation in Groningen. It wants a "
            "neighbourhood where residents are in touch with each other.\n\n"
            "It does that with something simple: lending tools. The project is called My "
            "Toolbox (Mijn Gereedschapskist). If you need a tool, you do not have to buy "
            "it. Borrowing and returning tools brings neighbours together."
        ),
        "partners": [],
    },
    {
        "slug": "bewonersbedrijf-heechterp-schieringen",
        "name": "Bewonersbedrijf Heechterp-Schieringen",
        "city": "Leeuwarden",
        "legal_form": "residents_company",
        "summary_nl": (
            "Het eerste bewonersbedrijf van Nederland. Bewoners maken hun wijk beter en gaan "
            "armoede tegen."
        ),
        "summary_en": (
            "The first residents' company in the Netherlands. Residents improve their "
            "neighbourhood and fight poverty."
        ),
        "description_nl": (
            "Bewonersbedrijf Heechterp-Schieringen in Leeuwarden was het eerste "
            "bewonersbedrijf van Nederland. Bewoners werken hier samen aan hun eigen "
            "wijk.\n\n"
            "Het doel is een betere buurt om in te wonen. Minder armoede is ook een "
            "belangrijk doel.\n\n"
            "Iedereen heeft andere zorg nodig. Sommige mensen hebben wat extra begeleiding "
            "nodig, en die krijgen ze."
        ),
        "description_en": (
            "Residents' Company Heechterp-Schieringen in Leeuwarden was the first residents' "
            "company in the Netherlands. Here, residents work together on their own "
            "neighbourhood.\n\n"
            "The aim is a better neighbourhood to live in. Less poverty is an important aim "
            "too.\n\n"
            "Everyone needs different care. Some people need a little extra guidance, and "
            "they get it."
        ),
        "partners": [],
    },
    {
        "slug": "edasu",
        "name": "EDASU",
        # The article places EDASU in East Groningen; the app lists it under Groningen.
        "city": "Groningen",
        # Guess: the article gives no legal form.
        "legal_form": "foundation",
        "summary_nl": (
            "Leidt mensen die armoede kennen op tot ervaringsdeskundige, zodat ze anderen in "
            "armoede kunnen helpen."
        ),
        "summary_en": (
            "Trains people who know poverty first-hand as experts by experience, so they can "
            "help others in poverty."
        ),
        "description_nl": (
            "EDASU staat voor Ervaringsdeskundigheid in Armoede en Sociale Uitsluiting. "
            "EDASU werkt in Oost-Groningen.\n\n"
            "EDASU leidt mensen die zelf armoede kennen op tot ervaringsdeskundige. Zij slaan "
            "een brug naar mensen die nu in armoede leven, en helpen hen verder. Een aantal "
            "van hen werkt al bij een sociale dienst of een kredietbank.\n\n"
            "De gemeente betaalt de cursus per deelnemer. Maar er zijn ook andere kosten, "
            "zoals projectleiding en communicatie. En de ervaringsdeskundigen die meewerken, "
            "moeten ook betaald worden.\n\n"
            "In Oost-Groningen staat een sterke groep betrokken mensen om EDASU heen. EDASU "
            "wil zo'n kring ook in de rest van het land: ambassadeurs en partners die het "
            "project landelijk maken."
        ),
        "description_en": (
            "EDASU stands for Expertise by Experience in Poverty and Social Exclusion. EDASU "
            "works in East Groningen.\n\n"
            "EDASU trains people who know poverty themselves to become experts by "
            "experience. They build a bridge to people who live in poverty now, and help "
            "them on. Several of them already work at social services or at a credit "
            "bank.\n\n"
            "The municipality pays for the course per participant. But there are other costs "
            "too, such as project management and communication. And the trained experts who "
            "work along must be paid as well.\n\n"
            "In East Groningen, a strong group of committed people stands around EDASU. EDASU "
            "wants such a circle in the rest of the country too: ambassadors and partners "
            "who give the project a national reach."
        ),
        "partners": [
            {
                "name": "ROC Noorderpoort",
                "kind": "school",
                "nl": "Verzorgt het onderwijs. Samen bespreken we hoe de opleiding eruitziet.",
                "en": "Provides the teaching. Together we discuss how to shape the course.",
            },
            {
                "name": "De gemeente",
                "kind": "municipality",
                "nl": "Betaalt de cursus per deelnemer. Belangrijk voor werk- en "
                      "opleidingsplekken.",
                "en": "The municipality. Pays for the course per participant. Important for "
                      "jobs and training places.",
            },
            {
                "name": "Welzijnsorganisaties van de gemeente",
                "kind": "civil_society",
                "nl": "Belangrijke partners voor werkplekken en opleidingsplekken.",
                "en": "The municipality's welfare organisations. Important partners for jobs "
                      "and training places.",
            },
        ],
    },
    {
        "slug": "free-exit",
        "name": "The Free Exit",
        # The article gives no city. Its quote about equal votes matches, word for word,
        # the Breda social co-operative De Vrije Uitloop on Initiatief.nu, so Breda.
        "city": "Breda",
        "legal_form": "cooperative",
        "summary_nl": (
            "Helpt mensen die al jaren thuis zitten weer in beweging, als ondernemer voor een "
            "deel van de week."
        ),
        "summary_en": (
            "Helps people who have been at home for years get moving again, as part-time "
            "entrepreneurs."
        ),
        "description_nl": (
            "The Free Exit helpt mensen die al jaren thuis op de bank zitten. Ze komen weer "
            "in beweging. Als ondernemer voor een deel van de week verdienen ze zelf een "
            "stuk van hun inkomen. Ze zetten hun talent in en doen waar ze goed in zijn.\n\n"
            "Het is bewust een coöperatie. De leden beslissen samen over alles wat de "
            "coöperatie aangaat. Iedereen heeft evenveel stem: er is geen baas. Het gevoel "
            "dat je het samen doet, vinden ze het belangrijkst."
        ),
        "description_en": (
            "The Free Exit helps people who have been sitting on the couch at home for "
            "years. They get moving again. As part-time entrepreneurs, they earn part of "
            "their own income. They use their talent and do what they are good at.\n\n"
            "It is a co-operative by choice. The members decide together on everything that "
            "concerns the co-operative. Everyone has an equal vote: there is no boss. The "
            "feeling of doing it together matters most to them."
        ),
        "partners": [],
    },
    {
        "slug": "buurtmoeders-catering",
        "name": "Buurtmoeders Catering",
        # The article quotes "Neighborhood Mothers Amsterdam".
        "city": "Amsterdam",
        # Guess: the article describes a group of mothers and names no legal form.
        "legal_form": "informal",
        "summary_nl": (
            "Moeders uit de buurt bundelen hun krachten en verzorgen catering voor "
            "instellingen en particulieren."
        ),
        "summary_en": (
            "Mothers from the neighbourhood join forces and cater for organisations and "
            "private clients."
        ),
        "description_nl": (
            "Bij Buurtmoeders Catering werken enthousiaste moeders samen. Ze inspireren "
            "andere vrouwen om hun krachten te bundelen.\n\n"
            "Samen verzorgen ze catering. Dat doen ze voor de overheid, voor instellingen "
            "die daar dichtbij staan en voor particulieren.\n\n"
            "Een subsidie is fijn, maar kan zomaar stoppen. Als alles daarvan afhangt, valt "
            "dan alles om. Daarom willen de buurtmoeders niet afhankelijk worden van "
            "subsidie."
        ),
        "description_en": (
            "At Neighbourhood Mothers Catering, enthusiastic mothers work together. They "
            "inspire other women to join forces.\n\n"
            "Together they provide catering. They do it for government bodies, for "
            "organisations close to government and for private clients.\n\n"
            "A grant is nice, but it can stop at any time. If everything depends on it, "
            "everything falls apart. That is why the mothers do not want to depend on "
            "grants."
        ),
        "partners": [],
    },
]

SPONSORS = [
    {
        "name": "Ministerie van Sociale Zaken en Werkgelegenheid",
        "kind": "ministry",
        "nl": "Een van de belangrijkste sponsors van Initiatief.nu.",
        "en": "The Ministry of Social Affairs and Employment. One of the main sponsors of "
              "Initiatief.nu.",
    },
    {
        "name": "Cordaid",
        "kind": "fund",
        "nl": "Een van de belangrijkste sponsors van Initiatief.nu.",
        "en": "One of the main sponsors of Initiatief.nu.",
    },
    {
        "name": "Sociale Alliantie",
        "kind": "civil_society",
        "nl": (
            "Landelijk netwerk tegen armoede. Sponsor van Initiatief.nu en organisator van "
            "de landelijke dag op 29 september."
        ),
        "en": (
            "The Social Alliance, a national network against poverty. Sponsor of "
            "Initiatief.nu and organiser of the national day on 29 September."
        ),
    },
]
