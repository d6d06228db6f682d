"""The words the hub says itself, in French and English (pages, PDFs, e-mails).

What the bot says in the chat lives in `domain.yml`; this catalogue is for
what the hub writes without Rasa: the return label PDF, the relay's own
replies, the storefront, the widget's frame, the agent console and the ops
dashboard (with the names of store codes: carriers, categories...). Every
message has both languages with the same `{placeholders}` (a test checks),
so that a missing translation is caught before a customer sees it.
"""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Final

from bot.chat_texts import CHAT_MESSAGES
from bot.ops_texts import OPS_MESSAGES
from bot.survey_texts import SURVEY_MESSAGES
from crm import locale
from crm.locale import LANGUAGES, format_date

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "format_date",
    "format_money",
    "language_or_default",
    "message",
    "placeholders",
]

MESSAGES: Final[dict[str, dict[str, str]]] = {
    **CHAT_MESSAGES,
    **SURVEY_MESSAGES,
    **OPS_MESSAGES,
    # -- return label: the part stuck on the parcel ---------------------------
    "label_title": {"fr": "Étiquette de retour", "en": "Return label"},
    "label_from": {"fr": "Expéditeur", "en": "From"},
    "label_to": {"fr": "Destinataire", "en": "To"},
    "label_rma": {"fr": "N° de retour (RMA)", "en": "Return number (RMA)"},
    "label_order": {"fr": "Commande n° {order_number}", "en": "Order {order_number}"},
    "label_free": {"fr": "Retour gratuit", "en": "Free return"},
    "label_paid": {"fr": "Frais d'étiquette : {fee}", "en": "Label fee: {fee}"},
    "label_cut_here": {
        "fr": "Découpez l'étiquette et collez-la sur le colis",
        "en": "Cut out the label and stick it on the parcel",
    },
    # -- return label: the packing slip that goes inside ----------------------
    "slip_title": {
        "fr": "Bordereau de retour : glissez cette partie dans le colis",
        "en": "Packing slip: put this part inside the parcel",
    },
    "slip_opened": {"fr": "Retour ouvert le {day}", "en": "Return opened on {day}"},
    "slip_send_by": {
        "fr": "À déposer au plus tard le {day}",
        "en": "Drop it off by {day} at the latest",
    },
    "slip_reason": {"fr": "Motif : {reason}", "en": "Reason: {reason}"},
    "slip_fee_free": {
        "fr": "Étiquette offerte : ce retour ne vous coûte rien.",
        "en": "The label is on us: this return costs you nothing.",
    },
    "slip_fee_refund": {
        "fr": "Étiquette : {fee}, déduits de votre remboursement.",
        "en": "Label: {fee}, taken off your refund.",
    },
    "slip_fee_exchange": {
        "fr": "Étiquette : {fee}.",
        "en": "Label: {fee}.",
    },
    "slip_items": {"fr": "Contenu du colis", "en": "In the parcel"},
    "slip_item": {
        "fr": "{quantity}\u00a0\u00d7 {name} (réf. {sku})",
        "en": "{quantity}\u00a0\u00d7 {name} (ref. {sku})",
    },
    "slip_steps": {"fr": "Comment faire", "en": "What to do"},
    "slip_step_print": {
        "fr": "Imprimez cette page et découpez l'étiquette en haut.",
        "en": "Print this page and cut out the label at the top.",
    },
    "slip_step_pack": {
        "fr": "Emballez les articles listés ci-dessus avec ce bordereau, "
        "si possible dans leur emballage d'origine.",
        "en": "Pack the items listed above with this slip, in their "
        "original packaging if you can.",
    },
    "slip_step_stick": {
        "fr": "Collez l'étiquette bien à plat sur le colis, code-barres visible.",
        "en": "Stick the label flat on the parcel, with the barcode visible.",
    },
    "slip_step_drop": {
        "fr": "Déposez le colis en bureau de poste ou en point relais "
        "au plus tard le {day}, et gardez la preuve de dépôt.",
        "en": "Drop the parcel at a post office or a relay point by {day}, "
        "and keep the receipt.",
    },
    "slip_step_refund": {
        "fr": "Nous vous remboursons dès que le colis est arrivé et vérifié ; "
        "suivez votre retour dans le chat avec le numéro {rma_number}.",
        "en": "We refund you as soon as the parcel has arrived and been "
        "checked; follow your return in the chat with number {rma_number}.",
    },
    "slip_step_exchange": {
        "fr": "Nous vous renvoyons l'article dès que le colis est arrivé et "
        "vérifié ; suivez votre retour dans le chat avec le numéro {rma_number}.",
        "en": "We send you the item again as soon as the parcel has arrived "
        "and been checked; follow your return in the chat with number "
        "{rma_number}.",
    },
    # -- return reasons, as printed on the slip --------------------------------
    "reason_damaged": {"fr": "article endommagé", "en": "damaged item"},
    "reason_faulty": {"fr": "article défectueux", "en": "faulty item"},
    "reason_wrong_item": {"fr": "erreur d'article", "en": "wrong item sent"},
    "reason_changed_mind": {"fr": "changement d'avis", "en": "changed my mind"},
    "reason_size_fit": {"fr": "taille ou format", "en": "size or fit"},
    "reason_not_as_described": {
        "fr": "non conforme à la description",
        "en": "not as described",
    },
    "reason_late": {"fr": "livraison trop tardive", "en": "arrived too late"},
    # -- pages of the hub: the demo storefront (bot/templates/store.html) ------
    "shop_name": {"fr": "Terre & Toit", "en": "Terre & Toit"},
    "switch_language": {"fr": "English", "en": "Français"},
    "store_title": {
        "fr": "Terre & Toit : l'essentiel zéro déchet pour la maison",
        "en": "Terre & Toit: zero-waste essentials for the home",
    },
    "store_tagline": {
        "fr": "Produits écologiques pour la cuisine, la salle de bain et le jardin, "
        "livrés en France et en Europe.",
        "en": "Eco-friendly products for the kitchen, the bathroom and the garden, "
        "delivered in France and across Europe.",
    },
    "store_free_delivery": {
        "fr": "Livraison offerte dès {amount}",
        "en": "Free delivery from {amount}",
    },
    "store_returns": {
        "fr": "Retours sous {days} jours après la livraison",
        "en": "Returns within {days} days of delivery",
    },
    "store_products": {"fr": "Nos incontournables", "en": "Our favourites"},
    "store_add": {"fr": "Ajouter au panier", "en": "Add to basket"},
    "store_help": {
        "fr": "Une question sur une commande, un retour ou un remboursement ? "
        "Notre assistant vous répond dans la bulle en bas à droite, et passe la "
        "main à un conseiller si besoin.",
        "en": "A question about an order, a return or a refund? Our assistant "
        "answers in the bubble at the bottom right, and brings in a person "
        "when needed.",
    },
    "store_demo": {
        "fr": "Boutique de démonstration de shopdesk : produits et commandes fictifs.",
        "en": "A shopdesk demo shop: the products and orders are made up.",
    },
    # -- the chat widget's frame (bot/templates/widget.js) ---------------------
    "widget_title": {"fr": "Service client", "en": "Customer service"},
    "widget_subtitle": {
        "fr": "Suivi, retours, remboursements",
        "en": "Tracking, returns, refunds",
    },
    "widget_hint": {"fr": "Écrivez votre message…", "en": "Type your message…"},
    "widget_connecting": {"fr": "Connexion…", "en": "Connecting…"},
    # -- the agent console: login page and the console's own words -------------
    "login_title": {"fr": "Console conseillers", "en": "Agent console"},
    "login_email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "login_password": {"fr": "Mot de passe", "en": "Password"},
    "login_submit": {"fr": "Se connecter", "en": "Log in"},
    "login_failed": {
        "fr": "Adresse e-mail ou mot de passe incorrect.",
        "en": "Wrong e-mail address or password.",
    },
    "login_throttled": {
        "fr": "Trop de tentatives : réessayez dans {minutes} min.",
        "en": "Too many attempts: try again in {minutes} min.",
    },
    "login_wrong_role": {
        "fr": "Votre compte n'a pas accès à la console des conseillers ; "
        "connectez-vous avec un compte conseiller.",
        "en": "Your account cannot open the agents' console; log in with an "
        "agent account.",
    },
    "console_logout": {"fr": "Se déconnecter", "en": "Log out"},
    "console_waiting": {"fr": "En attente", "en": "Waiting"},
    "console_mine": {"fr": "Mes conversations", "en": "My conversations"},
    "console_nobody": {"fr": "Personne.", "en": "Nobody."},
    "console_waited": {"fr": "attend depuis {time}", "en": "waiting for {time}"},
    "console_accept": {"fr": "Prendre", "en": "Accept"},
    "console_assign": {"fr": "Confier à…", "en": "Assign to…"},
    "console_open": {"fr": "Ouvrir", "en": "Open"},
    "console_ticket": {"fr": "ticket e-mail", "en": "e-mail ticket"},
    "console_unverified": {"fr": "client non vérifié", "en": "unverified customer"},
    "console_pick": {
        "fr": "Choisissez une conversation.",
        "en": "Pick a conversation.",
    },
    "console_handled_by": {"fr": "suivie par {name}", "en": "handled by {name}"},
    "console_reason": {"fr": "Motif", "en": "Reason"},
    "console_summary": {"fr": "Résumé", "en": "Summary"},
    "console_contact_email": {
        "fr": "Répondre par e-mail à",
        "en": "Answer by e-mail to",
    },
    "console_slots": {"fr": "Recueilli par le bot", "en": "Collected by the bot"},
    "console_orders_discussed": {"fr": "Commandes évoquées", "en": "Orders discussed"},
    "console_customer": {"fr": "Client", "en": "Customer"},
    "console_bot": {"fr": "Assistant", "en": "Bot"},
    "console_agent": {"fr": "Conseiller", "en": "Agent"},
    "console_system": {"fr": "Système", "en": "System"},
    "console_reply": {"fr": "Votre réponse", "en": "Your reply"},
    "console_send": {"fr": "Envoyer", "en": "Send"},
    "console_canned": {"fr": "Réponses types…", "en": "Canned replies…"},
    "console_notes": {"fr": "Notes privées", "en": "Private notes"},
    "console_note_hint": {
        "fr": "Note pour l'équipe (le client ne la voit pas)",
        "en": "Note for the team (the customer never sees it)",
    },
    "console_add_note": {"fr": "Ajouter la note", "en": "Add the note"},
    "console_release": {"fr": "Rendre au bot", "en": "Hand back to the bot"},
    "console_close": {"fr": "Clore", "en": "Close"},
    "console_accept_first": {
        "fr": "Prenez-la pour répondre.",
        "en": "Accept it to reply.",
    },
    "console_360": {"fr": "Fiche client", "en": "Customer 360"},
    "console_no_customer": {
        "fr": "Client non vérifié : pas de fiche à montrer.",
        "en": "Customer not verified: no record to show.",
    },
    "console_orders": {"fr": "Commandes", "en": "Orders"},
    "console_order": {"fr": "Commande {number}", "en": "Order {number}"},
    "console_placed": {"fr": "passée le {day}", "en": "placed on {day}"},
    "console_resend_tracking": {"fr": "Renvoyer le suivi", "en": "Resend tracking"},
    "console_tracking_sent": {"fr": "Suivi envoyé.", "en": "Tracking sent."},
    "console_cancel_order": {"fr": "Annuler la commande", "en": "Cancel the order"},
    "console_confirm_cancel": {"fr": "Confirmer", "en": "Confirm"},
    "console_order_cancelled": {"fr": "Commande annulée.", "en": "Order cancelled."},
    "console_cancel_refused": {"fr": "Refusé : {reason}", "en": "Refused: {reason}"},
    "console_return_until": {
        "fr": "retour jusqu'au {day}",
        "en": "returns until {day}",
    },
    "console_start_return": {"fr": "Retour…", "en": "Return…"},
    "console_quantity": {"fr": "Quantité", "en": "Quantity"},
    "console_return_reason": {"fr": "Motif du retour", "en": "Return reason"},
    "console_refund": {"fr": "Remboursement", "en": "Refund"},
    "console_exchange": {"fr": "Échange", "en": "Exchange"},
    "console_open_return": {"fr": "Ouvrir le retour", "en": "Open the return"},
    "console_return_opened": {"fr": "Retour {rma} ouvert", "en": "Return {rma} opened"},
    "console_promised": {"fr": "promise le {day}", "en": "promised for {day}"},
    "console_delivered": {"fr": "livrée le {day}", "en": "delivered on {day}"},
    "console_returns": {"fr": "Retours et remboursements", "en": "Returns and refunds"},
    "console_refund_line": {
        "fr": "remboursement {status} : {amount}",
        "en": "refund {status}: {amount}",
    },
    "console_surveys": {"fr": "Avis clients", "en": "Survey answers"},
    "console_conversations": {"fr": "Historique", "en": "History"},
    "console_resolved_by": {"fr": "résolue par {who}", "en": "resolved by {who}"},
    "console_none": {"fr": "Aucun.", "en": "None."},
    "console_error": {"fr": "Erreur : {message}", "en": "Error: {message}"},
    "console_offline": {"fr": "Connexion perdue…", "en": "Connection lost…"},
    # -- console labels of store codes (status_*, handoff_*, refusal_*) --------
    "status_bot": {"fr": "avec le bot", "en": "with the bot"},
    "status_waiting": {"fr": "en attente", "en": "waiting"},
    "status_agent": {"fr": "avec un conseiller", "en": "with an agent"},
    "status_closed": {"fr": "close", "en": "closed"},
    "status_processing": {"fr": "en préparation", "en": "processing"},
    "status_shipped": {"fr": "expédiée", "en": "shipped"},
    "status_in_transit": {"fr": "en transit", "en": "in transit"},
    "status_out_for_delivery": {"fr": "en livraison", "en": "out for delivery"},
    "status_delivered": {"fr": "livrée", "en": "delivered"},
    "status_delayed": {"fr": "en retard", "en": "delayed"},
    "status_lost": {"fr": "perdue", "en": "lost"},
    "status_cancelled": {"fr": "annulée", "en": "cancelled"},
    "status_return_requested": {"fr": "retour demandé", "en": "return requested"},
    "status_returned": {"fr": "retournée", "en": "returned"},
    "status_refunded": {"fr": "remboursée", "en": "refunded"},
    "status_requested": {"fr": "demandé", "en": "requested"},
    "status_label_sent": {"fr": "étiquette envoyée", "en": "label sent"},
    "status_received": {"fr": "reçu", "en": "received"},
    "status_exchanged": {"fr": "échangé", "en": "exchanged"},
    "status_rejected": {"fr": "refusé", "en": "rejected"},
    "status_pending": {"fr": "à venir", "en": "pending"},
    "status_issued": {"fr": "versé", "en": "issued"},
    "status_failed": {"fr": "échoué", "en": "failed"},
    "handoff_customer_request": {"fr": "demande du client", "en": "customer asked"},
    "handoff_misunderstood": {"fr": "bot perdu", "en": "bot did not understand"},
    "handoff_identity_locked": {"fr": "identité non prouvée", "en": "identity locked"},
    "handoff_policy_unsure": {"fr": "question de règles", "en": "policy question"},
    "handoff_refund_overdue": {"fr": "remboursement en retard", "en": "late refund"},
    "handoff_lost_parcel": {"fr": "colis perdu", "en": "lost parcel"},
    "handoff_complaint": {"fr": "réclamation", "en": "complaint"},
    "handoff_detractor_follow_up": {
        "fr": "rappel après avis négatif",
        "en": "call back after a low rating",
    },
    "handoff_problem_missing_item": {"fr": "article manquant", "en": "missing item"},
    "handoff_problem_not_received": {
        "fr": "colis non reçu",
        "en": "parcel not received",
    },
    "handoff_problem_non_returnable_category": {
        "fr": "problème, catégorie non reprise",
        "en": "problem, category not returnable",
    },
    "handoff_problem_non_returnable_item": {
        "fr": "problème, article non repris",
        "en": "problem, item not returnable",
    },
    "handoff_problem_window_closed": {
        "fr": "problème, délai de retour dépassé",
        "en": "problem, return window closed",
    },
    "handoff_problem_already_returned": {
        "fr": "problème, article déjà retourné",
        "en": "problem, item already returned",
    },
    "handoff_problem_order_cancelled": {
        "fr": "problème, commande annulée",
        "en": "problem, order cancelled",
    },
    "refusal_order_cancelled": {"fr": "commande annulée", "en": "order cancelled"},
    "refusal_not_delivered": {"fr": "pas encore livré", "en": "not delivered yet"},
    "refusal_non_returnable_category": {
        "fr": "catégorie non reprise",
        "en": "category not returnable",
    },
    "refusal_non_returnable_item": {"fr": "article non repris", "en": "not returnable"},
    "refusal_already_returned": {"fr": "déjà retourné", "en": "already returned"},
    "refusal_already_shipped": {"fr": "déjà expédiée", "en": "already shipped"},
    "refusal_already_cancelled": {"fr": "déjà annulée", "en": "already cancelled"},
    "refusal_window_closed": {"fr": "délai dépassé", "en": "return window closed"},
    # -- dashboard names of store codes (carrier_*, category_*, channel_*,
    # resolution_*, language_*; `<prefix>none`: no value); survey topics are
    # named in config/survey_topics.yml, handoff and return reasons above ------
    "carrier_colissimo": {"fr": "Colissimo", "en": "Colissimo"},
    "carrier_chronopost": {"fr": "Chronopost", "en": "Chronopost"},
    "carrier_mondial_relay": {"fr": "Mondial Relay", "en": "Mondial Relay"},
    "carrier_dhl": {"fr": "DHL", "en": "DHL"},
    "carrier_ups": {"fr": "UPS", "en": "UPS"},
    "carrier_none": {"fr": "Sans transporteur (chat)", "en": "No carrier (chat)"},
    "category_hygiene": {"fr": "Hygiène", "en": "Hygiene"},
    "category_kitchen": {"fr": "Cuisine", "en": "Kitchen"},
    "category_cleaning": {"fr": "Entretien", "en": "Cleaning"},
    "category_garden": {"fr": "Jardin", "en": "Garden"},
    "category_textile": {"fr": "Textile", "en": "Textiles"},
    "category_baby": {"fr": "Bébé", "en": "Baby"},
    "category_food": {"fr": "Épicerie", "en": "Food"},
    "category_personalised": {"fr": "Personnalisé", "en": "Personalised"},
    "channel_email": {"fr": "Lien par e-mail", "en": "E-mail link"},
    "channel_widget": {"fr": "Formulaire du widget", "en": "Widget form"},
    "channel_chat_end": {"fr": "Fin de chat", "en": "End of chat"},
    "resolution_bot": {"fr": "résolu par le bot", "en": "solved by the bot"},
    "resolution_agent": {"fr": "résolu par un conseiller", "en": "solved by an agent"},
    "language_fr": {"fr": "Français", "en": "French"},
    "language_en": {"fr": "Anglais", "en": "English"},
}

language_or_default = locale.spoken


def message(key: str, language: str | None, **values: object) -> str:
    """The message `key` in `language`, its `{placeholders}` filled from `values`.

    Raises:
        KeyError: no message has that key, or a placeholder was not given
            (a bug to fix here, not something to show a customer).
    """
    text = MESSAGES[key][language_or_default(language)]
    return text.format(**values)


def placeholders(text: str) -> frozenset[str]:
    """The `{names}` a message expects, for the catalogue's own test."""
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(text) if name is not None
    )


def format_money(amount: Decimal, language: str | None, currency: str = "EUR") -> str:
    """An amount on paper: "5,90 €", "€5.90" (the label fonts lack U+202F)."""
    return locale.format_money(amount, language, currency, group="\u00a0")
