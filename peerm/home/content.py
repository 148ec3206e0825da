"""What the home page says about the network, in both languages."""

NETWORK = {
    "name": "Initiatief.nu",
    "intro_nl": (
        "Initiatief.nu is een landelijk netwerk van twaalf sociale coöperaties. De mensen "
        "die er werken, kennen armoede uit eigen ervaring. Ieder vanuit eigen kennis helpen "
        "ze zichzelf en elkaar uit de armoede, vaak met heel nieuwe ideeën. Samen bereiken "
        "ze meer dan ieder alleen. Peer'M is straattaal voor 'snel': zo snel willen we "
        "armoede achter ons laten.\n\n"
        "Vier keer per jaar komen de coöperaties samen op een picknick, in elk seizoen één. "
        "Op SocialLabs, onze startdagen, kan iedereen komen kijken hoe een sociale "
        "coöperatie werkt. In de online Social Talks praten we met sprekers en "
        "ervaringsdeskundigen. De opname staat de dag erna online. En op 29 september is de "
        "landelijke dag 'Peer'M! Uit de armoede, op weg naar sociale zekerheid!', samen met "
        "het platform Sociale Alliantie."
    ),
    "intro_en": (
        "Initiatief.nu is a national network of twelve social co-operatives. The people in "
        "them know poverty from their own lives. Each from their own know-how, they help "
        "themselves and each other out of poverty, often with brand-new ideas. Together "
        "they achieve more than each could alone. Peer'M is slang for 'fast': that is how "
        "fast we want to leave poverty behind.\n\n"
        "Four times a year the co-operatives meet at a picnic, one in every season. At "
        "SocialLabs, our start-up days, anyone can come and see how a social co-operative "
        "works. In the online Social Talks we talk with speakers and experts by experience. "
        "The recording goes online the next day. And on 29 September there is the national "
        "day 'Peer'M! Out of poverty, on the road to social security!', together with the "
        "Social Alliance platform."
    ),
}
