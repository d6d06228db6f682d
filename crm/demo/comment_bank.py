"""Survey comments as the demo shop's customers write them, in French and English.

Real comments are short, misspelt, unaccented, typed on a phone, and often
mixed ("great soap but 4 days late"). The dashboard's topic chart and its
examples are only worth showing if the demo's comments look like that, so
they are written by hand here, grouped by what happened to the order
(`situation`) and how the customer felt (`mood`): the seeder picks a comment
that agrees with the scores it drew and with the order's story.
"""

from __future__ import annotations

from typing import Final, Literal

Mood = Literal["good", "mixed", "bad"]

SITUATIONS: Final = (
    "happy",
    "fast_delivery",
    "late",
    "damaged",
    "quality",
    "price",
    "website",
    "service",
    "stockout",
    "returns",
    "eco",
)

_FR: Final[dict[tuple[str, Mood], tuple[str, ...]]] = {
    ("happy", "good"): (
        "Tres satisfaite de ma commande, je recommande !",
        "super boutique rien a redire",
        "Parfait comme d'hab 👍",
        "Commande conforme et bien emballée, merci",
        "tt est nickel merci bcp",
        "Deuxieme commande et toujours aussi contente, continuez comme ca",
        "Rien à dire, top",
        "produits conformes a la description, je reviendrai",
        "Ravie de mes achats !! les savons sentent trop bon",
        "tres bien",
        "Bon site, bons produits, bon service.",
        "j'adore vos produits, mes enfants aussi lol",
        "Impeccable du debut a la fin",
        "c'etait un cadeau et ma soeur a adoré, merci !",
    ),
    ("fast_delivery", "good"): (
        "Livraison super rapide, recu en 2 jours",
        "colis arrivé avant la date prevue, top",
        "rapide et bien emballé merci",
        "Livré en 48h chrono impeccable",
        "le livreur etait tres sympa et le colis nickel",
        "Reçu le lendemain avec chronopost, bluffant",
        "livraison en point relais rapide, pratique pour moi",
    ),
    ("late", "bad"): (
        "Livraison en retard de 4 jours et aucune info...",
        "colis arrivé bien apres la date annoncée, pas serieux",
        "J'ai attendu une semaine de plus que prevu. Decue.",
        "retard de livraison, j'ai du relancer 2 fois",
        "Commande pour un anniversaire arrivée APRES l'anniversaire. merci bien",
        "le suivi disait livraison demain pendant 3 jours",
        "trop long, je commanderai ailleurs la prochaine fois",
        "mondial relay a encore perdu du temps, colis en retard",
        "delai pas respecté du tout",
    ),
    ("late", "mixed"): (
        "Produits top mais livraison en retard, dommage",
        "un peu de retard mais j'ai été prevenue par mail, c'est appreciable",
        "bien recu au final, avec 2 jours de retard",
        "Retard de livraison mais le service client a été reactif",
        "les produits sont bien mais faudrait revoir le transporteur",
    ),
    ("damaged", "bad"): (
        "Colis arrivé écrasé, un pot cassé a l'interieur",
        "emballage abimé et la gourde est cabossée",
        "carton ouvert et tout mouillé, pas normal",
        "Produit cassé a la reception. je suis degoutée",
        "le flacon avait coulé partout dans le colis",
        "emballage pas du tout adapté pour du verre...",
    ),
    ("damaged", "mixed"): (
        "Un article cassé mais remplacé rapidement, merci",
        "colis un peu abimé mais le contenu etait ok",
        "Le bocal etait fendu, le SAV a gere mais quand meme",
    ),
    ("quality", "good"): (
        "Tres bonne qualité, la brosse en bambou est top",
        "les tawashis sont super efficaces je recommande",
        "qualité au rdv, le savon dure longtemps",
        "Le shampoing solide est genial, mes cheveux sont tout doux",
        "tres bonne qualité pour le prix",
        "les bee wraps sont vraiment pratiques, j'en recommande",
    ),
    ("quality", "bad"): (
        "Qualité decevante, le sac s'est dechiré au bout d'une semaine",
        "produit pas conforme a la photo, couleur differente",
        "le déo ne marche pas du tout sur moi, bof",
        "les pailles en inox ont un gout bizarre ??",
        "bee wrap qui colle plus apres 2 lavages...",
        "taille pas du tout comme indiqué",
    ),
    ("quality", "mixed"): (
        "Produit sympa mais un peu petit par rapport a la photo",
        "Bon produit mais l'odeur est assez forte",
        "Bien dans l'ensemble, la brosse perd un peu ses poils",
        "gourde jolie mais le bouchon fuit un peu",
    ),
    ("price", "bad"): (
        "trop cher pour ce que c'est",
        "frais de port abusés pour un petit colis",
        "les prix ont augmenté depuis ma derniere commande :(",
        "9,90 de frais pour l'express c'est du vol",
    ),
    ("price", "mixed"): (
        "Un peu cher mais c'est de la qualité",
        "bons produits, prix un peu elevés quand meme",
        "dommage que la livraison gratuite soit qu'a partir de 49e",
    ),
    ("website", "bad"): (
        "Site lent et le paiement a planté 2 fois",
        "impossible de modifier mon adresse apres la commande",
        "le code promo ne marchait pas",
        "j'ai du creer un compte pour commander, relou",
    ),
    ("website", "mixed"): (
        "Site facile mais la recherche marche mal",
        "bien mais le site sur mobile c'est pas ca",
    ),
    ("website", "good"): (
        "Site clair, commande passée en 2 min",
        "tres simple de commander sur le site",
    ),
    ("service", "good"): (
        "Le chat m'a repondu direct, super pratique",
        "Merci a Claire du service client, tres gentille et efficace",
        "conseillere au top, probleme reglé en 5 min",
        "le bot a trouvé mon colis tout de suite, bluffant",
        "SAV reactif rien a dire",
        "Yanis a ete super, merci pour le geste commercial",
    ),
    ("service", "bad"): (
        "Le chatbot comprend rien, j'ai du demander un humain 3 fois",
        "attente de 2 jours pour avoir une reponse par mail",
        "personne ne repond le week end...",
        "service client injoignable, tres decue",
        "le robot tourne en rond, pas d'interlocuteur",
    ),
    ("service", "mixed"): (
        "le bot n'a pas compris mais la conseillere etait super",
        "reponse un peu longue a venir mais probleme reglé",
    ),
    ("stockout", "bad"): (
        "produit affiché en stock mais en fait non, expedié 1 semaine apres",
        "rupture de stock pas indiquée sur le site, j'ai attendu pour rien",
    ),
    ("stockout", "mixed"): (
        "Un article etait en rupture du coup livraison plus longue, mais bien recu",
        "delai rallongé a cause du stock mais on m'a prevenue",
    ),
    ("returns", "good"): (
        "retour simple avec l'etiquette, remboursé en 3 jours",
        "Echange fait sans souci, merci",
        "Remboursée rapidement apres le retour, top",
    ),
    ("returns", "bad"): (
        "toujours pas remboursé 10 jours apres le retour !!",
        "5,90 pour l'etiquette retour alors que c'est pas ma faute",
        "procedure de retour compliquée",
    ),
    ("eco", "good"): (
        "emballage sans plastique, enfin ! merci",
        "j'adore le carton recyclé et le papier kraft",
        "Contente de trouver du zero dechet de qualité",
    ),
    ("eco", "mixed"): (
        "un peu de plastique dans le colis, dommage pour un site eco",
        "Trop de carton pour 1 petit savon",
    ),
}

