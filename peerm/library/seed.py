"""The documents the network shares (named in the Initiatief.nu article), written for the
co-operatives that made them: Amargi's way of helping with paperwork, the Free Expedition's
roadmap to a special status, the Lucas Community's district council, Free Exit's social
business with volunteers, and a template that goes with it. Each is a list of revisions:
the later ones show how a document grows (and when its translation falls behind)."""

import re

# A line that begins a block of its own in Markdown (not the rest of a sentence).
_BLOCK_START = re.compile(r"^(#|- |\d+\. |\||$)")


def unwrap(text):
    """The text with each paragraph and list item on one line, as a person types it in the
    edit form (this file wraps them to stay readable)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if (lines and lines[-1] and stripped and not _BLOCK_START.match(stripped)
                and not lines[-1].startswith(("#", "|"))):
            lines[-1] += " " + stripped
        else:
            lines.append(stripped if not line.startswith("   ") else line)
    return "\n".join(lines) + "\n"


METHOD_NL = """\
Veel mensen met geldzorgen hebben geen overzicht meer. Brieven blijven dicht, rekeningen
stapelen zich op en de schuld groeit door incassokosten. Bij Amargi helpen we elkaar
**vroeg**, voordat het misgaat. Dit is onze methode: met twee mensen, aan de keukentafel,
stap voor stap.

## Voor wie is dit?

- Voor vrijwilligers die een ander willen helpen met de papieren ("maatjes").
- Voor iedereen die zelf weer grip wil krijgen op post en rekeningen.

## De stappen

1. **Kennismaken.** Spreek af op een rustige plek. Vertel wie je bent en dat je niet
   oordeelt. De ander beslist altijd zelf; jij helpt.
2. **Alle post op tafel.** Maak drie stapels: *betalen*, *lezen* en *bewaren*. Open samen
   de dichte brieven. Dat is vaak het moeilijkste moment: neem er de tijd voor.
3. **Overzicht maken.** Schrijf op wat er elke maand binnenkomt (loon, uitkering,
   toeslagen) en wat er vast uitgaat (huur, energie, zorgverzekering, telefoon).
4. **Geld dat blijft liggen.** Kijk of alle toeslagen worden ontvangen en of er recht is
   op bijzondere bijstand of een regeling van de gemeente. Hier gaat vaak geld verloren.
5. **Schuldeisers bellen.** Bel of schrijf samen met wie geld krijgt. Vraag om een
   betalingsregeling *voordat* er een deurwaarder komt. Schrijf op wat er is afgesproken.
6. **Een vast moment.** Spreek een vast uur per week af voor de post. Na een paar maanden
   doet de ander het zelf, en kijk jij alleen nog mee.

## Wanneer verwijs je door?

- Bij schulden die niet binnen een jaar af te lossen zijn: naar de schuldhulp van de
  gemeente. Ga mee naar het eerste gesprek.
- Bij een dreigende huisuitzetting of afsluiting van energie: **dezelfde dag** bellen met
  de gemeente of de woningcorporatie.

## Waar let je op?

- **Privacy.** Neem nooit papieren of kopieën mee naar huis. Wachtwoorden en DigiD-codes
  typt de ander zelf.
- **Geen geld lenen.** Een maatje leent geen geld uit en betaalt niets voor een ander.
- **Zorg voor jezelf.** Bespreek moeilijke situaties met de coördinator, niet met anderen.

Dit past bij het thema van onze Social Talk *Incassovrije wijken*: hoe eerder we helpen,
hoe minder kosten er bij komen.
"""

METHOD_EN = """\
Many people with money worries have lost track. Letters stay closed, bills pile up and
debts grow through collection costs. At Amargi we help each other **early**, before things
go wrong. This is our method: two people, at the kitchen table, step by step.

## Who is this for?

- Volunteers who want to help someone with their paperwork ("buddies").
- Anyone who wants to get a grip on their own post and bills again.

## The steps

