from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pytest

from actions.choices import (
    parse_problem_kind,
    parse_quantity,
    parse_reason,
    parse_resolution,
    pick_items,
)
from crm.problems.models import ProblemKind
from crm.returns.models import Resolution, ReturnReason
from tests.actions.conftest import DOMAIN


@dataclass(frozen=True)
class Offered:
    sku: str
    name_fr: str
    name_en: str


SHAMPOO = Offered("HYG-001", "Shampoing solide ortie", "Nettle solid shampoo")
BOTTLE = Offered("KIT-006", "Gourde isotherme 500 mL", "Insulated bottle 500 mL")
SPONGES = Offered(
    "CLE-002", "Éponges lavables (lot de 3)", "Washable sponges (set of 3)"
)
CUTLERY = Offered("KIT-005", "Couverts nomades en bambou", "Bamboo travel cutlery")
EAR = Offered("HYG-007", "Oriculi en bambou", "Bamboo ear cleaner")
THREE = (SHAMPOO, BOTTLE, SPONGES)


# -- which item --------------------------------------------------------------


@pytest.mark.parametrize("answer", ["KIT-006", "kit-006", " KIT-006 "])
def test_a_button_sends_the_sku_itself(answer: str) -> None:
    assert pick_items(answer, THREE, "fr") == ["KIT-006"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("1", ["HYG-001"]),
        ("le 2", ["KIT-006"]),
        ("2 et 3", ["KIT-006", "CLE-002"]),
        ("3 and 2", ["KIT-006", "CLE-002"]),
        ("1, 3", ["HYG-001", "CLE-002"]),
    ],
)
def test_positions_count_items_in_the_order_offered(
    answer: str, expected: list[str]
) -> None:
    assert pick_items(answer, THREE, "fr") == expected


def test_a_position_past_the_list_is_not_understood() -> None:
    assert pick_items("4", THREE, "fr") is None
    assert pick_items("0", THREE, "en") is None


@pytest.mark.parametrize(
    "answer", ["tout", "Tout renvoyer", "tous", "all", "everything", "both of them"]
)
def test_all_sends_every_item_offered(answer: str) -> None:
    assert pick_items(answer, THREE, "fr") == ["HYG-001", "KIT-006", "CLE-002"]


def test_both_in_french_means_the_two_items() -> None:
    assert pick_items("les deux", (SHAMPOO, BOTTLE), "fr") == ["HYG-001", "KIT-006"]


@pytest.mark.parametrize(
    ("answer", "language", "expected"),
    [
        ("le shampoing", "fr", "HYG-001"),
        ("la gourde isotherme", "fr", "KIT-006"),
        ("les eponges", "fr", "CLE-002"),
        ("les éponges", "fr", "CLE-002"),
        ("EPONGES LAVABLES", "fr", "CLE-002"),
        ("the shampoo", "en", "HYG-001"),
        ("the insulated bottle", "en", "KIT-006"),
        ("sponges", "en", "CLE-002"),
        # A French customer may read the English name, and the other way round.
        ("the bottle", "fr", "KIT-006"),
        ("la gourde", "en", "KIT-006"),
    ],
)
def test_an_item_typed_by_name_in_either_language(
    answer: str, language: str, expected: str
) -> None:
    assert pick_items(answer, THREE, language) == [expected]


@pytest.mark.parametrize("answer", ["en bambou", "the bamboo one", "bambou"])
def test_a_name_two_items_share_is_asked_again(answer: str) -> None:
    assert pick_items(answer, (CUTLERY, EAR, BOTTLE), "fr") is None


@pytest.mark.parametrize("answer", ["je sais pas", "hmm", "", "le truc bleu"])
def test_words_that_name_no_item_are_not_understood(answer: str) -> None:
    assert pick_items(answer, THREE, "fr") is None


@pytest.mark.parametrize(
    "answer", ["oui", "Oui c'est celui-ci", "yes", "ok", "tout", "all"]
)
def test_yes_to_the_only_item_offered_picks_it(answer: str) -> None:
    """The bot asks "is this the one?" when only one item can go back."""
    assert pick_items(answer, (BOTTLE,), "fr") == ["KIT-006"]


def test_yes_among_several_items_is_not_a_choice() -> None:
    assert pick_items("oui", THREE, "fr") is None


# -- how many ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("2", 2),
        ("j'en renvoie 2", 2),
        ("deux", 2),
        ("two", 2),
        ("une seule", 1),
        ("one", 1),
        ("3", 3),
        ("tout", 3),
        ("tous les 3", 3),
        ("all of them", 3),
    ],
)
def test_quantity_in_figures_or_words(answer: str, expected: int) -> None:
    assert parse_quantity(answer, 3) == expected


@pytest.mark.parametrize("answer", ["0", "4", "12", "2 ou 3", "je ne sais pas", ""])
def test_quantity_out_of_range_or_unclear_is_none(answer: str) -> None:
    assert parse_quantity(answer, 3) is None


# -- why ---------------------------------------------------------------------


def button_choices(response: str, slot: str) -> list[tuple[str, str]]:
    """(title, value) of every button of a domain response, in both languages."""
    found = []
    for variation in DOMAIN["responses"][response]:
        for button in variation["buttons"]:
            value = button["payload"].split(f'"{slot}":"')[1].split('"')[0]
            found.append((button["title"], value))
    return found


@pytest.mark.parametrize("value", list(ReturnReason))
def test_a_reason_button_value_is_read_as_is(value: ReturnReason) -> None:
    assert parse_reason(value.value) is value


