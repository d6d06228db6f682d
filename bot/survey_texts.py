"""What the hub writes about surveys and parcels: e-mails and the survey page.

Merged into `bot.messages.MESSAGES` (the catalogue test checks both
languages and equal placeholders). Dates arrive formatted for the language.
"""

from __future__ import annotations

from typing import Final

SURVEY_MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the invitation e-mail ------------------------------------------------
    "mail_survey_subject": {
        "fr": "Votre commande {order_number} : comment s'est-elle passée ?",
        "en": "Your order {order_number}: how did it go?",
    },
    "mail_survey_body": {
        "fr": "Bonjour {first_name},\n\nVotre commande {order_number} vous a été "
        "livrée. Auriez-vous une minute pour nous dire comment tout s'est passé ? "
        "Trois questions et un commentaire si vous le souhaitez :\n\n{link}\n\n"
        "Le lien fonctionne jusqu'au {expires_on}. Vos réponses nous aident à "
        "mieux choisir nos transporteurs et nos emballages.\n\nMerci,\n"
        "L'équipe {shop_name}\n\nVous ne souhaitez plus recevoir ces "
        "questionnaires ? {opt_out_link}",
        "en": "Hello {first_name},\n\nYour order {order_number} has been "
        "delivered. Could you spare a minute to tell us how it went? Three "
        "questions, and a comment if you like:\n\n{link}\n\nThe link works until "
        "{expires_on}. Your answers help us choose our carriers and our "
        "packaging.\n\nThank you,\nThe {shop_name} team\n\nNo more surveys, "
        "please? {opt_out_link}",
    },
    # -- the delay notice e-mail ----------------------------------------------
    "mail_delay_subject": {
        "fr": "Votre commande {order_number} aura du retard",
        "en": "Your order {order_number} is running late",
    },
    "mail_delay_body_estimate": {
        "fr": "Bonjour {first_name},\n\nNous préférons vous prévenir : votre "
        "commande {order_number}, promise pour le {promised_on}, arrivera plus "
        "tard que prévu. Le transporteur l'annonce désormais pour le "
        "{expected_on}.\n\nVous n'avez rien à faire. Pour suivre le colis ou "
        "nous écrire, notre assistant vous répond sur {shop_url}.\n\nToutes nos "
        "excuses,\nL'équipe {shop_name}",
        "en": "Hello {first_name},\n\nWe would rather tell you first: your order "
        "{order_number}, promised for {promised_on}, will arrive later than "
        "planned. The carrier now expects to deliver it on {expected_on}.\n\n"
        "There is nothing you need to do. To track the parcel or write to us, "
        "our assistant answers at {shop_url}.\n\nOur apologies,\n"
        "The {shop_name} team",
    },
    "mail_delay_body_unknown": {
        "fr": "Bonjour {first_name},\n\nNous préférons vous prévenir : votre "
        "commande {order_number}, promise pour le {promised_on}, n'est pas encore "
        "arrivée et le transporteur ne nous a pas encore donné de nouvelle date. "
        "Nous le relançons.\n\nPour suivre le colis ou nous écrire, notre "
        "assistant vous répond sur {shop_url}.\n\nToutes nos excuses,\n"
        "L'équipe {shop_name}",
        "en": "Hello {first_name},\n\nWe would rather tell you first: your order "
        "{order_number}, promised for {promised_on}, has not arrived yet and the "
        "carrier has not given us a new date. We are chasing them.\n\nTo track "
        "the parcel or write to us, our assistant answers at {shop_url}.\n\n"
        "Our apologies,\nThe {shop_name} team",
    },
    # -- the same notice, in the widget ---------------------------------------
    "chat_delay_notice_estimate": {
        "fr": "Bonjour ! Nous préférons vous prévenir : votre commande "
        "{order_number}, promise pour le {promised_on}, a pris du retard. Le "
        "transporteur l'annonce maintenant pour le {expected_on}. Toutes nos "
        "excuses.",
        "en": "Hello! We would rather tell you first: your order {order_number}, "
        "promised for {promised_on}, is running late. The carrier now expects it "
        "on {expected_on}. Our apologies.",
    },
    "chat_delay_notice_unknown": {
        "fr": "Bonjour ! Nous préférons vous prévenir : votre commande "
        "{order_number}, promise pour le {promised_on}, n'est pas encore arrivée "
        "et le transporteur n'a pas donné de nouvelle date. Nous le relançons ; "
        "toutes nos excuses.",
        "en": "Hello! We would rather tell you first: your order {order_number}, "
        "promised for {promised_on}, has not arrived yet and the carrier has not "
        "given a new date. We are chasing them; our apologies.",
    },
    # -- the survey page --------------------------------------------------------
    "survey_title": {
        "fr": "Votre avis sur la commande {order_number}",
        "en": "Your opinion of order {order_number}",
    },
    "survey_intro": {
        "fr": "Bonjour {first_name}, merci de prendre une minute. Toutes les "
        "questions sont facultatives.",
        "en": "Hello {first_name}, thank you for taking a minute. Every question "
        "is optional.",
    },
    "survey_delivered_on": {
        "fr": "Livrée le {day}",
        "en": "Delivered on {day}",
    },
    "survey_csat": {
        "fr": "Dans l'ensemble, êtes-vous satisfait·e de cette commande ?",
        "en": "Overall, how satisfied are you with this order?",
    },
    "survey_csat_scale": {
        "fr": "1 étoile : pas du tout · 5 étoiles : tout à fait",
        "en": "1 star: not at all · 5 stars: completely",
    },
    "survey_star": {"fr": "{count} sur 5", "en": "{count} out of 5"},
    "survey_nps": {
        "fr": "Recommanderiez-vous notre boutique à un proche ?",
        "en": "How likely are you to recommend our shop to a friend?",
    },
    "survey_nps_scale": {
        "fr": "0 : pas du tout probable · 10 : très probable",
        "en": "0: not at all likely · 10: extremely likely",
    },
    "survey_ces": {
        "fr": "Était-il facile de commander et d'être livré·e ?",
        "en": "How easy was it to order and get your delivery?",
    },
    "survey_ces_scale": {
        "fr": "1 : très difficile · 7 : très facile",
        "en": "1: very difficult · 7: very easy",
    },
    "survey_comment": {
        "fr": "Un mot de plus ? (facultatif)",
        "en": "Anything to add? (optional)",
    },
    "survey_comment_hint": {
        "fr": "{limit} caractères au plus.",
        "en": "{limit} characters at most.",
    },
    "survey_send": {"fr": "Envoyer mon avis", "en": "Send my answers"},
    "survey_thanks_title": {"fr": "Merci !", "en": "Thank you!"},
    "survey_thanks": {
        "fr": "Vos réponses sont bien enregistrées. Elles seront lues par notre "
        "équipe.",
        "en": "Your answers have been recorded. Our team will read them.",
    },
    "survey_thanks_sorry": {
        "fr": "Nous sommes désolés que tout ne se soit pas bien passé. Une personne "
        "de notre service client pourra revenir vers vous.",
        "en": "We are sorry things did not go well. Someone from our customer "
        "service may get back to you.",
    },
    "survey_answered": {
        "fr": "Ce questionnaire a déjà reçu vos réponses : merci ! Elles restent "
        "telles que vous les avez envoyées.",
        "en": "This survey has already been answered: thank you! Your answers "
        "stay as you sent them.",
    },
    "survey_expired": {
        "fr": "Ce lien a expiré : les questionnaires restent ouverts 30 jours. Pour "
        "nous dire quelque chose, notre assistant vous répond sur {shop_url}.",
        "en": "This link has expired: surveys stay open for 30 days. To tell us "
        "something, our assistant answers at {shop_url}.",
    },
    "survey_invalid": {
        "fr": "Ce lien de questionnaire n'est pas valide. Vérifiez qu'il a été "
        "copié en entier depuis l'e-mail.",
        "en": "This survey link is not valid. Check that it was copied whole from "
        "the e-mail.",
    },
    "survey_empty": {
        "fr": "Rien n'a été rempli : choisissez au moins une note ou écrivez un mot.",
        "en": "Nothing was filled in: pick at least one score or write a word.",
    },
    "survey_too_long": {
        "fr": "Votre commentaire fait {length} caractères ; {limit} au plus. Il "
        "est toujours dans le champ : raccourcissez-le puis renvoyez.",
        "en": "Your comment is {length} characters long; {limit} at most. It is "
        "still in the box: shorten it and send again.",
    },
    "survey_opt_out": {
        "fr": "Ne plus recevoir de questionnaires",
        "en": "Stop sending me surveys",
    },
    "survey_opted_out": {
        "fr": "C'est noté : vous ne recevrez plus de questionnaires de notre part. "
        "Les e-mails sur vos commandes (expédition, retard) continuent.",
        "en": "Done: you will not receive any more surveys from us. E-mails about "
        "your orders (shipping, delays) continue.",
    },
    # -- "tell me when my parcel moves": the e-mail at its next step ----------
    "mail_moved_subject": {
        "fr": "Du nouveau pour votre commande {order_number}",
        "en": "News about your order {order_number}",
    },
    "mail_moved_body": {
        "fr": "Bonjour {first_name},\n\nVous nous avez demandé de vous prévenir "
        "quand le colis de votre commande {order_number} bougerait : {step}"
        "{expected}\n\nPour suivre le colis ou nous écrire, notre assistant vous "
        "répond sur {shop_url}.\n\nL'équipe {shop_name}",
        "en": "Hello {first_name},\n\nYou asked us to tell you when the parcel of "
        "your order {order_number} moved: {step}{expected}\n\nTo track the parcel "
        "or write to us, our assistant answers at {shop_url}.\n\nThe {shop_name} "
        "team",
    },
    "mail_moved_when": {"fr": "le {day} à {time}", "en": "on {day} at {time}"},
    "mail_moved_expected": {
        "fr": "\n\nLe transporteur prévoit de le livrer le {expected_on}.",
        "en": "\n\nThe carrier expects to deliver it on {expected_on}.",
    },
    "mail_moved_shipped": {
        "fr": "il est parti de notre entrepôt {when}.",
        "en": "it left our warehouse {when}.",
    },
    "mail_moved_label_created": {
        "fr": "le transporteur a reçu son étiquette {when}.",
        "en": "the carrier received its label {when}.",
    },
    "mail_moved_picked_up": {
        "fr": "le transporteur l'a pris en charge {when} ({place}).",
        "en": "the carrier picked it up {when} ({place}).",
    },
    "mail_moved_in_transit": {
        "fr": "il est en route, scanné {when} à {place}.",
        "en": "it is on its way, scanned {when} in {place}.",
    },
    "mail_moved_at_hub": {
        "fr": "il est passé par le centre de tri de {place} {when}.",
        "en": "it went through the sorting centre in {place} {when}.",
    },
    "mail_moved_out_for_delivery": {
        "fr": "il est en cours de livraison depuis {when} ({place}).",
        "en": "it went out for delivery {when} ({place}).",
    },
    "mail_moved_at_relay_point": {
        "fr": "il vous attend au point relais ({place}) depuis {when}. Pensez à "
        "prendre une pièce d'identité.",
        "en": "it reached the relay point ({place}) {when} and is waiting for "
        "you there. Remember to bring an ID.",
    },
    "mail_moved_delivered": {
        "fr": "il a été livré {when}. S'il n'est pas arrivé jusqu'à vous, "
        "dites-le à notre assistant : une personne de l'équipe s'en occupera.",
        "en": "it was delivered {when}. If it did not reach you, tell our "
        "assistant: a person from our team will look into it.",
    },
    "mail_moved_delivery_failed": {
        "fr": "le livreur n'a pas pu le remettre {when} ({place}). Le transporteur "
        "repassera ou le déposera en point relais, et vous préviendra.",
        "en": "the courier could not hand it over {when} ({place}). The carrier "
        "will try again or leave it at a relay point, and will let you know.",
    },
    "mail_moved_delayed": {
        "fr": "le transporteur signale un retard {when} ({place}).",
        "en": "the carrier reported a delay {when} ({place}).",
    },
    "mail_moved_lost": {
        "fr": "le transporteur a perdu sa trace {when}. Écrivez-nous via notre "
        "assistant : une personne de l'équipe s'occupe de vous renvoyer la "
        "commande ou de vous rembourser.",
        "en": "the carrier lost track of it {when}. Write to us through our "
        "assistant: a person from our team will send the order again or refund "
        "you.",
    },
    "mail_moved_returned_to_sender": {
        "fr": "le transporteur nous le renvoie ({when}). Nous vous contactons pour "
        "la suite.",
        "en": "the carrier is sending it back to us ({when}). We will contact you "
        "about what happens next.",
    },
    "mail_moved_other": {
        "fr": "il a bougé {when} ({place}).",
        "en": "it moved {when} ({place}).",
    },
}
