"""What the twelve co-operatives need, as demo data: the needs the article "Learning from
co-operation" names (volunteer allowances and travel costs at Lucas, bikes, a van and
computers, know-how of the HKZ and ISO 9001 quality marks, multimedia know-how at Future of
Fame, pay for Soesterkwartier's sixty volunteers, EDASU's organisation costs), and what the
work of the others plainly asks for (hands in the give-away shop, tools for the tool library,
know-how for a district council). Written anew in plain Dutch (B1) and plain English.
Quantities and dates are guesses where the article gives none; dates count from the day the
demo data is loaded. In a real install the coordinators write and change all of it.

Each need: `kind`, `nl`, `en`, optional `quantity` and `unit_nl`/`unit_en` (euros for money),
`needed_in` and `listed_for` (days from today; `needed_in` None: no date), `visibility`
(network unless "own"), and demo `pledges` (name, offer, amount, status, contact) where an
answer helps to show the board.
"""

NEEDS = {
    "vrije-expeditie": [
        {"kind": "volunteers", "quantity": 4,
         "unit_nl": "vrijwilligers", "unit_en": "volunteers", "needed_in": 30,
         "listed_for": 60,
         "nl": "Vrijwilligers die nieuwe leden een dagdeel per week helpen met hun eerste "
               "stappen als ondernemer: een offerte maken, een rekening sturen.",
         "en": "Volunteers who help new members for half a day a week with their first steps "
               "as entrepreneurs: making a quote, sending an invoice."},
    ],
    "duurzaam-soesterkwartier": [
        {"kind": "money", "quantity": 9000, "needed_in": 60, "listed_for": 120,
         "nl": "Geld om de ongeveer zestig vrijwilligers in de werkgroepen een kleine "
               "vergoeding te geven. Nu doen ze het werk zonder iets terug te krijgen.",
         "en": "Money to give the about sixty volunteers in the working groups a small "
               "allowance. Now they do the work without getting anything back."},
    ],
    "future-of-fame": [
        {"kind": "knowledge", "needed_in": None, "listed_for": 180,
         "nl": "Iemand die veel weet van multimedia: websites, animaties en apps bouwen. Er komt "
               "veel van dat werk binnen, en onze jongeren willen het leren.",
         "en": "Someone who knows a lot about multimedia: building websites, animations and "
               "apps. Much of that work comes in, and our young people want to learn it."},
        {"kind": "volunteers", "quantity": 3,
         "unit_nl": "vrijwilligers", "unit_en": "volunteers", "needed_in": 21,
         "listed_for": 90,
         "nl": "Vrijwilligers die twee middagen per week jongeren helpen met hun huiswerk.",
         "en": "Volunteers who help young people with their homework two afternoons a week."},
    ],
    "lucas-community": [
        {"kind": "money", "quantity": 2400, "needed_in": 45, "listed_for": 90,
         "nl": "Geld voor de vrijwilligersvergoeding, zodat onze vrijwilligers hun kosten "
               "terugkrijgen.",
         "en": "Money for the volunteer allowance, so that our volunteers get their costs back.",
         "pledges": [
             {"name": "Slagerij Nieuw-West", "offer": "Wij geven dit jaar €80 per maand.",
              "amount": 80, "status": "accepted"},
             {"name": "Ria", "offer": "Een gift van mij en mijn buren.", "amount": 40,
              "status": "fulfilled"},
         ]},
        {"kind": "money", "quantity": 600, "needed_in": 30, "listed_for": 60,
         "nl": "Geld voor reiskosten: we brengen buren die het zelf niet kunnen naar het "
               "ziekenhuis.",
         "en": "Money for travel costs: we take neighbours who cannot go alone to the "
               "hospital."},
        {"kind": "material", "quantity": 1,
         "unit_nl": "busje", "unit_en": "van", "needed_in": 60, "listed_for": 120,
         "nl": "Een busje, om buren en boodschappen te vervoeren. Lenen of voor weinig kopen.",
         "en": "A van, to drive neighbours and groceries around. To borrow, or to buy cheaply."},
        {"kind": "material", "quantity": 6,
         "unit_nl": "fietsen", "unit_en": "bikes", "needed_in": 30, "listed_for": 90,
         "nl": "Fietsen die nog goed rijden, voor vrijwilligers die bij mensen thuis helpen.",
         "en": "Bikes that still ride well, for volunteers who help people at home.",
         "pledges": [
             {"name": "Youssef", "offer": "Ik heb twee fietsen in de schuur staan.",
              "amount": 2, "status": "offered", "contact": "youssef@example.org"},
         ]},
        {"kind": "material", "quantity": 5,
         "unit_nl": "laptops", "unit_en": "laptops", "needed_in": 30,
         "listed_for": 90,
         "nl": "Laptops of computers die nog werken, voor de planning en voor leden die "
               "solliciteren.",
         "en": "Laptops or computers that still work, for the planning and for members who "
               "apply for jobs."},
        {"kind": "knowledge", "needed_in": 90, "listed_for": 120,
         "nl": "Iemand die de keurmerken HKZ en ISO 9001 voor zorg en welzijn kent. We willen "
               "een erkende thuiszorgorganisatie worden.",
         "en": "Someone who knows the HKZ and ISO 9001 quality marks for care and welfare. We "
               "want to become a recognised home care organisation."},
    ],
    "weggeefwinkel-amersfoort": [
        {"kind": "volunteers", "quantity": 6,
         "unit_nl": "vrijwilligers", "unit_en": "volunteers", "needed_in": 14,
         "listed_for": 60,
         "nl": "Vrijwilligers die een ochtend per week de winkel openhouden en spullen sorteren.",
         "en": "Volunteers who keep the shop open one morning a week and sort what comes in."},
        {"kind": "space", "needed_in": 60, "listed_for": 90,
         "nl": "Droge opslagruimte voor spullen die binnenkomen, in of bij Amersfoort.",
         "en": "A dry storage room for things that come in, in or near Amersfoort."},
    ],
    "kies-en-co": [
        {"kind": "knowledge", "needed_in": 45, "listed_for": 90,
         "nl": "Iemand die weet hoe je een wijkraad begint, om kinderen te laten zien hoe hun "
               "plannen voor de wijk bij de gemeente komen.",
         "en": "Someone who knows how to start a district council, to show children how their "
               "plans for the neighbourhood reach the municipality."},
    ],
    "amargi": [
        {"kind": "volunteers", "quantity": 2,
         "unit_nl": "vrijwilligers", "unit_en": "volunteers", "needed_in": 30,
         "listed_for": 60, "visibility": "own",
         "nl": "Leden die een nieuw lid willen begeleiden bij het op orde brengen van de post "
               "en de rekeningen.",
         "en": "Members who want to guide a new member in putting letters and bills in order."},
    ],
    "talent-in-actie": [
        {"kind": "material", "quantity": 10,
         "unit_nl": "stuks", "unit_en": "pieces", "needed_in": 30, "listed_for": 90,
         "nl": "Gereedschap voor Mijn Gereedschapskist: een boormachine, een ladder, een "
               "heggenschaar. Heel of makkelijk te maken.",
         "en": "Tools for My Toolbox: a drill, a ladder, hedge trimmers. In one piece or easy "
               "to mend."},
    ],
    "bewonersbedrijf-heechterp-schieringen": [
        {"kind": "volunteers", "quantity": 4,
         "unit_nl": "vrijwilligers", "unit_en": "volunteers", "needed_in": 21,
         "listed_for": 60,
         "nl": "Buren die een paar uur per week bij iemand langsgaan die wat extra steun nodig "
               "heeft.",
         "en": "Neighbours who visit someone who needs a little extra support, a few hours a "
               "week."},
    ],
    "edasu": [
        {"kind": "money", "quantity": 5000, "needed_in": 90, "listed_for": 150,
         "nl": "Geld voor de kosten van de organisatie: projectleiding en communicatie. De "
               "gemeente betaalt de cursus, maar deze kosten niet.",
         "en": "Money for the organisation's costs: project management and communication. The "
               "municipality pays for the course, but not for these costs."},
        {"kind": "money", "quantity": 3000, "needed_in": 90, "listed_for": 150,
         "nl": "Geld om de getrainde ervaringsdeskundigen die de lessen geven te betalen.",
         "en": "Money to pay the trained experts by experience who give the lessons."},
    ],
    "free-exit": [
        {"kind": "knowledge", "needed_in": None, "listed_for": 120,
         "nl": "Ondernemers die een middag willen vertellen hoe zij begonnen, voor leden die "
               "na jaren thuis weer in beweging komen.",
         "en": "Entrepreneurs who want to spend an afternoon telling how they started, for "
               "members who get moving again after years at home."},
    ],
    "buurtmoeders-catering": [
        {"kind": "material", "quantity": 2,
         "unit_nl": "koelboxen", "unit_en": "cool boxes", "needed_in": 30,
         "listed_for": 60,
         "nl": "Grote koelboxen om eten koel naar opdrachtgevers te brengen.",
         "en": "Large cool boxes to take food to customers and keep it cool."},
    ],
}