1. **Get to know each other.** Meet in a quiet place. Say who you are and that you do not
   judge. The other person always decides; you help.
2. **All post on the table.** Make three piles: *pay*, *read* and *keep*. Open the closed
   letters together. This is often the hardest moment: take your time.
3. **Make an overview.** Write down what comes in every month (wages, benefit,
   allowances) and what always goes out (rent, energy, health insurance, phone).
4. **Money left unclaimed.** Check that every allowance is received and whether there is
   a right to special assistance or a scheme of the municipality. Money is often lost here.
5. **Call the creditors.** Call or write together to whoever is owed money. Ask for a
   payment plan *before* a bailiff comes. Write down what was agreed.
6. **A fixed moment.** Agree on a fixed hour a week for the post. After a few months the
   other person does it alone, and you only look along.

## When do you refer someone?

- Debts that cannot be paid off within a year: to the municipality's debt help. Go along
  to the first meeting.
- A threatened eviction or energy cut-off: call the municipality or the housing
  corporation **the same day**.

## What to watch out for

- **Privacy.** Never take papers or copies home. The other person types passwords and
  DigiD codes themselves.
- **No lending.** A buddy never lends money or pays anything for someone else.
- **Look after yourself.** Talk difficult situations through with the coordinator, not
  with others.

This goes with the theme of our Social Talk *Debt-collection-free neighbourhoods*: the
earlier we help, the fewer costs are added.
"""

STATUTE_NL = """\
Bij de Vrije Expeditie in Breda werken mensen met een uitkering een deel van de week als
ondernemer. Dat mag alleen met goede afspraken met de gemeente: een **bijzondere status**.
Dit stappenplan laat zien hoe je zulke afspraken maakt. Reken op een half jaar tot een
jaar.

## Stap 1: Schrijf op wat je wilt

- Wie doen er mee, en hoeveel mensen?
- Wat gaan ze doen, en hoeveel uur per week?
- Wat is nu het probleem? Bijvoorbeeld: wie een beetje verdient, verliest meteen een deel
  van de uitkering, en stopt dus weer.

Houd het kort: één A4, in gewone taal.

## Stap 2: Zoek bondgenoten

- De beleidsmedewerker werk en inkomen van de gemeente.
- De wethouder die over armoede of werk gaat.
- Een klantmanager die de deelnemers kent.
- Partners die al met jullie werken: een school, een woningcorporatie, een fonds.

Nodig ze uit op jullie plek. Laat deelnemers zelf vertellen wat ze doen.

## Stap 3: Zoek samen de ruimte in de regels

Vraag de gemeente welke ruimte de wet al geeft. Denk aan een **proef** (een experiment
met andere regels voor een kleine groep), een deel van de inkomsten mogen houden, of meer
tijd voordat de uitkering wordt gekort. Laat de gemeente dit uitzoeken: zij kent de regels
en draagt de verantwoordelijkheid.

## Stap 4: Maak een voorstel

Beschrijf de proef: wie, hoe lang (bijvoorbeeld twee jaar), welke regels anders zijn, en
hoe jullie meten of het werkt (inkomen, gezondheid, meedoen). Spreek af wat er gebeurt
als iemand stopt.

## Stap 5: Leg het vast

Zet de afspraken op papier, met handtekening van de gemeente. Elke deelnemer krijgt een
eigen brief waarin staat wat voor hem of haar geldt.

## Stap 6: Samen terugkijken

Kijk elk half jaar samen met de gemeente terug. Wat ging goed? Wat moet anders? Deel wat
jullie leren met de andere coöperaties van het netwerk.

## Waar let je op?

- Begin nooit zonder schriftelijke afspraak: anders kan een deelnemer geld moeten
  terugbetalen.
- Houd een eenvoudige administratie bij van uren en inkomsten per deelnemer.
- Een bijzondere status is een afspraak, geen gunst: blijf laten zien wat het oplevert.
"""

STATUTE_EN = """\
At the Free Expedition in Breda, people on benefits work part of the week as
entrepreneurs. That is only allowed with good agreements with the municipality: a
**special status**. This roadmap shows how to make such agreements. Count on six months
to a year.

