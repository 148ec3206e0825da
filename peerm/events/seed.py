"""A year of the network's events as demo data: the national day, the seasonal picnics,
SocialLabs, Social Talks and local activities, and the Social Talks that took place. Events
carry a month and a day only: the demo places each on its next date.
"""

EVENTS = [
    {
        "key": "national-day",
        "kind": "national_day",
        "month": 9,
        "day": 29,
        "start": "10:00",
        "end": "16:30",
        "initiative": None,
        # Guess: the article names no place for the national day; Utrecht is central.
        "city": "Utrecht",
        "title_nl": "Peer'M! Uit de armoede, op weg naar sociale zekerheid!",
        "title_en": "Peer'M! Out of poverty, on the road to social security!",
        "summary_nl": (
            "De landelijke dag van de sociale coöperaties, met het platform Sociale "
            "Alliantie. We kijken terug op vier jaar werk en maken nieuwe contacten."
        ),
        "summary_en": (
            "The national day of the social co-operatives, with the Social Alliance "
            "platform. We look back on four years of work and make new contacts."
        ),
    },
    {
        "key": "picnic-winter",
        "kind": "picnic",
        "month": 12,
        "day": 20,
        "start": "12:00",
        "end": "15:00",
        "initiative": "bewonersbedrijf-heechterp-schieringen",
        "city": "Leeuwarden",
        "title_nl": "Winterpicknick in Leeuwarden",
        "title_en": "Winter picnic in Leeuwarden",
        "summary_nl": (
            "De coöperaties van het netwerk komen samen bij het Bewonersbedrijf. Binnen, "
            "met iets warms. Neem wat lekkers mee om te delen."
        ),
        "summary_en": (
            "The network's co-operatives meet at the Residents' Company. Indoors, with "
            "something warm. Bring a treat to share."
        ),
    },
    {
        "key": "picnic-spring",
        "kind": "picnic",
        "month": 3,
        "day": 21,
        "start": "12:00",
        "end": "15:00",
        "initiative": "vrije-expeditie",
        "city": "Breda",
        "title_nl": "Lentepicknick in Breda",
        "title_en": "Spring picnic in Breda",
        "summary_nl": (
            "De Vrije Expeditie ontvangt het netwerk. We eten samen en vertellen wat we de "
            "afgelopen maanden deden."
        ),
        "summary_en": (
            "De Vrije Expeditie hosts the network. We eat together and share what we did in "
            "the past months."
        ),
    },
    {
        "key": "picnic-summer",
        "kind": "picnic",
        "month": 6,
        "day": 21,
        "start": "12:00",
        "end": "16:00",
        "initiative": "duurzaam-soesterkwartier",
        "city": "Amersfoort",
        "title_nl": "Zomerpicknick in het Soesterkwartier",
        "title_en": "Summer picnic in the Soesterkwartier",
        "summary_nl": (
            "Picknick op de langste dag, bij Duurzaam Soesterkwartier. Kom kennismaken met "
            "de andere coöperaties."
        ),
        "summary_en": (
            "A picnic on the longest day, at Sustainable Soesterkwartier. Come and meet the "
            "other co-operatives."
        ),
    },
    {
        "key": "picnic-autumn",
        "kind": "picnic",
        "month": 9,
        "day": 21,
        "start": "12:00",
        "end": "15:00",
        "initiative": "edasu",
        "city": "Groningen",
        "title_nl": "Herfstpicknick in Groningen",
        "title_en": "Autumn picnic in Groningen",
        "summary_nl": (
            "EDASU ontvangt het netwerk. We bereiden samen de landelijke dag van 29 "
            "september voor."
        ),
        "summary_en": (
            "EDASU hosts the network. Together we prepare the national day of 29 September."
        ),
    },
    {
        "key": "sociallab-amsterdam",
        "kind": "sociallab",
        "month": 4,
        "day": 18,
        "start": "13:00",
        "end": "17:00",
        "initiative": "lucas-community",
        "city": "Amsterdam",
        "title_nl": "SocialLab: startdag in Amsterdam",
        "title_en": "SocialLab: start-up day in Amsterdam",
        "summary_nl": (
            "Wil je weten hoe een sociale coöperatie werkt? Kom kijken bij de Lucas "
            "Community. Stel je vragen en ontmoet de leden."
        ),
        "summary_en": (
            "Want to know how a social co-operative works? Come and see at the Lucas "
            "Community. Ask your questions and meet the members."
        ),
    },
    {
        "key": "sociallab-den-haag",
        "kind": "sociallab",
        "month": 10,
        "day": 10,
        "start": "13:00",
        "end": "17:00",
        "initiative": "amargi",
        "city": "Den Haag",
        "title_nl": "SocialLab: startdag in Den Haag",
        "title_en": "SocialLab: start-up day in The Hague",
        "summary_nl": (
            "Een startdag bij Amargi voor iedereen die zelf een sociale coöperatie wil "
            "beginnen, of gewoon nieuwsgierig is."
        ),
        "summary_en": (
            "A start-up day at Amargi for anyone who wants to start a social co-operative, "
            "or is simply curious."
        ),
    },
    {
        "key": "lucas-samen-koken",
        "kind": "local",
        "month": 10,
        "day": 16,
        "start": "17:30",
        "end": "20:00",
        "initiative": "lucas-community",
        "city": "Amsterdam",
        "title_nl": "Samen koken, samen eten",
        "title_en": "Cook and eat together",
        "summary_nl": (
            "Buren koken samen en eten daarna samen. Met dank aan onze slager en groenteman "
            "uit de buurt."
        ),
        "summary_en": (
            "Neighbours cook together and then share the meal. With thanks to our local "
            "butcher and greengrocer."
        ),
    },
    {
        "key": "talent-gereedschapskist",
        "kind": "local",
        "month": 3,
        "day": 7,
        "start": "10:00",
        "end": "12:30",
        "initiative": "talent-in-actie",
        "city": "Groningen",
        "title_nl": "Mijn Gereedschapskist: uitleen- en klusochtend",
        "title_en": "My Toolbox: lending and repair morning",
        "summary_nl": (
            "Leen gereedschap, breng het terug of repareer samen iets kapots. Koffie staat "
            "klaar."
        ),
        "summary_en": (
            "Borrow a tool, bring one back or fix something broken together. Coffee is "
            "ready."
        ),
    },
    {
        "key": "weggeefwinkel-inzameldag",
        "kind": "local",
        "month": 4,
        "day": 11,
        "start": "10:00",
        "end": "15:00",
        "initiative": "weggeefwinkel-amersfoort",
        "city": "Amersfoort",
        "title_nl": "Inzameldag bij de Weggeefwinkel",
        "title_en": "Collection day at the Give-away Shop",
        "summary_nl": (
            "Breng spullen die je over hebt en die nog goed zijn. Vrijwilligers helpen met "
            "sorteren."
        ),
        "summary_en": (
            "Bring things you no longer need that are still in good shape. Volunteers help "
            "sort them."
        ),
    },
    {
        "key": "buurtmoeders-kookworkshop",
        "kind": "local",
        "month": 11,
        "day": 14,
        "start": "13:00",
        "end": "16:00",
        "initiative": "buurtmoeders-catering",
        "city": "Amsterdam",
        "title_nl": "Kookworkshop met de Buurtmoeders",
        "title_en": "Cooking workshop with the Neighbourhood Mothers",
        "summary_nl": (
            "Kook mee met de buurtmoeders en ontdek hoe zij samen hun catering maken. Voor "
            "alle vrouwen uit de buurt."
        ),
        "summary_en": (
            "Cook with the Neighbourhood Mothers and see how they run their catering "
            "together. For all women in the neighbourhood."
        ),
    },
    {
        "key": "future-of-fame-huiswerkhulp",
        "kind": "local",
        "month": 9,
        "day": 2,
        "start": "15:30",
        "end": "17:30",
        "initiative": "future-of-fame",
        "city": "Amersfoort",
        "title_nl": "Huiswerkhulp voor jongeren",
        "title_en": "Homework help for young people",
        "summary_nl": (
            "Loop binnen met je huiswerk. Vrijwilligers en stagiairs helpen je verder."
        ),
        "summary_en": (
            "Drop in with your homework. Volunteers and trainees help you along."
        ),
    },
]


