"""Names, streets and towns for demo customers: French mostly, some English.

Postcodes are real ones for their town (Paris, Lyon and Marseille spread over
their arrondissements) so that a postcode check in the bot looks plausible.
"""

# ruff: noqa: E501  (data tables read best a few entries per line)

from __future__ import annotations

from typing import NamedTuple


class Town(NamedTuple):
    """A town customers live in; `weight` roughly follows its population."""

    postcode: str
    city: str
    country: str
    weight: int


FRENCH_FIRST_NAMES: tuple[str, ...] = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Zoé",
    "Alice", "Juliette", "Lina", "Clara", "Sarah", "Anaïs", "Pauline", "Marion",
    "Céline", "Sophie", "Nathalie", "Isabelle", "Sandrine", "Hélène", "Claire",
    "Élodie", "Aurélie", "Gaëlle", "Margaux", "Océane", "Maëlys", "Agathe",
    "Thomas", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël",
    "Nathan", "Théo", "Maxime", "Antoine", "Nicolas", "Julien", "Quentin",
    "Alexandre", "Baptiste", "Romain", "Guillaume", "François", "Benoît",
    "Jérôme", "Sébastien", "Olivier", "Stéphane", "Mathieu", "Yannick", "Loïc",
    "Cédric", "Grégoire", "Étienne", "Noël", "Timothée", "Bastien", "Karim",
    "Yasmine", "Mehdi", "Fatima", "Nour", "Sofiane", "Amandine", "Laurent",
)  # fmt: skip

FRENCH_LAST_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
    "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel",
    "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin",
    "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
    "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Barbier",
    "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
    "Le Gall", "Le Goff", "Kerbrat", "Benali", "Haddad", "Pereira", "Rey",
)  # fmt: skip

ENGLISH_FIRST_NAMES: tuple[str, ...] = (
    "Oliver", "George", "Harry", "Jack", "Charlie", "Jacob", "William", "James",
    "Thomas", "Daniel", "Matthew", "Samuel", "Benjamin", "Ethan", "Olivia",
    "Amelia", "Isla", "Emily", "Ava", "Sophie", "Grace", "Lily", "Charlotte",
    "Hannah", "Jessica", "Lucy", "Chloe", "Megan", "Rachel", "Emma", "Sarah",
    "Laura", "Kate", "Helen", "Fiona", "Rebecca", "Alice", "Eleanor", "Ruth",
)  # fmt: skip

ENGLISH_LAST_NAMES: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
    "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White",
    "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards",
    "Turner", "Harris", "Cooper", "Hill", "Ward", "Morris", "Baker", "Harrison",
    "O'Brien", "Murphy", "Kelly", "Campbell", "Stewart", "MacDonald", "Reid",
)  # fmt: skip

FRENCH_STREETS: tuple[str, ...] = (
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo",
    "boulevard Voltaire", "rue Pasteur", "rue du Général de Gaulle",
    "place de la Mairie", "rue des Écoles", "chemin des Vignes",
    "allée des Tilleuls", "impasse du Moulin", "rue de la Gare",
    "avenue de la Libération", "rue Jean Moulin", "rue des Lilas",
    "rue du Château", "rue Saint-Jacques", "boulevard Gambetta",
    "rue de Verdun", "avenue Foch", "rue des Acacias", "rue de l'Église",
    "chemin de la Fontaine", "rue Émile Zola", "rue Nationale",
    "rue des Jardins", "avenue des Pins", "rue du Stade", "quai des Chartrons",
    "rue Sainte-Catherine", "cours Lafayette", "rue de la Paix",
    "route de Lyon", "rue Anatole France", "rue des Tanneurs", "rue Jules Ferry",
)  # fmt: skip

BELGIAN_STREETS: tuple[str, ...] = (
    "rue Neuve", "chaussée de Waterloo", "avenue Louise", "rue de la Loi",
    "chaussée d'Ixelles", "rue Haute", "boulevard d'Avroy", "rue de Fer",
)  # fmt: skip

SWISS_STREETS: tuple[str, ...] = (
    "rue du Rhône", "avenue de la Gare", "rue de Lausanne", "chemin des Crêts",
    "rue du Marché", "avenue de Rumine", "Grand-Rue",
)  # fmt: skip

BRITISH_STREETS: tuple[str, ...] = (
    "High Street", "Church Road", "Station Road", "Victoria Road", "Mill Lane",
    "Park Avenue", "Queen Street", "Green Lane", "Manor Road", "King's Road",
)  # fmt: skip

STREETS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "FR": FRENCH_STREETS,
    "BE": BELGIAN_STREETS,
    "CH": SWISS_STREETS,
    "GB": BRITISH_STREETS,
}

PHONE_PREFIX: dict[str, str] = {"FR": "+33", "BE": "+32", "CH": "+41", "GB": "+44"}

