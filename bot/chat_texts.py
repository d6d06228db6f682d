"""What the hub itself says in the chat, in both languages (merged into bot.messages).

The relay speaks when Rasa cannot (down, a message too long, no answer), and
for agents: who joined, who left, what an agent did for the customer.
"""

from __future__ import annotations

from typing import Final

CHAT_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "chat_too_long": {
        "fr": "Votre message est trop long pour que je le lise ({length} "
        "caractères, {limit} au plus). Il est bien enregistré : dites-moi en "
        "quelques mots ce dont vous avez besoin, ou écrivez « conseiller » pour "
        "qu'une personne le lise.",
        "en": "Your message is too long for me to read ({length} characters, "
        "{limit} at most). It has been kept: tell me in a few words what you "
        'need, or type "agent" and a person will read it.',
    },
    "chat_bot_down": {
        "fr": "Notre assistant ne répond pas pour le moment. Votre message est "
        "bien enregistré ; réessayez dans une minute, ou écrivez-nous à "
        "{support_email}.",
        "en": "Our assistant is not answering right now. Your message has been "
        "kept; please try again in a minute, or write to us at {support_email}.",
    },
    "chat_no_answer": {
        "fr": "Je n'ai pas pu traiter votre demande à l'instant. Votre message est "
        "bien enregistré ; renvoyez-le dans un instant, ou écrivez « conseiller » "
        "pour parler à une personne.",
        "en": "I could not deal with your request just now. Your message has been "
        'kept; send it again in a moment, or type "agent" to talk to a person.',
    },
    "chat_failed": {
        "fr": "Un problème technique de notre côté m'a empêché de traiter votre "
        "message. Renvoyez-le dans un instant, ou écrivez-nous à {support_email}.",
        "en": "A technical problem on our side stopped me from handling your "
        "message. Please send it again in a moment, or write to us at "
        "{support_email}.",
    },
    "chat_waiting": {
        "fr": "Un conseiller va vous répondre ici ; il lira aussi ce message.",
        "en": "A member of our team will answer you here; they will read this "
        "message too.",
    },
    "chat_agent_says": {"fr": "**{name}** : {text}", "en": "**{name}**: {text}"},
    "chat_agent_joined": {
        "fr": "{name}, du service client, a rejoint la conversation.",
        "en": "{name} from customer service has joined the conversation.",
    },
    "chat_back_to_bot": {
        "fr": "{name} vous a remis à l'assistant. Je reste à votre disposition.",
        "en": "{name} has passed you back to the assistant. I am here if you "
        "need anything else.",
    },
    "chat_tracking": {
        "fr": "Voici le suivi de votre commande {order_number} : {carrier}, numéro "
        "{tracking_number}. Suivez le colis ici : {tracking_url}",
        "en": "Here is the tracking of your order {order_number}: {carrier}, number "
        "{tracking_number}. Follow the parcel here: {tracking_url}",
    },
    "chat_tracking_not_shipped": {
        "fr": "Votre commande {order_number} n'est pas encore partie ; le numéro de "
        "suivi vous sera donné dès son expédition.",
        "en": "Your order {order_number} has not left yet; you will get its tracking "
        "number as soon as it ships.",
    },
    "chat_order_cancelled": {
        "fr": "Votre commande {order_number} est annulée. Vous serez remboursé de "
        "{amount} sur votre moyen de paiement.",
        "en": "Your order {order_number} is cancelled. {amount} will be refunded to "
        "your payment method.",
    },
    "chat_return_opened": {
        "fr": "Votre retour {rma} est ouvert. Imprimez votre étiquette ici : "
        "{label_url} et déposez le colis avant le {send_by}.",
        "en": "Your return {rma} is open. Print your label here: {label_url} and "
        "drop the parcel off by {send_by}.",
    },
    "chat_closed": {
        "fr": "{name} a clos la conversation. Merci de nous avoir écrit !",
        "en": "{name} has closed the conversation. Thank you for writing to us!",
    },
    "chat_csat_ask": {
        "fr": "Avant de partir : comment avons-nous répondu à votre demande ?",
        "en": "Before you go: how well did we answer your request?",
    },
    "chat_csat_5": {"fr": "★★★★★ Très bien", "en": "★★★★★ Very well"},
    "chat_csat_4": {"fr": "★★★★ Bien", "en": "★★★★ Well"},
    "chat_csat_3": {"fr": "★★★ Moyen", "en": "★★★ So-so"},
    "chat_csat_2": {"fr": "★★ Mal", "en": "★★ Badly"},
    "chat_csat_1": {"fr": "★ Très mal", "en": "★ Very badly"},
    "chat_csat_thanks": {
        "fr": "Merci pour votre note ! Bonne journée.",
        "en": "Thank you for rating us! Have a nice day.",
    },
    "chat_csat_sorry": {
        "fr": "Merci de nous l'avoir dit, et désolés. Pour en parler à une "
        "personne de l'équipe, écrivez « conseiller ».",
        "en": "Thank you for telling us, and sorry. To talk it over with someone "
        'from the team, type "agent".',
    },
    "chat_csat_already": {
        "fr": "Vous nous avez déjà noté pour cette conversation : merci !",
        "en": "You already rated this conversation: thank you!",
    },
}