# The network's four seasonal picnics are one series (made once, each date then given its own
# host and words), as a coordinator makes them at /events/new.
PICNIC_SERIES = "demo-seasonal-picnics"

# The monthly Social Talk: one series, on the first Thursday of every month, from next month,
# 20:00–21:15 Dutch time; three dates are planned (the phone keeps every coming event within
# its byte budget, see peerm/pwa). The themes carry on from those the network started with in 2016
# and 2017 (see the article), in our own words.
TALK_SERIES = "demo-social-talks"
TALK_START, TALK_END = "20:00", "21:15"
TALK_JOIN = "https://meet.jit.si/peerm-social-talk"
SOCIAL_TALKS = [
    {"theme_nl": "Incassovrije wijken", "theme_en": "Debt-collection-free neighbourhoods",
     "title_nl": "Social Talk: een wijk zonder deurwaarders aan de deur",
     "title_en": "Social Talk: a neighbourhood without bailiffs at the door",
     "summary_nl": "Een bewoner die uit de schulden kwam en een wijkcoöperatie die buren helpt "
                   "voor een rekening een aanmaning wordt, vertellen hoe zij dat aanpakken. Daarna "
                   "praat iedereen mee.",
     "summary_en": "A resident who got out of debt and a neighbourhood co-operative that helps "
                   "neighbours before a bill turns into a reminder tell how they go about it. "
                   "Then everyone joins in."},
    {"theme_nl": "Kinderen in armoede", "theme_en": "Children in poverty",
     "title_nl": "Social Talk: meedoen op school als er thuis weinig is",
     "title_en": "Social Talk: taking part at school when there is little at home",
     "summary_nl": "Over schoolreisjes, sportclubs en huiswerkhulp. Jongeren van Future of Fame "
                   "en een leerkracht vertellen wat echt helpt.",
     "summary_en": "About school trips, sports clubs and homework help. Young people from Future "
                   "of Fame and a teacher tell what really helps."},
    {"theme_nl": "Solidariteit en bijzondere status", "theme_en": "Solidarity and special status",
     "title_nl": "Social Talk: een eigen plek voor sociale coöperaties",
     "title_en": "Social Talk: a place of their own for social co-operatives",
     "summary_nl": "Sociale coöperaties doen werk dat tussen vrijwilligerswerk en een bedrijf in "
                   "zit. Wat zou een bijzondere status voor ze betekenen? Met een jurist en twee "
                   "coördinatoren.",
     "summary_en": "Social co-operatives do work that sits between volunteering and a business. "
                   "What would a special status mean for them? With a lawyer and two "
                   "coordinators."},
]