@pytest.mark.parametrize(
    ("title", "value"), button_choices("utter_ask_return_reason", "return_reason")
)
def test_a_reason_button_title_typed_out_means_that_button(
    title: str, value: str
) -> None:
    assert parse_reason(title) == value


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("il est arrivé cassé", ReturnReason.DAMAGED),
        ("arrive abime", ReturnReason.DAMAGED),
        ("it arrived broken", ReturnReason.DAMAGED),
        ("il ne marche pas", ReturnReason.FAULTY),
        ("il ne fonctionne plus", ReturnReason.FAULTY),
        ("it doesn't work", ReturnReason.FAULTY),
        ("it doesn\u2019t work", ReturnReason.FAULTY),
        ("doesnt work", ReturnReason.FAULTY),
        ("c'est pas le bon article", ReturnReason.WRONG_ITEM),
        ("you sent the wrong one", ReturnReason.WRONG_ITEM),
        ("trop petit", ReturnReason.SIZE_FIT),
        ("it doesn't fit", ReturnReason.SIZE_FIT),
        ("ça ne ressemble pas à la photo", ReturnReason.NOT_AS_DESCRIBED),
        ("arrivé en retard", ReturnReason.LATE),
        ("j'ai change d'avis", ReturnReason.CHANGED_MIND),
        ("j\u2019en ai plus besoin", ReturnReason.CHANGED_MIND),
        ("I changed my mind", ReturnReason.CHANGED_MIND),
    ],
)
def test_a_reason_typed_in_words(answer: str, expected: ReturnReason) -> None:
    assert parse_reason(answer) is expected


def test_a_free_label_reason_wins_over_another_in_the_same_answer() -> None:
    assert parse_reason("arrivé en retard et abîmé") is ReturnReason.DAMAGED


@pytest.mark.parametrize("answer", ["bof", "parce que", "no reason", ""])
def test_no_reason_in_the_words_is_none(answer: str) -> None:
    assert parse_reason(answer) is None


# -- refund or exchange --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "value"),
    button_choices("utter_ask_return_resolution", "return_resolution"),
)
def test_a_resolution_button_title_typed_out_means_that_button(
    title: str, value: str
) -> None:
    assert parse_resolution(title) == value


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("refund", Resolution.REFUND),
        ("exchange", Resolution.EXCHANGE),
        ("je veux etre remboursee", Resolution.REFUND),
        ("my money back please", Resolution.REFUND),
        ("un échange svp", Resolution.EXCHANGE),
        ("le remplacer", Resolution.EXCHANGE),
        ("a replacement", Resolution.EXCHANGE),
    ],
)
def test_refund_or_exchange_in_words(answer: str, expected: Resolution) -> None:
    assert parse_resolution(answer) is expected


def test_neither_refund_nor_exchange_is_none() -> None:
    assert parse_resolution("je ne sais pas") is None


# -- what went wrong -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "value"), button_choices("utter_ask_problem_kind", "problem_kind")
)
def test_a_problem_button_title_typed_out_means_that_button(
    title: str, value: str
) -> None:
    assert parse_problem_kind(title) == value


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("not_received", ProblemKind.NOT_RECEIVED),
        ("je n'ai jamais reçu mon colis", ProblemKind.NOT_RECEIVED),
        ("colis pas recu", ProblemKind.NOT_RECEIVED),
        ("mon colis n'est jamais arrivé", ProblemKind.NOT_RECEIVED),
        ("I never received my parcel", ProblemKind.NOT_RECEIVED),
        ("il manque un article", ProblemKind.MISSING_ITEM),
        ("something is missing from the box", ProblemKind.MISSING_ITEM),
        ("I only got 2 of them", ProblemKind.MISSING_ITEM),
        ("c'est arrivé écrasé", ProblemKind.DAMAGED),
        ("the lid is cracked and broken", ProblemKind.DAMAGED),
        ("ça marche pas", ProblemKind.FAULTY),
        ("it isn't working", ProblemKind.FAULTY),
        ("mauvais article", ProblemKind.WRONG_ITEM),
        ("wrong item", ProblemKind.WRONG_ITEM),
    ],
)
def test_a_problem_typed_in_words(answer: str, expected: ProblemKind) -> None:
    assert parse_problem_kind(answer) is expected


def test_no_problem_in_the_words_is_none() -> None:
    assert parse_problem_kind("bonjour") is None


@pytest.mark.parametrize("values", [ReturnReason, Resolution, ProblemKind])
def test_every_enum_value_reads_as_itself(values: type[StrEnum]) -> None:
    parser = {
        ReturnReason: parse_reason,
        Resolution: parse_resolution,
        ProblemKind: parse_problem_kind,
    }[values]
    for value in values:
        assert parser(value.value) == value


@pytest.mark.parametrize(
    "answer",
    ["la casserole est trop lourde", "the chocolate melted", "je voulais une plate"],
)
def test_a_stem_inside_another_word_is_not_a_reason(answer: str) -> None:
    # "cass" in "casserole" or "late" in "chocolate" would give a free label.
    assert parse_reason(answer) is None


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("il est arrivé déchiré", "damaged"),
        ("le bocal est fendu", "damaged"),
        ("écran rayé", "damaged"),
        ("the jar is cracked", "damaged"),
        ("dented lid", "damaged"),
        ("la gourde fuit", "faulty"),
        ("it leaks", "faulty"),
    ],
)
def test_more_ways_to_say_it_arrived_broken(answer: str, reason: str) -> None:
    assert parse_reason(answer) == reason


@pytest.mark.parametrize(
    "answer", ["la brosse à dents", "rayon du magasin", "du dentifrice"]
)
def test_product_words_are_not_damage(answer: str) -> None:
    assert parse_reason(answer) is None