## Step 1: Write down what you want

- Who takes part, and how many people?
- What will they do, and for how many hours a week?
- What is the problem now? For example: whoever earns a little loses part of the benefit
  at once, and so stops again.

Keep it short: one page, in plain words.

## Step 2: Find allies

- The municipality's policy officer for work and income.
- The alderman responsible for poverty or work.
- A caseworker who knows the participants.
- Partners who already work with you: a school, a housing corporation, a fund.

Invite them to your place. Let participants tell what they do themselves.

## Step 3: Find the room in the rules together

Ask the municipality what room the law already gives. Think of a **trial** (an experiment
with other rules for a small group), keeping part of the income, or more time before the
benefit is reduced. Let the municipality work this out: it knows the rules and carries the
responsibility.

## Step 4: Make a proposal

Describe the trial: who, how long (for example two years), which rules are different, and
how you will measure whether it works (income, health, taking part). Agree what happens
when someone stops.

## Step 5: Put it on paper

Write the agreements down, signed by the municipality. Every participant gets their own
letter saying what applies to them.

## Step 6: Look back together

Every six months, look back together with the municipality. What went well? What must
change? Share what you learn with the other co-operatives of the network.

## What to watch out for

- Never start without a written agreement: otherwise a participant may have to pay money
  back.
- Keep simple records of hours and income per participant.
- A special status is an agreement, not a favour: keep showing what it brings.
"""

COUNCIL_NL_1 = """\
In de Lucas Community in Amsterdam Nieuw-West hebben bewoners meer te zeggen gekregen over
hun eigen buurt. Een **wijkraad** helpt daarbij: een groep bewoners die namens de buurt
praat met de gemeente, de woningcorporatie en ondernemers.

## Stap 1: Vind je eerste groep

Zoek vijf tot tien bewoners die willen meedoen. Let op verschil: jong en oud, huurders en
kopers, verschillende talen en straten.

## Stap 2: Luister naar de buurt

Ga langs de deuren, sta op de markt, praat bij de school. Vraag: wat gaat goed, wat moet
beter? Schrijf alles op.

## Stap 3: De eerste bewonersavond

Nodig de hele buurt uit. Vertel wat je hoorde en kies samen drie onderwerpen om mee te
beginnen. Zorg voor koffie, kinderopvang en iemand die vertaalt.

## Stap 4: Spreek af hoe jullie werken

- Vergaderingen zijn open: iedereen uit de buurt mag komen.
- Elke vergadering heeft een verslag dat iedereen kan lezen.
- De voorzitter wisselt elk jaar.
- Besluiten nemen jullie samen; iedereen heeft één stem.

## Stap 5: Afspraken met de gemeente

Vraag de gemeente om een vaste contactpersoon, om een eigen budget voor de buurt en om
het recht om advies te geven voordat er besluiten over de buurt vallen.

## Waar let je op?

- Word geen doorgeefluik van de gemeente: jullie praten namens de buurt.
- Denk aan de mensen die niet komen. Vraag hen op een andere manier om hun mening.
- Deel geen namen of telefoonnummers van bewoners zonder toestemming.
"""

COUNCIL_NL_2 = COUNCIL_NL_1.replace("""## Stap 5: Afspraken met de gemeente""", """\
## Stap 5: Kies een vorm

Begin gewoon als groep. Gaat er geld om, of willen jullie afspraken tekenen? Richt dan
een vereniging of stichting op bij de notaris. Een vereniging past goed bij een wijkraad:
de leden kiezen het bestuur.

## Stap 6: Afspraken met de gemeente""")