# The talks are demo events like the others, in the order of their dates.
EVENTS += [
    {"key": f"social-talk-{number}", "kind": "social_talk", "series": TALK_SERIES,
     "months_ahead": number, "start": TALK_START, "end": TALK_END, "initiative": None,
     "city": "Online", "online_url": TALK_JOIN, **talk}
    for number, talk in enumerate(SOCIAL_TALKS, start=1)
]

# Social Talks held in 2016 and 2017, on the themes the network started with; the archive
# lists them by theme. Fixed dates: they took place.
PAST_TALKS = [
    {"key": "talk-2016-incasso", "date": "2016-10-12", "theme_nl": "Incassovrije wijken",
     "theme_en": "Debt-collection-free neighbourhoods",
     "title_nl": "Social Talk: een wijk zonder incassobureaus",
     "title_en": "Social Talk: a neighbourhood without debt collectors"},
    {"key": "talk-2017-kinderen", "date": "2017-02-08", "theme_nl": "Kinderen in armoede",
     "theme_en": "Children in poverty",
     "title_nl": "Social Talk: opgroeien met weinig geld",
     "title_en": "Social Talk: growing up with little money"},
    {"key": "talk-2017-solidariteit", "date": "2017-05-17",
     "theme_nl": "Solidariteit en bijzondere status",
     "theme_en": "Solidarity and special status",
     "title_nl": "Social Talk: een eigen status voor sociale coöperaties",
     "title_en": "Social Talk: a status of their own for social co-operatives"},
    {"key": "talk-2017-behoud", "date": "2017-09-13", "theme_nl": "Sociaal behoud",
     "theme_en": "Social retention",
     "title_nl": "Social Talk: wat we samen opbouwden, houden we vast",
     "title_en": "Social Talk: holding on to what we built together"},
]
