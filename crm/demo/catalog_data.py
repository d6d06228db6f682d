"""The demo shop's catalogue: a French web shop of eco-friendly products.

Categories carry the return rules customers ask about: hygiene, personalised
and food items cannot be sent back (hygiene and made-to-order exceptions of
the French 14-day withdrawal right), food is also perishable.
"""

# ruff: noqa: E501  (a data table reads best one product per line)

from __future__ import annotations

from typing import NamedTuple

NON_RETURNABLE = frozenset({"hygiene", "personalised", "food"})
PERISHABLE = frozenset({"food"})


class ProductSpec(NamedTuple):
    """One catalogue entry; `weight` is how often it is bought relative to others."""

    sku: str
    name_fr: str
    name_en: str
    category: str
    price: str
    weight: int


PRODUCTS: tuple[ProductSpec, ...] = (
    # hygiene (not returnable once sold)
    ProductSpec("HYG-001", "Shampoing solide ortie", "Nettle solid shampoo", "hygiene", "9.90", 9),
    ProductSpec("HYG-002", "Brosse à dents en bambou", "Bamboo toothbrush", "hygiene", "3.50", 12),
    ProductSpec("HYG-003", "Déodorant solide palmarosa", "Palmarosa solid deodorant", "hygiene", "8.90", 7),
    ProductSpec("HYG-004", "Cup menstruelle taille 1", "Menstrual cup size 1", "hygiene", "22.00", 4),
    ProductSpec("HYG-005", "Savon surgras au lait d'ânesse", "Donkey milk superfatted soap", "hygiene", "6.50", 8),
    ProductSpec("HYG-006", "Dentifrice solide menthe", "Mint toothpaste tablets", "hygiene", "7.20", 6),
    ProductSpec("HYG-007", "Oriculi en bambou", "Bamboo ear cleaner", "hygiene", "4.90", 3),
    # kitchen
    ProductSpec("KIT-001", "Emballages à la cire d'abeille (lot de 3)", "Beeswax wraps (set of 3)", "kitchen", "16.90", 10),
    ProductSpec("KIT-002", "Pailles inox et goupillon", "Stainless steel straws with brush", "kitchen", "8.50", 6),
    ProductSpec("KIT-003", "Bocaux en verre 1 L (lot de 4)", "Glass jars 1 L (set of 4)", "kitchen", "19.90", 6),
    ProductSpec("KIT-004", "Boîte repas inox", "Stainless steel lunch box", "kitchen", "27.90", 5),
    ProductSpec("KIT-005", "Couverts nomades en bambou", "Bamboo travel cutlery", "kitchen", "12.90", 5),
    ProductSpec("KIT-006", "Gourde isotherme 500 mL", "Insulated bottle 500 mL", "kitchen", "24.90", 8),
    ProductSpec("KIT-007", "Bee wrap vegan grand format", "Large vegan food wrap", "kitchen", "13.50", 3),
    ProductSpec("KIT-008", "Filtre à café réutilisable en coton", "Reusable cotton coffee filter", "kitchen", "7.90", 4),
    # cleaning
    ProductSpec("CLE-001", "Lessive au savon de Marseille 2 L", "Marseille soap laundry liquid 2 L", "cleaning", "11.90", 8),
    ProductSpec("CLE-002", "Éponges lavables (lot de 3)", "Washable sponges (set of 3)", "cleaning", "9.50", 7),
    ProductSpec("CLE-003", "Copeaux de savon de Marseille 1 kg", "Marseille soap flakes 1 kg", "cleaning", "10.90", 5),
    ProductSpec("CLE-004", "Brosse à vaisselle en hêtre", "Beech wood dish brush", "cleaning", "6.90", 6),
    ProductSpec("CLE-005", "Vinaigre ménager 5 L", "Cleaning vinegar 5 L", "cleaning", "8.90", 5),
    ProductSpec("CLE-006", "Bicarbonate de soude 1 kg", "Baking soda 1 kg", "cleaning", "5.50", 6),
    ProductSpec("CLE-007", "Lingettes démaquillantes lavables", "Washable make-up remover pads", "cleaning", "12.90", 5),
    # garden
    ProductSpec("GAR-001", "Composteur de balcon 40 L", "Balcony composter 40 L", "garden", "49.90", 3),
    ProductSpec("GAR-002", "Hôtel à insectes", "Insect hotel", "garden", "29.90", 3),
    ProductSpec("GAR-003", "Graines potagères bio (coffret)", "Organic vegetable seeds (box)", "garden", "14.90", 5),
    ProductSpec("GAR-004", "Récupérateur d'eau de pluie 200 L", "Rain water butt 200 L", "garden", "79.00", 1),
    ProductSpec("GAR-005", "Nichoir à mésanges", "Tit nest box", "garden", "24.50", 2),
    ProductSpec("GAR-006", "Lombricomposteur d'appartement", "Indoor worm composter", "garden", "89.00", 1),
    # textile
    ProductSpec("TEX-001", "Tote bag en coton bio", "Organic cotton tote bag", "textile", "9.90", 7),
    ProductSpec("TEX-002", "Serviettes de table en lin (lot de 4)", "Linen napkins (set of 4)", "textile", "29.00", 3),
    ProductSpec("TEX-003", "Torchon en chanvre", "Hemp tea towel", "textile", "11.50", 4),
    ProductSpec("TEX-004", "Sacs à vrac en coton (lot de 5)", "Cotton bulk bags (set of 5)", "textile", "14.90", 6),
    ProductSpec("TEX-005", "Plaid en laine recyclée", "Recycled wool throw", "textile", "59.00", 2),
    ProductSpec("TEX-006", "Chaussettes en coton bio", "Organic cotton socks", "textile", "12.00", 4),
    # baby
    ProductSpec("BAB-001", "Couches lavables (kit naissance)", "Cloth nappies (newborn kit)", "baby", "119.00", 1),
    ProductSpec("BAB-002", "Body en coton bio 3 mois", "Organic cotton bodysuit 3 months", "baby", "14.90", 3),
    ProductSpec("BAB-003", "Hochet en bois naturel", "Natural wood rattle", "baby", "12.50", 3),
    ProductSpec("BAB-004", "Cubes d'éveil en bois", "Wooden stacking blocks", "baby", "24.90", 2),
    ProductSpec("BAB-005", "Bavoirs en gaze de coton (lot de 3)", "Cotton muslin bibs (set of 3)", "baby", "16.00", 2),
    # personalised (made to order, not returnable)
    ProductSpec("PER-001", "Planche à découper gravée", "Engraved cutting board", "personalised", "34.90", 2),
    ProductSpec("PER-002", "Gourde gravée au prénom", "Name-engraved bottle", "personalised", "29.90", 2),
    ProductSpec("PER-003", "Tote bag brodé personnalisé", "Custom embroidered tote bag", "personalised", "19.90", 2),
    # food (perishable, not returnable)
    ProductSpec("FOO-001", "Café bio d'Éthiopie 250 g", "Organic Ethiopian coffee 250 g", "food", "8.90", 7),
    ProductSpec("FOO-002", "Thé vert sencha en vrac 100 g", "Loose sencha green tea 100 g", "food", "7.50", 5),
    ProductSpec("FOO-003", "Miel de lavande 500 g", "Lavender honey 500 g", "food", "11.90", 5),
    ProductSpec("FOO-004", "Chocolat noir 70 % équitable", "Fair-trade 70% dark chocolate", "food", "3.90", 7),
    ProductSpec("FOO-005", "Huile d'olive bio 75 cL", "Organic olive oil 75 cL", "food", "14.50", 4),
    ProductSpec("FOO-006", "Granola maison sans sucre ajouté", "No-added-sugar granola", "food", "6.90", 4),
)  # fmt: skip