COUNCIL_EN = """\
In the Lucas Community in Amsterdam New West, residents have gained more say over their
own neighbourhood. A **district council** helps: a group of residents that speaks for the
neighbourhood with the municipality, the housing corporation and businesses.

## Step 1: Find your first group

Look for five to ten residents who want to take part. Mind the mix: young and old, tenants
and owners, different languages and streets.

## Step 2: Listen to the neighbourhood

Knock on doors, stand at the market, talk at the school. Ask: what goes well, what must
get better? Write everything down.

## Step 3: The first residents' evening

Invite the whole neighbourhood. Tell what you heard and choose three subjects together to
start with. Arrange coffee, childcare and someone who translates.

## Step 4: Agree how you work

- Meetings are open: anyone from the neighbourhood may come.
- Every meeting has minutes that everyone can read.
- The chair changes every year.
- You decide together; everyone has one vote.

## Step 5: Agreements with the municipality

Ask the municipality for one fixed contact person, for a budget of the neighbourhood's own
and for the right to advise before decisions about the neighbourhood are taken.

## What to watch out for

- Do not become the municipality's messenger: you speak for the neighbourhood.
- Think of the people who do not come. Ask their opinion in another way.
- Never share residents' names or phone numbers without their consent.
"""

BUSINESS_NL = """\
Bij Free Exit werken mensen die lang thuis zaten weer mee: een paar uur per week, met hun
eigen talent. Veel sociale ondernemingen draaien op **vrijwilligers**. Dat kan goed gaan,
als je de regels kent en eerlijk bent over geld.

## Vrijwilliger of werknemer?

Een vrijwilliger doet het werk niet voor het geld en kan ook nee zeggen. Werkt iemand vaste
uren, onder jouw leiding, voor een vergoeding die op loon lijkt? Dan is het werk, en moet
je loon betalen. Twijfel je, vraag het dan na.

## De vrijwilligersvergoeding (2026)

Een vrijwilliger mag een vergoeding krijgen zonder belasting, zolang het binnen alle drie
de grenzen blijft:

| Grens | 21 jaar en ouder | Jonger dan 21 |
|---|---|---|
| Per uur | € 5,75 | € 3,40 |
| Per maand | € 220 | € 220 |
| Per jaar | € 2.200 | € 2.200 |

Gaat iemand over een grens, dan is de **hele** vergoeding belast. Tel mee wat iemand bij
andere organisaties krijgt. Echte kosten met bonnetjes (reizen, materiaal) mag je
daarnaast terugbetalen; die tellen niet mee.

## Met een uitkering

Wie een uitkering heeft, meldt vrijwilligerswerk en de vergoeding bij de gemeente of het
UWV. Doe dat samen, vooraf. Dan komen er later geen verrassingen.

## Zo regel je het

1. **Een afsprakenlijst** per vrijwilliger: wat doe je, hoeveel uur, welke vergoeding, wie
   is je aanspreekpunt. Gebruik het sjabloon in deze bibliotheek.
2. **Uren en kosten bijhouden**: Peer'M telt de uren en bewaakt de grenzen.
3. **Verzekering**: vraag bij de gemeente naar de gratis vrijwilligersverzekering.
4. **Omzet en vrijwilligers**: verdient de onderneming geld, zet dan ook betaald werk in.
   Vrijwilligers mogen geen betaalde banen vervangen.

## Waar let je op?

- Betaal nooit een vaste vergoeding die eigenlijk loon is.
- Maak geen afhankelijkheid van één subsidie: als die stopt, valt alles om.
- Vier wat vrijwilligers doen: zij zijn de kracht van de coöperatie.
"""