_EN: Final[dict[tuple[str, Mood], tuple[str, ...]]] = {
    ("happy", "good"): (
        "Great products, will order again!",
        "all good thanks",
        "Lovely shop, everything as described :)",
        "very happy with my order",
        "Perfect as always",
        "Second order and still impressed, keep it up",
        "no complaints, great stuff",
        "Everything arrived nicely wrapped, thank you",
        "love it!!",
        "Bought as a gift and my mum loved it x",
        "good",
        "Brilliant service and products, 10/10",
    ),
    ("fast_delivery", "good"): (
        "Super fast delivery, got it in 2 days",
        "arrived earlier than expected, great",
        "quick delivery and well packed",
        "Delivered next day even to Belgium, impressed",
        "fast shipping, courier was friendly",
        "relay point delivery was quick and easy",
    ),
    ("late", "bad"): (
        "Parcel arrived 5 days late and no one told me anything",
        "delivery was late, tracking said tomorrow for 3 days",
        "Ordered for a birthday and it came after. not happy",
        "way too slow, had to chase it twice",
        "late late late. wont order again",
        "Took over a week longer than promised",
        "delivery date was not respected at all",
        "the courier kept pushing the date back, really annoying",
    ),
    ("late", "mixed"): (
        "Nice products but delivery was late",
        "a bit late but you emailed me about it which i appreciated",
        "got there in the end, 2 days late",
        "Delivery delayed but customer service sorted it quickly",
        "products good, courier not so much",
    ),
    ("damaged", "bad"): (
        "Box arrived crushed and a jar was broken",
        "packaging was damaged and the bottle is dented",
        "parcel was open and soaked when it arrived",
        "item smashed on arrival, gutted",
        "the shampoo leaked all over everything",
        "glass items wrapped in almost nothing...",
    ),
    ("damaged", "mixed"): (
        "One item was broken but you replaced it fast, thanks",
        "box a bit battered but contents were fine",
        "jar was cracked, support dealt with it but still",
    ),
    ("quality", "good"): (
        "Excellent quality, the bamboo brush is great",
        "the solid shampoo is amazing, hair feels so soft",
        "good quality for the price",
        "soap lasts ages, really good",
        "beeswax wraps work really well, recommend",
        "quality is spot on",
    ),
    ("quality", "bad"): (
        "Poor quality, bag ripped after a week",
        "product looks nothing like the photo",
        "deodorant doesnt work at all on me",
        "the steel straws taste weird??",
        "wraps stopped sticking after 2 washes",
        "size is completly wrong",
    ),
    ("quality", "mixed"): (
        "Nice product but smaller than it looks",
        "good but the smell is quite strong",
        "ok overall, brush is shedding a bit",
        "pretty bottle but the lid leaks a little",
    ),
    ("price", "bad"): (
        "too expensive for what it is",
        "shipping costs are a rip off for a small parcel",
        "prices went up since my last order :(",
        "14.90 for express to the UK is crazy",
    ),
    ("price", "mixed"): (
        "abit pricey but worth it",
        "good products, prices a bit high tho",
        "shame free delivery only starts at 49 euros",
    ),
    ("website", "bad"): (
        "Website is slow and payment failed twice",
        "couldnt change my address after ordering",
        "promo code didnt work",
        "site only half translated in english, confusing",
    ),
    ("website", "mixed"): (
        "site is easy but search is useless",
        "fine but the mobile site needs work",
    ),
    ("website", "good"): (
        "Easy to order, took 2 minutes",
        "website is clear and simple",
    ),
    ("service", "good"): (
        "The chat answered straight away, really handy",
        "thanks to Claire from customer service, so helpful",
        "agent sorted my problem in 5 mins",
        "the bot found my parcel instantly, impressive",
        "great customer service",
        "Yanis was lovely and very quick, thank you",
    ),
    ("service", "bad"): (
        "chatbot understands nothing, had to ask for a human 3 times",
        "waited 2 days for an email reply",
        "nobody answers at the weekend...",
        "couldnt reach anyone, very disappointed",
        "the bot goes round in circles",
    ),
    ("service", "mixed"): (
        "bot didnt get it but the person was great",
        "reply took a while but problem solved",
    ),
    ("stockout", "bad"): (
        "said in stock but it wasnt, shipped a week later",
        "out of stock not shown on the site, waited for nothing",
    ),
    ("stockout", "mixed"): (
        "one item was out of stock so it took longer, but got it",
        "longer wait because of stock but at least i was told",
    ),
    ("returns", "good"): (
        "easy return with the label, refunded in 3 days",
        "Exchange done no problem, thanks",
        "refund came quickly after sending it back",
    ),
    ("returns", "bad"): (
        "still not refunded 10 days after the return!!",
        "5.90 for a return label when it wasnt my fault",
        "return process is way too complicated",
    ),
    ("eco", "good"): (
        "plastic free packaging, finally! thanks",
        "love the recycled cardboard and paper tape",
        "so glad to find good quality zero waste stuff",
    ),
    ("eco", "mixed"): (
        "some plastic in the box, shame for an eco shop",
        "huge box for one small soap",
    ),
}

_BANK: Final = {"fr": _FR, "en": _EN}


def comments(language: str, situation: str, mood: Mood) -> tuple[str, ...]:
    """The bank's comments for a language, situation and mood (maybe none)."""
    return _BANK["en" if language == "en" else "fr"].get((situation, mood), ())


def all_comments() -> list[str]:
    """Every distinct comment of the bank, in a fixed order (for the tagger)."""
    seen: dict[str, None] = {}
    for bank in _BANK.values():
        for texts in bank.values():
            seen.update(dict.fromkeys(texts))
    return list(seen)