_FRENCH_TOWNS: tuple[tuple[str, str, int], ...] = (
    ("31000", "Toulouse", 48), ("06000", "Nice", 34), ("44000", "Nantes", 32),
    ("67000", "Strasbourg", 28), ("34000", "Montpellier", 29), ("33000", "Bordeaux", 26),
    ("59000", "Lille", 23), ("35000", "Rennes", 22), ("51100", "Reims", 18),
    ("42000", "Saint-Étienne", 17), ("76600", "Le Havre", 17), ("83000", "Toulon", 17),
    ("38000", "Grenoble", 16), ("21000", "Dijon", 16), ("49000", "Angers", 15),
    ("30000", "Nîmes", 15), ("69100", "Villeurbanne", 15), ("63000", "Clermont-Ferrand", 15),
    ("72000", "Le Mans", 14), ("13100", "Aix-en-Provence", 14), ("29200", "Brest", 14),
    ("37000", "Tours", 14), ("80000", "Amiens", 13), ("87000", "Limoges", 13),
    ("74000", "Annecy", 13), ("66000", "Perpignan", 12), ("57000", "Metz", 12),
    ("25000", "Besançon", 12), ("45000", "Orléans", 12), ("76000", "Rouen", 11),
    ("68100", "Mulhouse", 11), ("14000", "Caen", 11), ("54000", "Nancy", 10),
    ("84000", "Avignon", 9), ("17000", "La Rochelle", 8), ("86000", "Poitiers", 9),
    ("64000", "Pau", 8), ("64100", "Bayonne", 5), ("29000", "Quimper", 6),
    ("56000", "Vannes", 5), ("56100", "Lorient", 5), ("73000", "Chambéry", 6),
    ("26000", "Valence", 6), ("68000", "Colmar", 7), ("10000", "Troyes", 6),
    ("92100", "Boulogne-Billancourt", 12), ("93100", "Montreuil", 11),
    ("94300", "Vincennes", 5), ("92300", "Levallois-Perret", 6), ("78000", "Versailles", 9),
    ("92200", "Neuilly-sur-Seine", 6), ("94200", "Ivry-sur-Seine", 6),
    ("91300", "Massy", 5), ("95000", "Cergy", 6), ("77300", "Fontainebleau", 3),
    ("40000", "Mont-de-Marsan", 3), ("24000", "Périgueux", 3), ("46000", "Cahors", 2),
    ("12000", "Rodez", 2), ("05000", "Gap", 2), ("04000", "Digne-les-Bains", 1),
    ("22000", "Saint-Brieuc", 4), ("35400", "Saint-Malo", 5), ("50100", "Cherbourg-en-Cotentin", 4),
    ("62200", "Boulogne-sur-Mer", 4), ("59140", "Dunkerque", 6), ("02100", "Saint-Quentin", 4),
    ("71100", "Chalon-sur-Saône", 4), ("01000", "Bourg-en-Bresse", 4), ("39000", "Lons-le-Saunier", 2),
    ("88000", "Épinal", 3), ("65000", "Tarbes", 4), ("81000", "Albi", 4),
    ("11000", "Carcassonne", 4), ("34500", "Béziers", 6), ("20000", "Ajaccio", 5),
    ("20200", "Bastia", 4), ("89000", "Auxerre", 3),
    ("18000", "Bourges", 5), ("03100", "Montluçon", 3), ("19100", "Brive-la-Gaillarde", 4),
    ("47000", "Agen", 3), ("32000", "Auch", 2), ("26200", "Montélimar", 3),
    ("84300", "Cavaillon", 2), ("13200", "Arles", 4), ("83400", "Hyères", 4),
    ("06400", "Cannes", 6), ("06600", "Antibes", 6), ("44600", "Saint-Nazaire", 5),
    ("85000", "La Roche-sur-Yon", 4), ("79000", "Niort", 5), ("16000", "Angoulême", 4),
)  # fmt: skip

_FOREIGN_TOWNS: tuple[Town, ...] = (
    Town("1000", "Bruxelles", "BE", 12), Town("1050", "Ixelles", "BE", 6),
    Town("1060", "Saint-Gilles", "BE", 3), Town("4000", "Liège", "BE", 6),
    Town("5000", "Namur", "BE", 4), Town("1300", "Wavre", "BE", 2),
    Town("6000", "Charleroi", "BE", 4), Town("7000", "Mons", "BE", 2),
    Town("1201", "Genève", "CH", 8), Town("1003", "Lausanne", "CH", 6),
    Town("2000", "Neuchâtel", "CH", 2), Town("1700", "Fribourg", "CH", 2),
    Town("1950", "Sion", "CH", 1),
    Town("N1 9GU", "London", "GB", 6), Town("SE1 7PB", "London", "GB", 5),
    Town("M1 1AE", "Manchester", "GB", 3), Town("BS1 4DJ", "Bristol", "GB", 2),
    Town("EH1 1YZ", "Edinburgh", "GB", 2), Town("OX1 2JD", "Oxford", "GB", 1),
    Town("CB2 1TN", "Cambridge", "GB", 1), Town("BN1 1AA", "Brighton", "GB", 2),
)  # fmt: skip


def _arrondissements(prefix: str, city: str, count: int, weight: int) -> list[Town]:
    """Big cities' postcodes by arrondissement: 75001..75020, 69001..69009..."""
    return [Town(f"{prefix}{n:03d}", city, "FR", weight) for n in range(1, count + 1)]


FRENCH_TOWNS: tuple[Town, ...] = (
    *_arrondissements("75", "Paris", 20, 11),
    *_arrondissements("69", "Lyon", 9, 6),
    *_arrondissements("13", "Marseille", 16, 4),
    *(Town(code, city, "FR", weight) for code, city, weight in _FRENCH_TOWNS),
)
BELGIAN_TOWNS = tuple(t for t in _FOREIGN_TOWNS if t.country == "BE")
SWISS_TOWNS = tuple(t for t in _FOREIGN_TOWNS if t.country == "CH")
BRITISH_TOWNS = tuple(t for t in _FOREIGN_TOWNS if t.country == "GB")

TOWNS: tuple[Town, ...] = FRENCH_TOWNS + _FOREIGN_TOWNS
"""Every town, French first; indexes into this tuple are stored per customer."""

RELAY_SHOPS: tuple[str, ...] = (
    "Tabac-Presse du Centre", "Pressing de la Gare", "Carrefour City",
    "Librairie des Halles", "Fleuriste Les Quatre Saisons", "Cordonnerie Minute",
    "Épicerie Bio Le Panier", "Relay", "Boulangerie Paul et Fils", "Intermarché Express",
    "Quincaillerie Moderne", "Bureau Vallée",
)  # fmt: skip