BUSINESS_EN = """\
At Free Exit, people who sat at home for a long time join in again: a few hours a week,
with their own talent. Many social businesses run on **volunteers**. That can work well,
if you know the rules and are honest about money.

## Volunteer or employee?

A volunteer does not do the work for the money and can say no. Does someone work fixed
hours, under your direction, for a payment that looks like wages? Then it is work, and you
must pay wages. In doubt, ask.

## The volunteer allowance (2026)

A volunteer may receive an allowance free of tax, as long as it stays within all three
limits:

| Limit | 21 and over | Under 21 |
|---|---|---|
| Per hour | € 5.75 | € 3.40 |
| Per month | € 220 | € 220 |
| Per year | € 2,200 | € 2,200 |

Going over one limit makes the **whole** allowance taxable. Count what someone receives
from other organisations too. Real costs with receipts (travel, material) may be paid back
on top; they do not count.

## On benefits

Whoever receives a benefit reports volunteering and the allowance to the municipality or
the UWV. Do it together, beforehand. Then there are no surprises later.

## How to arrange it

1. **An agreement list** per volunteer: what you do, how many hours, which allowance, who
   your contact is. Use the template in this library.
2. **Keep track of hours and costs**: Peer'M counts the hours and watches the limits.
3. **Insurance**: ask the municipality about the free volunteer insurance.
4. **Turnover and volunteers**: when the business earns money, use paid work too.
   Volunteers must not replace paid jobs.

## What to watch out for

- Never pay a fixed allowance that is really a wage.
- Do not depend on one grant: when it stops, everything falls apart.
- Celebrate what volunteers do: they are the strength of the co-operative.
"""

AGREEMENT_NL = """\
Vul deze lijst samen in bij de start. Iedereen krijgt een kopie.

## Gegevens

- Naam vrijwilliger:
- Coöperatie:
- Aanspreekpunt (naam en telefoon):
- Startdatum:

## Wat ga je doen?

- Taak:
- Uren per week (ongeveer):
- Waar:

## Vergoeding

- [ ] Geen vergoeding
- [ ] Vrijwilligersvergoeding van € ... per uur (binnen de grenzen van dit jaar)
- [ ] Alleen kosten met bonnetjes (reizen, materiaal)

Heb je een uitkering? Dan melden we dit samen vooraf bij de gemeente of het UWV.

## Afspraken

- Ben je ziek of kun je niet komen, dan laat je het zo snel mogelijk weten.
- Wat je hoort over andere mensen, blijft binnen de coöperatie.
- Je mag altijd stoppen. Laat het ons een week van tevoren weten.

## Handtekeningen

Vrijwilliger: .................... Coöperatie: ....................
"""

AGREEMENT_EN = """\
Fill in this list together at the start. Everyone gets a copy.

## Details

- Volunteer's name:
- Co-operative:
- Contact (name and phone):
- Start date:

## What will you do?

- Task:
- Hours a week (about):
- Where:

## Allowance

- [ ] No allowance
- [ ] Volunteer allowance of € ... an hour (within this year's limits)
- [ ] Only costs with receipts (travel, material)

Do you receive a benefit? Then we report this together beforehand to the municipality or
the UWV.

## Agreements

- If you are ill or cannot come, let us know as soon as you can.
- What you hear about other people stays within the co-operative.
- You may always stop. Let us know a week ahead.

## Signatures

Volunteer: .................... Co-operative: ....................
"""

DOCUMENTS = [
    {
        "key": "methodiek-administraties",
        "initiative": "amargi",
        "kind": "guide",
        "tags": ["money", "paperwork", "volunteers"],
        "theme": "Incassovrije wijken",
        "revisions": [{
            "title_nl": "Methodiek Administraties: samen de papieren op orde",
            "summary_nl": "Zo helpt een maatje iemand met geldzorgen om de post en de "
                          "rekeningen weer op orde te krijgen. Vroeg, stap voor stap, en de "
                          "ander beslist zelf.",
            "body_nl": METHOD_NL,
            "title_en": "Methodology Admins: getting the paperwork in order together",
            "summary_en": "How a buddy helps someone with money worries to get their post "
                          "and bills in order again. Early, step by step, and the other "
                          "person decides.",
            "body_en": METHOD_EN,
            "note": "Eerste versie, uit de praktijk van Amargi.",
        }],
    },
    {
        "key": "stappenplan-bijzondere-status",
        "initiative": "vrije-expeditie",
        "kind": "guide",
        "tags": ["rules", "municipality", "enterprise"],
        "theme": "Solidariteit en bijzondere status",
        "revisions": [{
            "title_nl": "Stappenplan voor een bijzondere status",
            "summary_nl": "Hoe je met de gemeente afspreekt dat mensen met een uitkering "
                          "een deel van de week als ondernemer mogen werken. In zes stappen.",
            "body_nl": STATUTE_NL,
            "title_en": "Roadmap for developing a special statute",
            "summary_en": "How to agree with the municipality that people on benefits may "
                          "work part of the week as entrepreneurs. In six steps.",
            "body_en": STATUTE_EN,
            "note": "Eerste versie, uit de ervaring van de Vrije Expeditie.",
        }],
    },
    {
        "key": "wijkraad-starten",
        "initiative": "lucas-community",
        "kind": "howto",
        "tags": ["neighbourhood", "deciding", "starting"],
        "theme": "",
        "revisions": [{
            "title_nl": "Zo start je een wijkraad",
            "summary_nl": "Met een wijkraad praten bewoners mee over hun eigen buurt. Zo "
                          "begin je er een: wie je vraagt, hoe je werkt en waar je op let.",
            "body_nl": COUNCIL_NL_1,
            "title_en": "How to start a district council",
            "summary_en": "With a district council, residents have a say in their own "
                          "neighbourhood. How to start one: who to ask, how to work and what "
                          "to watch out for.",
            "body_en": COUNCIL_EN,
            "note": "Eerste versie.",
        }, {
            # The Dutch text grew; the English translation waits for a translator.
            "title_nl": "Zo start je een wijkraad",
            "summary_nl": "Met een wijkraad praten bewoners mee over hun eigen buurt. Zo "
                          "begin je er een: wie je vraagt, hoe je werkt en waar je op let.",
            "body_nl": COUNCIL_NL_2,
            "title_en": "How to start a district council",
            "summary_en": "With a district council, residents have a say in their own "
                          "neighbourhood. How to start one: who to ask, how to work and what "
                          "to watch out for.",
            "body_en": COUNCIL_EN,
            "note": "Stap over de vorm (vereniging of stichting) toegevoegd.",
        }],
    },
    {
        "key": "sociale-onderneming-vrijwilligers",
        "initiative": "free-exit",
        "kind": "guide",
        "tags": ["enterprise", "volunteers", "money", "rules"],
        "theme": "",
        "revisions": [{
            "title_nl": "Werken als sociale onderneming met vrijwilligers",
            "summary_nl": "Wat mag een vrijwilliger krijgen, wat is werk, en hoe regel je "
                          "het eerlijk? Met de grenzen van de vrijwilligersvergoeding voor "
                          "2026.",
            "body_nl": BUSINESS_NL,
            "title_en": "How to work as a social business while volunteering",
            "summary_en": "What may a volunteer receive, what is work, and how do you "
                          "arrange it fairly? With the limits of the volunteer allowance "
                          "for 2026.",
            "body_en": BUSINESS_EN,
            "note": "Eerste versie, met de grenzen van 2026.",
        }],
    },
    {
        "key": "sjabloon-afsprakenlijst-vrijwilliger",
        "initiative": "free-exit",
        "kind": "template",
        "tags": ["volunteers", "starting"],
        "theme": "",
        "revisions": [{
            "title_nl": "Sjabloon: afsprakenlijst voor een vrijwilliger",
            "summary_nl": "Een lijst om samen in te vullen als iemand begint: taak, uren, "
                          "vergoeding en afspraken.",
            "body_nl": AGREEMENT_NL,
            "title_en": "Template: agreement list for a volunteer",
            "summary_en": "A list to fill in together when someone starts: task, hours, "
                          "allowance and agreements.",
            "body_en": AGREEMENT_EN,
            "note": "Eerste versie.",
        }],
    },
]

for _item in DOCUMENTS:
    for _revision in _item["revisions"]:
        _revision["body_nl"] = unwrap(_revision["body_nl"])
        _revision["body_en"] = unwrap(_revision["body_en"])
